package io.cnn4j.train;

/**
 * Callbacks of a {@link Trainer} run, for progress bars, metric files and early stopping. Every method
 * has an empty default; implement the ones you need.
 */
public interface TrainingListener {

    /** Before the first step of an epoch ({@code epoch} counts from 1). */
    default void onEpochStart(int epoch, int batchesInEpoch) {
    }

    /** After each optimizer step. */
    default void onStep(StepMetrics step) {
    }

    /**
     * After an epoch's evaluation, just before {@link #onEpochEnd}: the full results, confusion matrices
     * included, so that a listener that shows them needs no second pass over the sets. {@code validation}
     * or {@code test} is null where the run has no such set.
     */
    default void onEvaluation(int epoch, Evaluation validation, Evaluation test) {
    }

    /** After an epoch's training and evaluation. */
    default void onEpochEnd(EpochMetrics metrics) {
    }
}
