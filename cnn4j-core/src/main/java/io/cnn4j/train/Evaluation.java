package io.cnn4j.train;

/**
 * A model's results on a labelled set: mean cross-entropy, accuracy, accuracy per class (its recall) and
 * the confusion matrix ({@code confusion[true][predicted]}), from which precision and F1 follow; and, where
 * the evaluator kept them, each image's outcome (null otherwise).
 */
public record Evaluation(int count, double loss, double accuracy, double[] perClassAccuracy, int[][] confusion,
                         ImageOutcomes images) {

    /** Results without the images' outcomes. */
    public Evaluation(int count, double loss, double accuracy, double[] perClassAccuracy, int[][] confusion) {
        this(count, loss, accuracy, perClassAccuracy, confusion, null);
    }

    /** Number of images of class {@code c} in the set. */
    public int support(int c) {
        int n = 0;
        for (int v : confusion[c]) {
            n += v;
        }
        return n;
    }

    /** Of the images of class {@code c}, the share predicted as {@code c}; NaN when the set has none. */
    public double recall(int c) {
        int support = support(c);
        return support == 0 ? Double.NaN : (double) confusion[c][c] / support;
    }

    /** Of the images predicted as class {@code c}, the share that are {@code c}; NaN when none was predicted so. */
    public double precision(int c) {
        int predicted = 0;
        for (int[] row : confusion) {
            predicted += row[c];
        }
        return predicted == 0 ? Double.NaN : (double) confusion[c][c] / predicted;
    }

    /** The harmonic mean of {@link #precision} and {@link #recall}: 0 when both are, NaN when either is undefined. */
    public double f1(int c) {
        double p = precision(c);
        double r = recall(c);
        if (Double.isNaN(p) || Double.isNaN(r)) {
            return Double.NaN;
        }
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }
}
