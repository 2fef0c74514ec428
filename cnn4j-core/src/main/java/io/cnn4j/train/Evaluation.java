package io.cnn4j.train;

/**
 * A model's results on a labelled set: mean cross-entropy, accuracy, accuracy per class and the
 * confusion matrix ({@code confusion[true][predicted]}).
 */
public record Evaluation(int count, double loss, double accuracy, double[] perClassAccuracy, int[][] confusion) {

    /** Number of images of class {@code c} in the set. */
    public int support(int c) {
        int n = 0;
        for (int v : confusion[c]) {
            n += v;
        }
        return n;
    }
}
