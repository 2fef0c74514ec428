package io.cnn4j.data;

import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static io.cnn4j.data.IdxBytes.labels;
import static io.cnn4j.data.Mentions.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetTest {
    private static final List<String> ABC = List.of("a", "b", "c");

    /** Three 1x2x2 images: [0, 255, 128, 1], [10, 20, 30, 40], [50, 60, 70, 80]. */
    private static Dataset three() {
        byte[] pixels = {0, (byte) 255, (byte) 128, 1, 10, 20, 30, 40, 50, 60, 70, 80};
        return Dataset.of(pixels, new int[] {2, 0, 1}, 1, 2, 2, ABC, "three images");
    }

    @Test
    void scalesBytesToUnitRangeByDividingBy255Only() {
        Tensor x = three().image(0);
        assertEquals(Shape.of(1, 1, 2, 2), x.shape());
        assertEquals(0f, x.get(0, 0, 0, 0));
        assertEquals(1f, x.get(0, 0, 0, 1));
        assertEquals(128 / 255f, x.get(0, 0, 1, 0));
        assertEquals(1 / 255f, x.get(0, 0, 1, 1));
    }

    @Test
    void batchTakesImagesInTheOrderAsked() {
        Dataset d = three();
        Tensor x = d.batch(2, 0);
        assertEquals(Shape.of(2, 1, 2, 2), x.shape());
        assertEquals(50 / 255f, x.get(0, 0, 0, 0));
        assertEquals(0f, x.get(1, 0, 0, 0));
        int[] labels = new int[2];
        d.copyLabels(new int[] {2, 0}, 0, 2, labels, 0);
        assertArrayEquals(new int[] {1, 2}, labels);
    }

    @Test
    void describesShapeAndClasses() {
        Dataset d = three();
        assertEquals(3, d.size());
        assertEquals(Shape.of(1, 2, 2), d.imageShape());
        assertEquals(3, d.numClasses());
        assertEquals("c", d.className(d.label(0)));
        assertArrayEquals(new int[] {1, 1, 1}, d.classCounts());
    }

    @Test
    void indexOutsideTheDatasetIsNamed() {
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> three().batch(0, 3));
        assertMentions(e, "image 3", "three images", "3 images");
    }

    @Test
    void subsetKeepsTheFirstImagesAndSaysSo() {
        Dataset sub = three().subset(2);
        assertEquals(2, sub.size());
        assertArrayEquals(new int[] {2, 0}, sub.labels());
        assertEquals(10 / 255f, sub.image(1).get(0, 0, 0, 0));
        assertEquals("first 2 of three images", sub.description());
        assertThrows(IndexOutOfBoundsException.class, () -> sub.image(2));
    }

    @Test
    void aMappedDatasetServesTheSameBatchesAsAHeapOne(@TempDir Path tmp) throws Exception {
        Dataset heap = three();
        Path file = tmp.resolve("pixels");
        Files.write(file, new byte[] {0, (byte) 255, (byte) 128, 1, 10, 20, 30, 40, 50, 60, 70, 80});
        MemorySegment segment;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            segment = channel.map(FileChannel.MapMode.READ_ONLY, 0, 12, Arena.ofAuto());
        }
        Dataset mapped = Dataset.over(segment, new int[] {2, 0, 1}, 1, 2, 2, ABC, "three mapped images");
        assertTrue(mapped.isMapped());
        assertFalse(heap.isMapped());
        int[] order = {1, 2, 0, 2};
        assertArrayEquals(heap.batch(order).data(), mapped.batch(order).data());
        float[] out = new float[2 + 2 * 4];
        float[] expected = out.clone();
        mapped.copyImages(order, 1, 3, out, 2);
        heap.copyImages(order, 1, 3, expected, 2);
        assertArrayEquals(expected, out);
        Dataset selected = mapped.select(new int[] {2, 0}, "picked");
        assertArrayEquals(heap.batch(2, 0).data(), selected.batch(0, 1).data());
        assertArrayEquals(new int[] {1, 2}, selected.labels());
        assertArrayEquals(heap.batch(2).data(), selected.select(new int[] {0}, "again").subset(1).batch(0).data());
        assertThrows(IndexOutOfBoundsException.class, () -> selected.image(2));
        // A copy of its own, in the heap, of a selection of a mapped file's images.
        Dataset copied = mapped.copyOf(new int[] {2, 0}, "copied");
        assertFalse(copied.isMapped());
        assertArrayEquals(selected.batch(0, 1).data(), copied.batch(0, 1).data());
        assertArrayEquals(selected.labels(), copied.labels());
        assertEquals("copied", copied.description());
        assertThrows(IndexOutOfBoundsException.class, () -> mapped.copyOf(new int[] {3}, "x"));
    }

    @Test
    void aMappedFileOver2GBIsAddressedWhole(@TempDir Path tmp) throws Exception {
        int side = 1024;
        int images = 2049; // one MiB each: the last one starts at 2 GiB
        Path file = tmp.resolve("sparse");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {7, 8}), (long) (images - 1) * side * side);
            channel.truncate((long) images * side * side);
            channel.write(ByteBuffer.wrap(new byte[] {9}), (long) images * side * side - 1);
        }
        MemorySegment segment;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            segment = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), Arena.ofAuto());
        }
        Dataset big = Dataset.over(segment, new int[images], 1, side, side, List.of("a", "b"), "sparse");
        float[] last = big.select(new int[] {images - 1, 0}, "last").image(0).data();
        assertEquals(7 / 255f, last[0]);
        assertEquals(8 / 255f, last[1]);
        assertEquals(9 / 255f, last[side * side - 1]);
        assertEquals(0f, big.image(images - 2).data()[side * side - 1]);
    }

    @Test
    void selectSharesPixelsAndKeepsTheOrderAsked() {
        Dataset d = three();
        Dataset picked = d.select(new int[] {2, 1}, "picked");
        assertEquals("picked", picked.description());
        assertArrayEquals(new int[] {1, 0}, picked.labels());
        assertEquals(50 / 255f, picked.image(0).get(0, 0, 0, 0));
        assertEquals(10 / 255f, picked.subset(2).image(1).get(0, 0, 0, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> d.select(new int[] {3}, "x"));
    }

    @Test
    void fromIdxPairsImagesWithLabels() throws Exception {
        IdxFile images = IdxFile.of("img", new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2);
        IdxFile labelFile = IdxFile.of("lab", labels(1, 0), 2);
        Dataset d = Dataset.fromIdx(images, labelFile, ABC, "pair");
        assertEquals(2, d.size());
        assertEquals(1, d.channels());
        assertArrayEquals(new int[] {1, 0}, d.labels());
        assertEquals(5 / 255f, d.image(1).get(0, 0, 0, 0));
    }

    @Test
    void countMismatchNamesBothFilesAndBothCounts() {
        IdxFile images = IdxFile.of("dir/train-images", new byte[12], 3, 2, 2);
        IdxFile labelFile = IdxFile.of("dir/train-labels", labels(0, 1), 2);
        DataFileException e = assertThrows(DataFileException.class, () -> Dataset.fromIdx(images, labelFile, ABC, "x"));
        assertMentions(e, "dir/train-images", "3 images", "dir/train-labels", "2 labels");
    }

    @Test
    void labelOutOfRangeNamesFileValueAndIndex() {
        IdxFile images = IdxFile.of("img", new byte[12], 3, 2, 2);
        IdxFile labelFile = IdxFile.of("dir/labels", labels(0, 2, 7), 3);
        DataFileException e = assertThrows(DataFileException.class, () -> Dataset.fromIdx(images, labelFile, ABC, "x"));
        assertMentions(e, "dir/labels", "label 7", "index 2", "3 classes");

        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> Dataset.of(new byte[4], new int[] {-1}, 1, 2, 2, ABC, "made up"));
        assertMentions(e2, "made up", "label -1", "index 0");
    }

    @Test
    void anImageFileWithNoImagesIsAnErrorNamingIt() {
        IdxFile images = IdxFile.of("dir/train-images", new byte[0], 0, 2, 2);
        IdxFile labelFile = IdxFile.of("dir/train-labels", new byte[0], 0);
        DataFileException e = assertThrows(DataFileException.class, () -> Dataset.fromIdx(images, labelFile, ABC, "x"));
        assertEquals("dir/train-images holds no images: there is nothing to train or evaluate on", e.getMessage());
    }

    @Test
    void rejectsFilesOfTheWrongRank() {
        IdxFile flat = IdxFile.of("flat-images", new byte[3], 3);
        IdxFile labelFile = IdxFile.of("labels", labels(0, 1, 2), 3);
        DataFileException e = assertThrows(DataFileException.class, () -> Dataset.fromIdx(flat, labelFile, ABC, "x"));
        assertMentions(e, "flat-images", "[3]", "[N, H, W]");
    }
}
