package io.cnn4j.data;

import io.cnn4j.tensor.Rng;

/**
 * The order in which {@code shards} data-parallel workers, each holding only its own part of a training
 * set, visit it; and the same order for one process, so that it can reproduce their run.
 *
 * <ul>
 * <li><b>Shards.</b> Item {@code i} of the data set (in its own order) belongs to shard {@code i mod shards};
 * shard {@code k} holds items {@code k, k + shards, k + 2 * shards, ...}, which are its items {@code 0, 1, 2,
 * ...} in that order.</li>
 * <li><b>Epochs.</b> In epoch {@code e} (from 1), shard {@code k} is visited in a random permutation of its
 * items drawn by a {@link Rng} seeded with {@code h(h(h(seed) + e) + k)}, {@code h} being one step of that
 * generator from a seed: any worker, any process, draws it from these three numbers alone.</li>
 * <li><b>Steps.</b> A step's global batch of {@code batchSize} images is cut into micro-batches as
 * gradient accumulation cuts it: micro-batch {@code k} holds images {@code [k * B / n, (k + 1) * B / n)}
 * (integer division). It is filled with the next {@code b_k} items of shard {@code k}'s permutation.</li>
 * <li><b>End of an epoch.</b> Every step is whole: the epoch ends when some shard cannot fill its next
 * micro-batch, after {@code min_k floor(|shard k| / b_k)} steps; the items left at the ends of the
 * permutations are skipped that epoch (another epoch skips others), as PyTorch's {@code drop_last}.</li>
 * </ul>
 * A data set that gives some shard fewer items than its micro-batch, so no whole step at all, is refused.
 */
public record ShardedOrder(int items, int shards, int batchSize, long seed) {
    public ShardedOrder {
        if (shards < 1 || batchSize < shards) {
            throw new IllegalArgumentException("a sharded order needs at least 1 shard and a batch of at least one image"
                    + " per shard, got " + shards + " shard(s) and a batch of " + batchSize);
        }
        if (items < 0) {
            throw new IllegalArgumentException("a sharded order needs a data set of >= 0 images, got " + items);
        }
        for (int k = 0; k < shards; k++) {
            int size = (int) (((long) items - k + shards - 1) / shards);
            int micro = microBatchStart(k + 1, shards, batchSize) - microBatchStart(k, shards, batchSize);
            if (size < micro) {
                throw new IllegalArgumentException("the " + items + " training images dealt to " + shards + " shards give"
                        + " shard " + k + " " + size + " image(s), fewer than its micro-batch of " + micro + " (a batch of "
                        + batchSize + "), so not one step: give it more images, or use a smaller batch");
            }
        }
    }

    /**
     * The first image of micro-batch {@code k} of {@code n} in a batch of {@code size}: {@code k * size / n},
     * the rule gradient accumulation cuts batches by.
     */
    public static int microBatchStart(int k, int n, int size) {
        return (int) ((long) k * size / n);
    }

    /** The shard item {@code i} of the data set belongs to. */
    public int shardOf(int item) {
        return item % shards;
    }

    /** The items of shard {@code k}. */
    public int shardSize(int k) {
        return (int) (((long) items - k + shards - 1) / shards);
    }

    /** The images shard {@code k} gives each step: {@code b_k}. */
    public int microBatch(int k) {
        return microBatchStart(k + 1, shards, batchSize) - microBatchStart(k, shards, batchSize);
    }

    /** Whole steps in an epoch: as many as the shard that runs out first can fill. */
    public int stepsPerEpoch() {
        int steps = Integer.MAX_VALUE;
        for (int k = 0; k < shards; k++) {
            steps = Math.min(steps, shardSize(k) / microBatch(k));
        }
        return steps;
    }

    /** The data set's indices of shard {@code k}'s items, in the shard's order. */
    public int[] shardItems(int k) {
        int[] out = new int[shardSize(k)];
        for (int j = 0; j < out.length; j++) {
            out[j] = k + j * shards;
        }
        return out;
    }

    /**
     * Shard {@code k}'s items (numbered within the shard) as epoch {@code epoch} visits them: the first
     * {@code stepsPerEpoch() * b_k} of its permutation, {@code b_k} per step.
     */
    public int[] shardEpoch(int epoch, int k) {
        java.util.Objects.checkIndex(k, shards);
        if (epoch < 1) {
            throw new IllegalArgumentException("epochs count from 1, got " + epoch);
        }
        Rng rng = new Rng(next(next(next(seed) + epoch) + k));
        return java.util.Arrays.copyOf(rng.permutation(shardSize(k)), stepsPerEpoch() * microBatch(k));
    }

    /**
     * The data set's indices as one process visits them in epoch {@code epoch}: step after step, each step's
     * {@code batchSize} images being micro-batch 0 (from shard 0), then micro-batch 1 (from shard 1), and so on.
     */
    public int[] epoch(int epoch) {
        int steps = stepsPerEpoch();
        int[] out = new int[steps * batchSize];
        for (int k = 0; k < shards; k++) {
            int[] shard = shardEpoch(epoch, k);
            int b = microBatch(k);
            int start = microBatchStart(k, shards, batchSize);
            for (int s = 0; s < steps; s++) {
                for (int t = 0; t < b; t++) {
                    out[s * batchSize + start + t] = k + shard[s * b + t] * shards;
                }
            }
        }
        return out;
    }

    private static long next(long seed) {
        return new Rng(seed).nextLong();
    }
}
