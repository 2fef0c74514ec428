package io.cnn4j.data;

import io.cnn4j.tensor.Rng;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;

import static io.cnn4j.data.Mentions.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DataLoaderTest {
    /** {@code n} 1x1x2 images whose pixels both equal their index; label = index % 3. */
    private static Dataset indexed(int n) {
        byte[] pixels = new byte[2 * n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            pixels[2 * i] = (byte) i;
            pixels[2 * i + 1] = (byte) i;
            labels[i] = i % 3;
        }
        return Dataset.of(pixels, labels, 1, 1, 2, List.of("a", "b", "c"), n + " indexed images");
    }

    private static List<Batch> epoch(DataLoader loader) {
        List<Batch> batches = new ArrayList<>();
        loader.nextEpoch().forEach(batches::add);
        return batches;
    }

    private static int[] served(List<Batch> batches) {
        return batches.stream().flatMapToInt(b -> Arrays.stream(b.indices())).toArray();
    }

    @Test
    void everyIndexExactlyOncePerEpochWithAPartialLastBatch() {
        DataLoader loader = DataLoader.shuffled(indexed(10), 4, 1);
        assertEquals(3, loader.batchesPerEpoch());
        for (int e = 1; e <= 3; e++) {
            List<Batch> batches = epoch(loader);
            assertEquals(List.of(4, 4, 2), batches.stream().map(Batch::size).toList());
            int[] seen = served(batches);
            int[] sorted = seen.clone();
            Arrays.sort(sorted);
            assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted);
            assertArrayEquals(loader.order(), seen);
            assertEquals(e, loader.epoch());
            assertEquals(3, loader.position());
        }
    }

    @Test
    void batchContentMatchesItsIndices() {
        Batch b = DataLoader.shuffled(indexed(10), 4, 7).nextEpoch().iterator().next();
        assertArrayEquals(new int[] {4, 1, 1, 2}, b.images().dims());
        for (int k = 0; k < b.size(); k++) {
            int i = b.indices()[k];
            assertEquals(i / 255f, b.images().get(k, 0, 0, 1));
            assertEquals(i % 3, b.labels()[k]);
        }
    }

    /** PyTorch's drop_last=False: a batch larger than the dataset is one batch of all of it, whatever its size. */
    @Test
    void batchSizeOfIntMaxTrainsOneBatchNotZero() {
        DataLoader loader = DataLoader.shuffled(indexed(10), Integer.MAX_VALUE, 1);
        assertEquals(1, loader.batchesPerEpoch());
        assertEquals(List.of(10), epoch(loader).stream().map(Batch::size).toList());
        assertEquals(List.of(10), epoch(new DataLoader(indexed(10), Integer.MAX_VALUE - 1, false, false, null))
                .stream().map(Batch::size).toList());
    }

    @Test
    void dropLastDiscardsThePartialBatch() {
        DataLoader loader = new DataLoader(indexed(10), 4, true, true, new Rng(3));
        assertEquals(2, loader.batchesPerEpoch());
        List<Batch> batches = epoch(loader);
        assertEquals(List.of(4, 4), batches.stream().map(Batch::size).toList());
        assertEquals(8, Arrays.stream(served(batches)).distinct().count());
    }

    @Test
    void dropLastThatWouldLeaveNothingIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DataLoader(indexed(3), 4, false, true, null));
        assertMentions(e, "3 images", "batch", "4");
    }

    @Test
    void sameSeedSameOrderDifferentEpochsDifferentOrder() {
        DataLoader a = DataLoader.shuffled(indexed(50), 8, 42);
        DataLoader b = DataLoader.shuffled(indexed(50), 8, 42);
        int[] first = served(epoch(a));
        int[] second = served(epoch(a));
        assertArrayEquals(first, served(epoch(b)));
        assertArrayEquals(second, served(epoch(b)));
        assertFalse(Arrays.equals(first, second), "two epochs drew the same permutation");
        assertFalse(Arrays.equals(first, served(epoch(DataLoader.shuffled(indexed(50), 8, 43)))),
                "seeds 42 and 43 gave the same order");
    }

    @Test
    void withoutShuffleBatchesFollowFileOrderEveryEpoch() {
        DataLoader loader = DataLoader.sequential(indexed(5), 2);
        for (int e = 0; e < 2; e++) {
            List<Batch> batches = epoch(loader);
            assertArrayEquals(new int[] {0, 1, 2, 3, 4}, served(batches));
            assertEquals(List.of(2, 2, 1), batches.stream().map(Batch::size).toList());
        }
    }

    @Test
    void restoringAMidEpochStateReplaysTheSameBatches() {
        DataLoader original = DataLoader.shuffled(indexed(30), 4, 9);
        epoch(original);
        original.nextEpoch();
        original.nextBatch();
        original.nextBatch();
        DataLoader.State saved = original.state();
        List<Batch> rest = new ArrayList<>();
        original.remaining().forEach(rest::add);
        int[] next = served(epoch(original));

        DataLoader resumed = DataLoader.shuffled(indexed(30), 4, 12345);
        resumed.restore(saved);
        assertEquals(2, resumed.epoch());
        assertEquals(2, resumed.position());
        List<Batch> resumedRest = new ArrayList<>();
        resumed.remaining().forEach(resumedRest::add);
        assertArrayEquals(served(rest), served(resumedRest));
        assertArrayEquals(next, served(epoch(resumed)));
    }

    @Test
    void aStateNoLoaderCanReachIsRefused() {
        var start = new Rng(1).state();
        assertMentions(assertThrows(IllegalArgumentException.class, () -> new DataLoader.State(1, -1, start, 10, 4, true)),
                "position must be >= 0, got -1");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> new DataLoader.State(1, 4, start, 10, 4, true)),
                "position 4 (batches served) is beyond the 3 batches of epoch 1 (10 images in batches of 4)");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> new DataLoader.State(0, 1, start, 10, 4, true)),
                "position 1 (batches served) is beyond the 0 batches of epoch 0");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> new DataLoader.State(1, 0, start, 10, 0, true)),
                "batch size must be >= 1, got 0");
        DataLoader dropping = new DataLoader(indexed(10), 4, false, true, null);
        assertMentions(assertThrows(IllegalArgumentException.class, () -> dropping.restore(new DataLoader.State(1, 3, start, 10, 4, false))),
                "the saved position, 3 batches served, is beyond the 2 batches of an epoch");
    }

    @Test
    void restoreIntoADifferentLoaderIsRefused() {
        DataLoader.State state = DataLoader.shuffled(indexed(30), 4, 9).state();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataLoader.shuffled(indexed(20), 4, 9).restore(state));
        assertMentions(e, "30 images", "20 images");
    }

    @Test
    void noBatchesBeforeTheFirstEpoch() {
        DataLoader loader = DataLoader.sequential(indexed(5), 2);
        assertFalse(loader.hasNextBatch());
        NoSuchElementException e = assertThrows(NoSuchElementException.class, loader::nextBatch);
        assertMentions(e, "nextEpoch()");
    }
}
