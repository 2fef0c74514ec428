package io.cnn4j.data;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sharded order: each micro-batch from its own shard, each item at most once an epoch, a new
 * permutation every epoch, the same from the same numbers; and one process's batches are the shards'
 * micro-batches side by side.
 */
class ShardedOrderTest {
    @Property(tries = 200)
    void everyMicroBatchDrawsOnlyFromItsShardAndNoItemTwiceAnEpoch(@ForAll @IntRange(min = 1, max = 6) int shards,
                                                                   @ForAll @IntRange(min = 0, max = 20) int extra,
                                                                   @ForAll @IntRange(min = 0, max = 200) int moreItems,
                                                                   @ForAll @IntRange(min = 1, max = 3) int epoch) {
        int batch = shards + extra;
        int items = 2 * batch + moreItems;
        ShardedOrder order = new ShardedOrder(items, shards, batch, 17);
        int steps = order.stepsPerEpoch();
        int[] all = order.epoch(epoch);
        assertEquals(steps * batch, all.length);
        assertEquals(new HashSet<>(Arrays.stream(all).boxed().toList()).size(), all.length, "an item twice in an epoch");
        int skipped = items - all.length;
        for (int k = 0; k < shards; k++) {
            int from = ShardedOrder.microBatchStart(k, shards, batch);
            int b = order.microBatch(k);
            int[] local = order.shardEpoch(epoch, k);
            int[] items0 = order.shardItems(k);
            for (int s = 0; s < steps; s++) {
                for (int t = 0; t < b; t++) {
                    int item = all[s * batch + from + t];
                    assertEquals(k, order.shardOf(item), "micro-batch " + k + " of step " + s);
                    assertEquals(items0[local[s * b + t]], item, "the worker's micro-batch is the process's");
                }
            }
            // The epoch ends when the first shard runs short: every shard has less than a micro-batch more left.
            assertTrue(order.shardSize(k) - steps * b >= 0);
            skipped -= order.shardSize(k) - steps * b;
        }
        assertEquals(0, skipped);
        boolean someShardRunsOut = false;
        for (int k = 0; k < shards; k++) {
            someShardRunsOut |= order.shardSize(k) - steps * order.microBatch(k) < order.microBatch(k);
        }
        assertTrue(someShardRunsOut, "no whole step is left out");
    }

    @Test
    void theOrderIsTheSameFromTheSameNumbersAndNewEachEpoch() {
        ShardedOrder order = new ShardedOrder(1000, 4, 64, 5);
        assertArrayEquals(order.epoch(1), new ShardedOrder(1000, 4, 64, 5).epoch(1));
        assertArrayEquals(order.shardEpoch(2, 3), new ShardedOrder(1000, 4, 64, 5).shardEpoch(2, 3));
        assertFalse(Arrays.equals(order.shardEpoch(1, 0), order.shardEpoch(2, 0)), "a new permutation each epoch");
        assertFalse(Arrays.equals(order.shardEpoch(1, 0), order.shardEpoch(1, 1)), "each shard its own permutation");
        assertFalse(Arrays.equals(order.epoch(1), new ShardedOrder(1000, 4, 64, 6).epoch(1)), "the seed chooses it");
        // Over the epochs, the items skipped at the ends differ: in three epochs every item of shard 0 comes up.
        Set<Integer> seen = new HashSet<>();
        for (int e = 1; e <= 3; e++) {
            Arrays.stream(order.shardEpoch(e, 0)).forEach(seen::add);
        }
        assertEquals(order.shardSize(0), seen.size());
        assertArrayEquals(new int[] {2, 6, 10}, new ShardedOrder(11, 4, 4, 0).shardItems(2));
    }

    @Test
    void loadersServeTheOrderAndRestoreItsPosition() {
        Dataset data = images();
        ShardedOrder order = new ShardedOrder(data.size(), 3, 7, 9);
        DataLoader whole = DataLoader.sharded(data, order);
        DataLoader shard = DataLoader.shard(data.copyOf(order.shardItems(1), "shard 1"), order, 1);
        assertEquals(order.stepsPerEpoch(), whole.batchesPerEpoch());
        assertEquals(order.stepsPerEpoch(), shard.batchesPerEpoch());
        whole.nextEpoch();
        shard.nextEpoch();
        int from = ShardedOrder.microBatchStart(1, 3, 7);
        Batch global = whole.nextBatch();
        Batch micro = shard.nextBatch();
        assertArrayEquals(Arrays.copyOfRange(global.images().data(), from * data.itemSize(), (from + micro.size()) * data.itemSize()),
                micro.images().data());
        assertArrayEquals(Arrays.copyOfRange(global.labels(), from, from + micro.size()), micro.labels());
        // Every worker's state, and one process's, are alike: a checkpoint from any of them resumes any other.
        assertEquals(whole.state(), shard.state());
        DataLoader resumed = DataLoader.shard(data.copyOf(order.shardItems(1), "shard 1"), order, 1);
        resumed.restore(whole.state());
        assertArrayEquals(shard.nextBatch().labels(), resumed.nextBatch().labels());
    }

    /** 50 images of 2x2, each pixel its image's number, labels 0 to 4. */
    private static Dataset images() {
        byte[] pixels = new byte[50 * 4];
        int[] labels = new int[50];
        for (int i = 0; i < 50; i++) {
            Arrays.fill(pixels, i * 4, i * 4 + 4, (byte) i);
            labels[i] = i % 5;
        }
        return Dataset.of(pixels, labels, 1, 2, 2, java.util.List.of("a", "b", "c", "d", "e"), "fifty");
    }

    @Test
    void aShardTooSmallForItsMicroBatchIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ShardedOrder(5, 2, 5, 0));
        assertEquals("the 5 training images dealt to 2 shards give shard 1 2 image(s), fewer than its micro-batch of 3"
                + " (a batch of 5), so not one step: give it more images, or use a smaller batch", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ShardedOrder(100, 4, 3, 0));
        assertEquals("a sharded order needs at least 1 shard and a batch of at least one image per shard, got 4 shard(s)"
                + " and a batch of 3", e.getMessage());
        Dataset data = images();
        e = assertThrows(IllegalArgumentException.class, () -> DataLoader.shard(data, new ShardedOrder(data.size(), 2, 4, 0), 1));
        assertEquals("DataLoader: the sharded order is for " + data.size() / 2 + " images in shard 1, but dataset '"
                + data.description() + "' has " + data.size(), e.getMessage());
    }
}
