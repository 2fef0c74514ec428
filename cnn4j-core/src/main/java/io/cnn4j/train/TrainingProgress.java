package io.cnn4j.train;

/**
 * Where a {@link Trainer} stands, for a checkpoint: optimizer steps taken, epochs begun and whether the
 * last one is still open (batches or its evaluation left), the running totals of that epoch (so its
 * metrics come out the same after a resume), and the best validation result so far with the epochs
 * since it (for early stopping). {@code bestEpoch} is 0 while no epoch has been validated.
 *
 * <p>The values must be ones a trainer can reach: counters not negative, the epoch's first step not after
 * the last, no more correct answers than images seen, the best epoch one that has begun, and so on; a
 * hand-edited or damaged checkpoint that breaks this is refused with the rule it breaks.
 */
public record TrainingProgress(long step, int epoch, boolean inEpoch, long epochFirstStep, double lossSum, long correct,
                               long seen, int bestEpoch, double bestAccuracy, int epochsWithoutImprovement,
                               boolean stoppedEarly) {

    public TrainingProgress {
        notNegative("step", step);
        notNegative("epoch", epoch);
        notNegative("epochFirstStep", epochFirstStep);
        notNegative("correct", correct);
        notNegative("seen", seen);
        notNegative("bestEpoch", bestEpoch);
        notNegative("epochsWithoutImprovement", epochsWithoutImprovement);
        require(epoch > 0 || step == 0 && !inEpoch, "no epoch has begun, so there can be no steps and no open epoch");
        require(epochFirstStep <= step, "the epoch's first step (" + epochFirstStep + ") is after the last (" + step + ")");
        require(seen >= step - epochFirstStep, "the epoch's " + (step - epochFirstStep) + " steps saw only " + seen + " images");
        require(correct <= seen, correct + " correct answers out of " + seen + " images");
        require(Double.isFinite(lossSum), "the epoch's loss sum is " + lossSum);
        require(bestEpoch <= epoch, "the best epoch (" + bestEpoch + ") has not begun (epoch " + epoch + ")");
        require(bestEpoch == 0 ? Double.isNaN(bestAccuracy) : bestAccuracy >= 0 && bestAccuracy <= 1,
                "the best validation accuracy " + bestAccuracy + " does not fit best epoch " + bestEpoch
                        + " (NaN before any validation, else from 0 to 1)");
        require(epochsWithoutImprovement <= epoch - bestEpoch, epochsWithoutImprovement
                + " epochs without improvement since the best epoch " + bestEpoch + ", at epoch " + epoch);
    }

    /** A trainer that has not begun. */
    public static TrainingProgress start() {
        return new TrainingProgress(0, 0, false, 0, 0, 0, 0, 0, Double.NaN, 0, false);
    }

    private static void notNegative(String name, long value) {
        require(value >= 0, name + " is " + value + ", below 0");
    }

    private static void require(boolean consistent, String problem) {
        if (!consistent) {
            throw new IllegalArgumentException("inconsistent training progress: " + problem);
        }
    }
}
