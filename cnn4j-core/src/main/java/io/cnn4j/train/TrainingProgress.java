package io.cnn4j.train;

/**
 * Where a {@link Trainer} stands, for a checkpoint: optimizer steps taken, epochs begun and whether the
 * last one is still open (batches or its evaluation left), the running totals of that epoch (so its
 * metrics come out the same after a resume), and the best validation result so far with the epochs
 * since it (for early stopping). {@code bestEpoch} is 0 while no epoch has been validated.
 */
public record TrainingProgress(long step, int epoch, boolean inEpoch, long epochFirstStep, double lossSum, long correct,
                               long seen, int bestEpoch, double bestAccuracy, int epochsWithoutImprovement,
                               boolean stoppedEarly) {

    /** A trainer that has not begun. */
    public static TrainingProgress start() {
        return new TrainingProgress(0, 0, false, 0, 0, 0, 0, 0, Double.NaN, 0, false);
    }
}
