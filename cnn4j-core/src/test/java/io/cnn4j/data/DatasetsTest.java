package io.cnn4j.data;

import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.cnn4j.data.Mentions.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetsTest {
    private static DataSplit embedded;

    @TempDir
    Path tmp;

    @BeforeAll
    static void loadEmbeddedOnce() throws Exception {
        embedded = Datasets.embedded();
    }

    @Test
    void embeddedSubsetHasTheDocumentedSizesShapesAndLabels() {
        Dataset train = embedded.train();
        Dataset test = embedded.test();
        assertEquals(10000, train.size());
        assertEquals(2000, test.size());
        assertEquals(Shape.of(1, 28, 28), train.imageShape());
        assertEquals(Datasets.FASHION_MNIST_CLASSES, train.classNames());
        assertEquals("Ankle boot", train.className(9));
        // The class balance recorded in fashion-mnist-subset/README.md.
        assertArrayEquals(new int[] {942, 1027, 1016, 1019, 974, 989, 1021, 1022, 990, 1000}, train.classCounts());
        assertArrayEquals(new int[] {200, 203, 214, 190, 219, 195, 197, 200, 194, 188}, test.classCounts());
        // The first Fashion-MNIST training image is an ankle boot, the first test image too.
        assertEquals(9, train.label(0));
        assertEquals(9, test.label(0));
        assertEquals("Fashion-MNIST (embedded subset: 10000 train, 2000 test images)", embedded.description());
        assertEquals("Fashion-MNIST (embedded subset, 10000 train images)", train.description());
    }

    @Test
    void embeddedImagesAreInUnitRangeAndNotBlank() {
        Tensor x = embedded.test().batch(0, 1, 1999);
        assertEquals(Shape.of(3, 1, 28, 28), x.shape());
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : x.data()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0f, min);
        assertTrue(max > 0.9f && max <= 1f, "max " + max);
    }

    @Test
    void loadsAnMnistStyleDirectoryWithMixedCompression() throws Exception {
        Path dir = IdxBytes.mnistDir(tmp.resolve("digits"), 7, 3, 4);
        DataSplit split = MnistStyle.load(dir);
        assertEquals(7, split.train().size());
        assertEquals(3, split.test().size());
        assertEquals(List.of("0", "1", "2", "3"), split.train().classNames());
        assertEquals(6 / 255f, split.train().image(6).get(0, 0, 1, 1));
        assertArrayEquals(new int[] {0, 1, 2}, split.test().labels());
        assertDescribes(split, dir.toString(), "7 train", "3 test");
    }

    @Test
    void classNamesComeFromClassesTxt() throws Exception {
        Path dir = IdxBytes.mnistDir(tmp.resolve("named"), 4, 2, 2);
        Files.writeString(dir.resolve("classes.txt"), "cat\ndog\n\n");
        assertEquals(List.of("cat", "dog"), MnistStyle.load(dir).train().classNames());
    }

    @Test
    void classNamesThatAreNotUtf8AreRefusedNamingTheByte() throws Exception {
        Path dir = IdxBytes.mnistDir(tmp.resolve("latin1"), 4, 2, 2);
        Path names = Files.write(dir.resolve("classes.txt"), "caf\u00e9\nbar\n".getBytes(StandardCharsets.ISO_8859_1));
        DataFileException e = assertThrows(DataFileException.class, () -> MnistStyle.load(dir));
        assertEquals("class names file " + names + " is not UTF-8 text: byte 3 (0xe9) is not part of a UTF-8"
                + " character (was it saved as Latin-1 or another encoding?); save it as UTF-8", e.getMessage());
        assertEquals(names.toString(), e.source());
    }

    @Test
    void missingFilesAreListedWithTheDirectory() throws Exception {
        Path dir = IdxBytes.mnistDir(tmp.resolve("partial"), 2, 2, 2);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte"));
        Files.delete(dir.resolve("train-images-idx3-ubyte.gz"));
        assertFalse(MnistStyle.isComplete(dir));
        DataFileException e = assertThrows(DataFileException.class, () -> MnistStyle.load(dir));
        assertMentions(e, dir.toString(), "train-images-idx3-ubyte[.gz]", "t10k-labels-idx1-ubyte[.gz]");
        assertFalse(e.getMessage().contains("train-labels"), "train labels are there: " + e.getMessage());
    }

    @Test
    void missingDirectoryIsNamed() {
        Path dir = tmp.resolve("no-such-dir");
        DataFileException e = assertThrows(DataFileException.class, () -> MnistStyle.load(dir));
        assertMentions(e, dir.toString(), "does not exist");
    }

    @Test
    void resolveNamesTheDataItChose() throws Exception {
        Path full = IdxBytes.mnistDir(tmp.resolve("fashion"), 12, 5, 10);
        Path empty = Files.createDirectories(tmp.resolve("empty"));

        DataSplit installed = Datasets.resolve(null, full, false);
        assertEquals(12, installed.train().size());
        assertEquals(Datasets.FASHION_MNIST_CLASSES, installed.train().classNames());
        assertDescribes(installed, "Fashion-MNIST", full.toString());

        assertEquals(12, Datasets.resolve("fashion-mnist", full, false).train().size());
        // Naming the installed directory explicitly still gives Fashion-MNIST's class names.
        assertEquals(Datasets.FASHION_MNIST_CLASSES, Datasets.resolve(full.toString(), full, false).train().classNames());
        assertDescribes(Datasets.resolve("", empty, false), "embedded subset");
        assertDescribes(Datasets.resolve("embedded", full, false), "embedded subset");

        Path other = IdxBytes.mnistDir(tmp.resolve("other"), 3, 1, 3);
        DataSplit fromDir = Datasets.resolve(other.toString(), full, false);
        assertEquals(3, fromDir.train().size());
        assertDescribes(fromDir, "MNIST-style data", other.toString());
    }

    @Test
    void fashionMnistKeywordWithoutTheDataSaysHowToGetIt() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        DataFileException e = assertThrows(DataFileException.class, () -> Datasets.resolve("fashion-mnist", empty, false));
        assertMentions(e, empty.toString(), "dataset-fashion-mnist", "--data DIR");
    }

    @Test
    void anIncompleteDirectoryChosenByEnvironmentIsAnErrorNotAFallback() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("configured"));
        DataFileException e = assertThrows(DataFileException.class, () -> Datasets.resolve(null, empty, true));
        assertMentions(e, "CNN4J_DATA", empty.toString(), "train-images-idx3-ubyte[.gz]");
    }

    @Test
    void resolveWithOptionsTellsTheKindsOfDirectoryApart() throws Exception {
        DataOptions options = new DataOptions(Preprocessing.NONE, 0.5, 0, false, tmp.resolve("cache"), null);
        Path mnist = IdxBytes.mnistDir(tmp.resolve("digits"), 4, 2, 3);
        assertDescribes(Datasets.resolve(mnist.toString(), options), "MNIST-style data (" + mnist);
        assertEquals(embedded.description(), Datasets.resolve("embedded", options).description());

        Path pictures = tmp.resolve("pictures");
        PictureTrees.gray(pictures.resolve("a/1.png"), "png", 2, 2, 1);
        PictureTrees.gray(pictures.resolve("a/2.png"), "png", 2, 2, 2);
        PictureTrees.gray(pictures.resolve("b/3.png"), "png", 2, 2, 3);
        PictureTrees.gray(pictures.resolve("b/4.png"), "png", 2, 2, 4);
        DataSplit folder = Datasets.resolve(pictures.toString(), options);
        assertEquals(List.of("a", "b"), folder.train().classNames());
        assertEquals(2, folder.test().size());

        Path cifar = Files.createDirectories(tmp.resolve("download/cifar-10-batches-bin"));
        byte[] record = new byte[3073];
        for (String f : List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                "data_batch_5.bin", "test_batch.bin")) {
            Files.write(cifar.resolve(f), record);
        }
        Files.writeString(cifar.resolve("batches.meta.txt"), "cat\ndog\n");
        DataSplit c = Datasets.resolve(tmp.resolve("download").toString(), options);
        assertEquals("CIFAR-10 (" + cifar + ": 5 train, 1 test images)", c.description());

        Path nothing = Files.createDirectories(tmp.resolve("nothing"));
        Files.writeString(nothing.resolve("notes.txt"), "x");
        assertEquals(nothing + " holds no data set cnn4j reads; it takes MNIST-style files (train-images-idx3-ubyte[.gz],"
                + " train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]), CIFAR-10"
                + " binaries (data_batch_1.bin, data_batch_2.bin, data_batch_3.bin, data_batch_4.bin, data_batch_5.bin,"
                + " test_batch.bin, batches.meta.txt), CIFAR-100 binaries (train.bin, test.bin, fine_label_names.txt),"
                + " or folders of pictures (" + nothing.resolve("<class>") + "/…, or " + nothing.resolve("train/<class>")
                + "/… with " + nothing.resolve("test/<class>") + "/…)",
                assertThrows(DataFileException.class, () -> Datasets.resolve(nothing.toString(), options)).getMessage());
        assertMentions(assertThrows(DataFileException.class,
                () -> Datasets.resolve(tmp.resolve("absent").toString(), options)), "does not exist");
    }

    private static void assertDescribes(DataSplit split, String... parts) {
        assertMentions(new Exception(split.description()), parts);
    }
}
