package io.cnn4j.train;

/**
 * What a model made of each image of a set, in the set's order: the class it predicted, the probability
 * it gave that class, and the image's cross-entropy (minus the log of the true class's probability). A
 * report picks the worst mistakes and a sample of right and wrong answers from these, without a second
 * pass over the set. The arrays are shared, not copied: treat them as read-only.
 */
public record ImageOutcomes(int[] predicted, float[] confidence, float[] loss) {
    public ImageOutcomes {
        if (predicted.length != confidence.length || predicted.length != loss.length) {
            throw new IllegalArgumentException("image outcomes: " + predicted.length + " predictions, " + confidence.length
                    + " confidences and " + loss.length + " losses");
        }
    }

    public int size() {
        return predicted.length;
    }
}
