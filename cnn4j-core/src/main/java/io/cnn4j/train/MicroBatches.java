package io.cnn4j.train;

import io.cnn4j.data.ShardedOrder;

/**
 * How a step's batch is cut into micro-batches, and what each one weighs: the rule that
 * {@link Trainer#accumulate} and data-parallel workers share, so that they compute the same floats.
 *
 * <p>Micro-batch {@code k} of {@code n} holds images {@code [k * B / n, (k + 1) * B / n)} (integer
 * division) of a batch of {@code B}, in order. Its loss is the mean over its images, and its gradient is
 * multiplied by its weight {@code b_k / B} (one float division, then one float multiplication per value)
 * before the micro-batches' gradients are added in order: the mean over the whole batch, up to rounding.
 */
final class MicroBatches {
    private MicroBatches() {
    }

    /** The first image of micro-batch {@code k} of {@code n} in a batch of {@code size}. */
    static int from(int k, int n, int size) {
        return ShardedOrder.microBatchStart(k, n, size);
    }

    /** One past the last image of micro-batch {@code k}. */
    static int to(int k, int n, int size) {
        return from(k + 1, n, size);
    }

    /** What micro-batch {@code k}'s mean loss and gradient are multiplied by: its share of the batch. */
    static float weight(int k, int n, int size) {
        return (float) (to(k, n, size) - from(k, n, size)) / size;
    }
}
