package io.cnn4j.data;

import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static io.cnn4j.data.PictureTrees.colour;
import static io.cnn4j.data.PictureTrees.gray;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageFolderTest {
    @TempDir
    Path tmp;

    private DataOptions options(Path cache, LoadProgress progress) {
        return new DataOptions(Preprocessing.NONE, 0.2, 0, false, cache, progress);
    }

    private DataSplit load(Path dir) throws Exception {
        return ImageFolder.load(dir, options(tmp.resolve("cache"), null));
    }

    /** The gray value of the first pixel of each image, in order. */
    private static int[] firstPixels(Dataset data) {
        int[] values = new int[data.size()];
        for (int i = 0; i < data.size(); i++) {
            values[i] = Math.round(data.image(i).data()[0] * 255);
        }
        return values;
    }

    @Test
    void classesAndSampleOrderFollowTorchvision() throws Exception {
        Path dir = tmp.resolve("pets");
        Path cat = dir.resolve("train/cat");
        gray(cat.resolve("b.png"), "png", 4, 3, 2);
        gray(cat.resolve("A.PNG"), "png", 4, 3, 1);
        gray(cat.resolve("sub/c.png"), "png", 4, 3, 3);
        gray(cat.resolve("sub-2/d.png"), "png", 4, 3, 4);
        gray(cat.resolve("sub/deeper/e.png"), "png", 4, 3, 5);
        gray(cat.resolve(".hidden.png"), "png", 4, 3, 99);
        gray(cat.resolve(".hidden/f.png"), "png", 4, 3, 99);
        Files.writeString(cat.resolve("notes.txt"), "not a picture");
        Files.createSymbolicLink(cat.resolve("sub/deeper/loop"), cat);
        gray(dir.resolve("train/dog/x.bmp"), "bmp", 4, 3, 10);
        Path outside = gray(tmp.resolve("elsewhere/y.png"), "png", 4, 3, 11);
        Files.createSymbolicLink(dir.resolve("train/dog/y.png"), outside);
        Files.createDirectories(dir.resolve("train/.git"));
        gray(tmp.resolve("birds/z.Png"), "png", 4, 3, 20);
        Files.createSymbolicLink(dir.resolve("train/bird"), tmp.resolve("birds"));
        for (String c : List.of("bird", "cat", "dog")) {
            gray(dir.resolve("test/" + c + "/t.png"), "png", 4, 3, 30);
        }

        DataSplit split = load(dir);

        Dataset train = split.train();
        assertEquals(List.of("bird", "cat", "dog"), train.classNames());
        // In a class folder: its own files (A before b: code point order), then sub, sub-2, sub/deeper, as
        // Python sorts "sub-2" before "sub/deeper".
        assertArrayEquals(new int[] {20, 1, 2, 3, 4, 5, 10, 11}, firstPixels(train));
        assertArrayEquals(new int[] {0, 1, 1, 1, 1, 1, 2, 2}, train.labels());
        assertEquals(1, train.channels());
        assertEquals(3, train.height());
        assertEquals(4, train.width());
        assertArrayEquals(new int[] {0, 1, 2}, split.test().labels());
        assertEquals("pictures (" + dir + ": 8 train, 3 test images of [1, 3, 4])", split.description());
    }

    @Test
    void namesSortByCodePointAsPythonDoes() {
        List<String> names = new ArrayList<>(List.of("\uFB01le", "\uD83D\uDE00", "b", "B", "a-b", "a/b", "a"));
        names.sort(ImageFolder.CODE_POINT_ORDER);
        assertEquals(List.of("B", "a", "a-b", "a/b", "b", "\uFB01le", "\uD83D\uDE00"), names);
    }

    @Test
    void extensionsMatchInAnyCaseAndJpegIsRead() throws Exception {
        Path dir = tmp.resolve("d");
        colour(dir.resolve("red/a.JPG"), "jpg", 8, 8, 0xFF0000);
        colour(dir.resolve("red/b.jpeg"), "jpeg", 8, 8, 0xFF0000);
        colour(dir.resolve("blue/c.BMP"), "bmp", 8, 8, 0x0000FF);
        colour(dir.resolve("blue/d.TIFF"), "tiff", 8, 8, 0x0000FF);
        colour(dir.resolve("blue/e.gif"), "gif", 8, 8, 0x0000FF);
        Files.writeString(dir.resolve("blue/readme.md"), "ignored");
        DataSplit split = ImageFolder.load(dir, new DataOptions(Preprocessing.NONE, 0.5, 0, false, tmp.resolve("c"), null));
        assertEquals(List.of("blue", "red"), split.train().classNames());
        assertEquals(5, split.train().size() + split.test().size());
        assertEquals(3, split.train().channels());
        Tensor red = split.train().batch(split.train().size() - 1);
        assertTrue(red.data()[0] > 0.95f && red.data()[64] < 0.05f && red.data()[128] < 0.05f,
                "a red JPEG is red in the red plane only");
    }

    @Test
    void aGrayPictureInAColourSetIsReplicatedAndAllGrayIsOneChannel() throws Exception {
        Path dir = tmp.resolve("mixed");
        gray(dir.resolve("train/a/g.png"), "png", 2, 2, 77);
        colour(dir.resolve("train/b/c.png"), "png", 2, 2, 0x102030);
        gray(dir.resolve("test/a/g.png"), "png", 2, 2, 77);
        gray(dir.resolve("test/b/g.png"), "png", 2, 2, 78);
        DataSplit split = load(dir);
        assertEquals(3, split.train().channels());
        assertEquals(3, split.test().channels());
        float[] g = split.train().image(0).data();
        assertArrayEquals(new float[] {77 / 255f, 77 / 255f, 77 / 255f}, new float[] {g[0], g[4], g[8]});
        float[] c = split.train().image(1).data();
        assertArrayEquals(new float[] {0x10 / 255f, 0x20 / 255f, 0x30 / 255f}, new float[] {c[0], c[4], c[8]});

        Path grayDir = tmp.resolve("gray");
        for (String name : List.of("a/1.png", "a/2.png", "b/3.png", "b/4.png")) {
            gray(grayDir.resolve(name), "png", 2, 2, 1);
        }
        assertEquals(1, load(grayDir).train().channels());
        DataOptions rgb = new DataOptions(Preprocessing.NONE.withColor(ColorMode.RGB), 0.2, 0, false, tmp.resolve("cache"), null);
        assertEquals(3, ImageFolder.load(grayDir, rgb).train().channels());
        DataOptions toGray = new DataOptions(Preprocessing.NONE.withColor(ColorMode.GRAY), 0.2, 0, false, tmp.resolve("cache"), null);
        assertEquals(1, ImageFolder.load(dir, toGray).train().channels());
    }

    @Test
    void aSingleTreeIsSplitStratifiedAndTheSameForTheSameSeed() throws Exception {
        Path dir = tmp.resolve("tree");
        int[] sizes = {10, 5, 1};
        for (int c = 0; c < sizes.length; c++) {
            for (int i = 0; i < sizes[c]; i++) {
                gray(dir.resolve("c" + c + "/" + i + ".png"), "png", 2, 2, c * 50 + i);
            }
        }
        DataSplit a = ImageFolder.load(dir, new DataOptions(Preprocessing.NONE, 0.25, 7, false, tmp.resolve("cache"), null));
        // round(0.25 * 10) = 3 (2.5 rounds up), round(0.25 * 5) = 1, a class of one picture stays in training.
        assertArrayEquals(new int[] {3, 1, 0}, a.test().classCounts());
        assertArrayEquals(new int[] {7, 4, 1}, a.train().classCounts());
        assertTrue(a.description().endsWith(", 4 held out for testing)"), a.description());
        int[] testPixels = firstPixels(a.test());
        assertArrayEquals(testPixels.clone(), IntStream.of(testPixels).sorted().toArray(),
                "both sets keep sample order");
        DataSplit again = ImageFolder.load(dir, new DataOptions(Preprocessing.NONE, 0.25, 7, false, tmp.resolve("cache"), null));
        assertArrayEquals(testPixels, firstPixels(again.test()));
        boolean differs = false;
        for (long seed = 8; seed < 12 && !differs; seed++) {
            DataSplit other = ImageFolder.load(dir, new DataOptions(Preprocessing.NONE, 0.25, seed, false, tmp.resolve("cache"), null));
            differs = !Arrays.equals(testPixels, firstPixels(other.test()));
        }
        assertTrue(differs, "another seed holds out other pictures");
    }

    @Test
    void theSplitRuleIsPinned() {
        boolean[] test = new boolean[6];
        ImageFolder.carve(new int[] {0, 1, 0, 1, 0, 1}, 2, 0.5, 0, test);
        boolean[] expected = new boolean[6];
        // Class 0 is pictures 0, 2, 4; class 1 is 1, 3, 5; each holds out round(1.5) = 2, drawn from one generator.
        Rng rng = new Rng(0);
        for (int c = 0; c < 2; c++) {
            int[] order = rng.permutation(3);
            expected[2 * order[0] + c] = true;
            expected[2 * order[1] + c] = true;
        }
        assertArrayEquals(expected, test);
    }

    @Test
    void valIsTheTestSetWhenThereIsNoTest() throws Exception {
        Path dir = tmp.resolve("v");
        gray(dir.resolve("train/a/1.png"), "png", 2, 2, 1);
        gray(dir.resolve("train/b/2.png"), "png", 2, 2, 2);
        gray(dir.resolve("val/a/3.png"), "png", 2, 2, 3);
        gray(dir.resolve("val/b/4.png"), "png", 2, 2, 4);
        DataSplit split = load(dir);
        assertArrayEquals(new int[] {3, 4}, firstPixels(split.test()));
    }

    @Test
    void errorsNameTheFolder() throws Exception {
        Path none = Files.createDirectories(tmp.resolve("none"));
        Files.writeString(none.resolve("a.png"), "x");
        assertEquals(none + " holds no class folders: put the pictures of each class in a folder of its own, "
                + none.resolve("<class>") + "/", assertThrows(DataFileException.class, () -> load(none)).getMessage());

        Path one = tmp.resolve("one");
        gray(one.resolve("cat/a.png"), "png", 2, 2, 1);
        assertEquals(one + " has a single class folder, 'cat': a classifier needs the pictures of at least two classes,"
                + " one folder each", assertThrows(DataFileException.class, () -> load(one)).getMessage());

        Path empty = tmp.resolve("empty");
        gray(empty.resolve("cat/a.png"), "png", 2, 2, 1);
        Files.createDirectories(empty.resolve("dog/sub"));
        Files.writeString(empty.resolve("dog/notes.txt"), "x");
        assertEquals("class folder " + empty.resolve("dog") + " holds no pictures (png, jpg, jpeg, bmp, gif, ppm, pgm,"
                + " tif or tiff files)", assertThrows(DataFileException.class, () -> load(empty)).getMessage());

        Path mismatch = tmp.resolve("mismatch");
        for (String c : List.of("train/a", "train/b", "train/c", "test/a", "test/b", "test/d")) {
            gray(mismatch.resolve(c + "/1.png"), "png", 2, 2, 1);
        }
        assertEquals(mismatch.resolve("test") + " must hold the same class folders as " + mismatch.resolve("train")
                        + ", but it lacks c and has d, which " + mismatch.resolve("train") + " lacks",
                assertThrows(DataFileException.class, () -> load(mismatch)).getMessage());

        Path singles = tmp.resolve("singles");
        gray(singles.resolve("a/a.png"), "png", 2, 2, 1);
        gray(singles.resolve("b/b.png"), "png", 2, 2, 1);
        assertEquals(singles + " leaves no readable pictures for testing: each class keeps its only picture for"
                + " training; add pictures, or a test folder",
                assertThrows(DataFileException.class, () -> load(singles)).getMessage());

        Path sizes = tmp.resolve("sizes");
        gray(sizes.resolve("a/a.png"), "png", 32, 32, 1);
        gray(sizes.resolve("b/b.png"), "png", 40, 30, 1);
        assertEquals("pictures in " + sizes + " differ in size: " + sizes.resolve("a/a.png") + " is 32x32 but "
                        + sizes.resolve("b/b.png") + " is 40x30; pass --image-size H[xW] and --resize stretch|crop|pad",
                assertThrows(DataFileException.class, () -> load(sizes)).getMessage());
    }

    @Test
    void unreadableFilesAreListedOrSkipped() throws Exception {
        Path dir = tmp.resolve("bad");
        for (String name : List.of("a/ok.png", "a/ok2.png", "b/ok.png", "b/ok2.png")) {
            gray(dir.resolve(name), "png", 2, 2, 1);
        }
        for (String name : List.of("a/t1.png", "a/t2.png", "b/t3.png", "b/t4.png")) {
            Files.writeString(dir.resolve(name), "not a picture");
        }
        Files.createSymbolicLink(dir.resolve("b/gone.png"), tmp.resolve("missing.png"));
        DataFileException e = assertThrows(DataFileException.class, () -> load(dir));
        assertEquals("5 files of 9 in " + dir + " are not readable pictures: " + decoderSays(dir.resolve("a/t1.png"))
                + "; " + decoderSays(dir.resolve("a/t2.png")) + "; picture " + dir.resolve("b/gone.png") + " does not exist;"
                + " and 2 more; pass --skip-unreadable to leave them out", e.getMessage());

        PictureTrees.Recorder recorder = new PictureTrees.Recorder();
        DataOptions skip = new DataOptions(Preprocessing.NONE, 0.2, 0, true, tmp.resolve("cache"), recorder);
        DataSplit split = ImageFolder.load(dir, skip);
        assertEquals(4, split.train().size() + split.test().size());
        assertEquals(5, recorder.skipped.size());
        assertEquals(dir.resolve("a/t1.png") + ": " + decoderSays(dir.resolve("a/t1.png")), recorder.skipped.get(0));

        PictureTrees.Recorder again = new PictureTrees.Recorder();
        ImageFolder.load(dir, new DataOptions(Preprocessing.NONE, 0.2, 0, true, tmp.resolve("cache"), again));
        assertEquals(0, again.decoded, "the cache remembers what was skipped");
        assertEquals(recorder.skipped, again.skipped);
        assertEquals(e.getMessage(), assertThrows(DataFileException.class, () -> load(dir)).getMessage(),
                "without skipping, a cached load refuses the same files");

        Path worthless = tmp.resolve("worthless");
        Files.createDirectories(worthless.resolve("a"));
        Files.createDirectories(worthless.resolve("b"));
        Files.writeString(worthless.resolve("a/x.png"), "no");
        Files.writeString(worthless.resolve("b/y.png"), "no");
        assertEquals("none of the 2 picture files in " + worthless + " is readable: "
                + decoderSays(worthless.resolve("a/x.png")), assertThrows(DataFileException.class, () -> ImageFolder.load(worthless, skip)).getMessage());
    }

    /** The decoder's own sentence about a file it cannot read, which the data set's error repeats. */
    private static String decoderSays(Path file) {
        return assertThrows(DataFileException.class, () -> ImageDecoder.read(file, Preprocessing.NONE)).getMessage();
    }

    @Test
    void looksLikeWantsASubfolder() throws Exception {
        assertFalse(ImageFolder.looksLike(Files.createDirectories(tmp.resolve("flat"))));
        Files.createDirectories(tmp.resolve("flat/.hidden"));
        assertFalse(ImageFolder.looksLike(tmp.resolve("flat")));
        Files.createDirectories(tmp.resolve("flat/cat"));
        assertTrue(ImageFolder.looksLike(tmp.resolve("flat")));
        assertFalse(ImageFolder.looksLike(tmp.resolve("nowhere")));
    }
}
