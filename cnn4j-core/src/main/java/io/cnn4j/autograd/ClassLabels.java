package io.cnn4j.autograd;

import io.cnn4j.tensor.Tensor;

/** The checks a classification loss makes of its scores {@code [N, C]} (logits, log-probabilities) and their N class indices. */
final class ClassLabels {
    private ClassLabels() {
    }

    /** The number of classes C, after checking the shapes and that every label lies in {@code [0, C)}. */
    static int check(String loss, String scoresName, Tensor scores, int[] labels) {
        if (scores.rank() != 2) {
            throw new IllegalArgumentException(loss + ": expected " + scoresName + " [N, classes], got " + scores.shape());
        }
        int n = scores.dim(0);
        int c = scores.dim(1);
        if (labels.length != n) {
            throw new IllegalArgumentException(loss + ": " + labels.length + " labels for a batch of " + n + " " + scoresName);
        }
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= c) {
                throw new IllegalArgumentException(loss + ": label " + labels[i] + " at batch position " + i
                        + " is outside [0, " + c + ")");
            }
        }
        return c;
    }
}
