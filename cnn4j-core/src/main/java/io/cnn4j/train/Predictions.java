package io.cnn4j.train;

import io.cnn4j.tensor.Tensor;

/** Class decisions from a batch of logits or probabilities {@code [N, C]}. */
public final class Predictions {
    private Predictions() {
    }

    /** Index of the largest score of each row (the first on ties). */
    public static int[] argmax(Tensor scores) {
        int n = scores.dim(0);
        int c = scores.dim(1);
        float[] s = scores.data();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < c; j++) {
                if (s[i * c + j] > s[i * c + best]) {
                    best = j;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** How many rows of {@code scores} put their largest score on the label. */
    public static int correct(Tensor scores, int[] labels) {
        int[] predicted = argmax(scores);
        int n = 0;
        for (int i = 0; i < predicted.length; i++) {
            if (predicted[i] == labels[i]) {
                n++;
            }
        }
        return n;
    }
}
