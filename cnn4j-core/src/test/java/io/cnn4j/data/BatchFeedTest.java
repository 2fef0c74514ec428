package io.cnn4j.data;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Prefetching changes when batches are made, never what they are; it stops cleanly and reports its state. */
class BatchFeedTest {

    /** {@code n} 1x6x6 images with distinct pixels. */
    private static Dataset images(int n) {
        byte[] pixels = new byte[n * 36];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 37 % 251);
        }
        int[] labels = new int[n];
        return Dataset.of(pixels, labels, 1, 6, 6, List.of("only"), n + " images");
    }

    private static Augmentation augmentation() {
        return new Augmentation(9, List.of(new RandomCrop(1), new HorizontalFlip(0.5), RandomErasing.of(0.5)));
    }

    private static BatchFeed feed(int prefetch) {
        return new BatchFeed(DataLoader.shuffled(images(50), 8, 3), augmentation(), prefetch);
    }

    private static List<float[]> epochs(BatchFeed feed, int epochs) {
        List<float[]> out = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            feed.startEpoch();
            while (feed.hasNext()) {
                out.add(feed.next().images().data());
            }
        }
        return out;
    }

    @Test
    void prefetchedBatchesAreTheSameAsBatchesMadeOnDemand() {
        List<float[]> direct;
        try (BatchFeed f = feed(0)) {
            direct = epochs(f, 3);
        }
        for (int prefetch : new int[] {1, 2}) {
            try (BatchFeed f = feed(prefetch)) {
                List<float[]> ahead = epochs(f, 3);
                assertEquals(direct.size(), ahead.size());
                for (int i = 0; i < direct.size(); i++) {
                    assertArrayEquals(direct.get(i), ahead.get(i), "batch " + i + " with prefetch " + prefetch);
                }
                assertTrue(f.waitSeconds() >= 0);
            }
        }
        assertEquals(0, prefetchThreads(), "closing the feeds stops their threads");
    }

    @Test
    void stateIsWhereTheDeliveredBatchesLeaveTheLoaderAndResumesThere() {
        List<float[]> straight;
        try (BatchFeed f = feed(0)) {
            straight = epochs(f, 2);
        }
        BatchFeed first = feed(2);
        first.startEpoch();
        first.next();
        first.next();
        first.next();
        DataLoader.State state = first.state();
        assertEquals(1, state.epoch());
        assertEquals(3, state.position(), "the thread ran ahead, the state did not");
        first.close();
        assertEquals(state, first.loader().state(), "after stopping, the loader is back where the deliveries left it");

        try (BatchFeed resumed = feed(2)) {
            resumed.restore(state);
            resumed.resumeEpoch();
            List<float[]> rest = new ArrayList<>();
            while (resumed.hasNext()) {
                rest.add(resumed.next().images().data());
            }
            rest.addAll(epochs(resumed, 1));
            assertEquals(straight.size() - 3, rest.size());
            for (int i = 0; i < rest.size(); i++) {
                assertArrayEquals(straight.get(i + 3), rest.get(i), "batch " + (i + 3));
            }
        }
    }

    @Test
    void aFailureWhileAssemblingReachesTheConsumerAndStopsTheThread() {
        Augmentation failing = new Augmentation(1, List.of((pixels, offset, c, h, w, rng) -> {
            if (offset > 0) {
                throw new IllegalStateException("bad image");
            }
        }));
        try (BatchFeed f = new BatchFeed(DataLoader.shuffled(images(50), 8, 3), failing, 2)) {
            f.startEpoch();
            var e = assertThrows(IllegalStateException.class, f::next);
            assertEquals("bad image", e.getMessage());
        }
        assertEquals(0, prefetchThreads());
    }

    @Test
    void nextAfterTheEpochEndsIsAnError() {
        try (BatchFeed f = new BatchFeed(DataLoader.sequential(images(10), 8), null, 1)) {
            assertFalse(f.hasNext());
            f.startEpoch();
            Batch a = f.next();
            Batch b = f.next();
            assertEquals(8, a.size());
            assertEquals(2, b.size());
            assertFalse(f.hasNext());
            assertThrows(NoSuchElementException.class, f::next);
            assertSame(f.loader(), f.loader());
        }
    }

    @Test
    void withoutAugmentationTheLoadersBatchesPassThrough() {
        Dataset d = images(20);
        DataLoader reference = DataLoader.shuffled(d, 4, 5);
        reference.nextEpoch();
        try (BatchFeed f = new BatchFeed(DataLoader.shuffled(d, 4, 5), null, 2)) {
            f.startEpoch();
            while (f.hasNext()) {
                Batch expected = reference.nextBatch();
                Batch actual = f.next();
                assertArrayEquals(expected.indices(), actual.indices());
                assertArrayEquals(expected.images().data(), actual.images().data());
            }
        }
    }

    private static long prefetchThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("cnn4j-prefetch") && t.isAlive()).count();
    }
}
