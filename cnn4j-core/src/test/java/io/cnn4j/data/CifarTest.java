package io.cnn4j.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CifarTest {
    private static final int IMAGE = 3072;

    @TempDir
    Path tmp;

    /**
     * Records whose labels are {@code labels} (with {@code coarse} bytes before each when it is not null) and
     * whose pixels carry the record's number: red plane {@code 3n}, green {@code 3n+1}, blue {@code 3n+2}.
     */
    private static byte[] records(int first, int[] labels, boolean coarse) {
        int record = (coarse ? 2 : 1) + IMAGE;
        byte[] out = new byte[labels.length * record];
        for (int r = 0; r < labels.length; r++) {
            int at = r * record;
            if (coarse) {
                out[at++] = 99;
            }
            out[at++] = (byte) labels[r];
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < 1024; i++) {
                    out[at + c * 1024 + i] = (byte) (3 * (first + r) + c);
                }
            }
        }
        return out;
    }

    private static Path cifar10(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (int b = 1; b <= 5; b++) {
            Files.write(dir.resolve("data_batch_" + b + ".bin"), records(2 * (b - 1), new int[] {b % 3, (b + 1) % 3}, false));
        }
        Files.write(dir.resolve("test_batch.bin"), records(10, new int[] {2, 0, 1}, false));
        Files.writeString(dir.resolve("batches.meta.txt"), "airplane\nautomobile\nbird\n\n");
        return dir;
    }

    @Test
    void cifar10ReadsEveryBatchInOrderWithItsPlanes() throws Exception {
        Path dir = cifar10(tmp.resolve("cifar-10-batches-bin"));
        DataSplit split = Cifar.load(dir);
        Dataset train = split.train();
        assertEquals(List.of("airplane", "automobile", "bird"), train.classNames());
        assertEquals(10, train.size());
        assertArrayEquals(new int[] {1, 2, 2, 0, 0, 1, 1, 2, 2, 0}, train.labels());
        float[] x = train.image(7).data();
        assertEquals(3 * 32 * 32, x.length);
        assertArrayEquals(new float[] {21 / 255f, 22 / 255f, 23 / 255f}, new float[] {x[0], x[1024 + 5], x[2048 + 1023]});
        assertArrayEquals(new int[] {2, 0, 1}, split.test().labels());
        assertEquals("CIFAR-10 (" + dir + ": 10 train, 3 test images)", split.description());
        assertEquals(Optional.of(dir), Cifar.find(tmp), "the folder one level up finds the unpacked archive");
        assertEquals(10, Cifar.load(tmp).train().size());
    }

    @Test
    void cifar100UsesTheFineLabels() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("cifar-100-binary"));
        Files.write(dir.resolve("train.bin"), records(0, new int[] {3, 0, 2}, true));
        Files.write(dir.resolve("test.bin"), records(3, new int[] {1}, true));
        Files.writeString(dir.resolve("fine_label_names.txt"), "apple\naquarium_fish\nbaby\nbear\n");
        Files.writeString(dir.resolve("coarse_label_names.txt"), "fruit\n");
        DataSplit split = Cifar.load(tmp);
        assertArrayEquals(new int[] {3, 0, 2}, split.train().labels());
        assertEquals("bear", split.train().className(3));
        assertEquals(5 / 255f, split.train().image(1).data()[2048]);
        assertEquals("CIFAR-100 (" + dir + ": 3 train, 1 test images)", split.description());
    }

    @Test
    void badFilesAreNamed() throws Exception {
        Path dir = cifar10(tmp.resolve("c"));
        Path batch = dir.resolve("data_batch_2.bin");
        Files.write(batch, new byte[3073 + 10]);
        assertEquals(batch + " is 3083 bytes, not a whole number of 3073-byte CIFAR-10 records (1 label byte and 3072"
                + " pixel bytes each)", assertThrows(DataFileException.class, () -> Cifar.load(dir)).getMessage());

        Files.write(batch, records(0, new int[] {0, 3}, false));
        assertEquals(batch + " has label 3 at record 1, beyond the 3 classes named in " + dir.resolve("batches.meta.txt"),
                assertThrows(DataFileException.class, () -> Cifar.load(dir)).getMessage());

        Files.delete(batch);
        Files.delete(dir.resolve("test_batch.bin"));
        assertEquals("CIFAR-10 folder " + dir + " is incomplete: found no data_batch_2.bin, test_batch.bin",
                assertThrows(DataFileException.class, () -> Cifar.load(dir)).getMessage());

        Path hundred = Files.createDirectories(tmp.resolve("h"));
        Files.write(hundred.resolve("train.bin"), records(0, new int[] {0}, false));
        Files.write(hundred.resolve("test.bin"), records(0, new int[] {0}, true));
        Files.writeString(hundred.resolve("fine_label_names.txt"), "a\nb\n");
        assertEquals(hundred.resolve("train.bin") + " is 3073 bytes, not a whole number of 3074-byte CIFAR-100 records"
                + " (2 label bytes and 3072 pixel bytes each)",
                assertThrows(DataFileException.class, () -> Cifar.load(hundred)).getMessage());
    }
}
