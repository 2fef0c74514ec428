package io.cnn4j.train;

/**
 * How data-parallel workers add up their gradients: each worker passes its own values (its micro-batch's
 * gradients, already scaled, then its weighted loss and its count of correct predictions) and gets back,
 * in place, the element-wise sum over all workers.
 *
 * <p>The sum must be taken in rank order, {@code ((v0 + v1) + v2) + ...} in float arithmetic, whichever
 * worker does the adding: that is the order in which one process running {@link Trainer#accumulate}
 * adds its micro-batches, so that both give the same bits.
 */
@FunctionalInterface
public interface GradientSum {
    /** Replaces {@code values} with the sum, in rank order, of every worker's {@code values} (all of one length). */
    void sumInPlace(float[] values);
}
