package io.cnn4j.data;

import io.cnn4j.tensor.Tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * One mini-batch: {@code images} {@code [B, C, H, W]} in [0, 1] (clips: {@code [B, C, T, H, W]}), their
 * class {@code labels} ({@code B} long), and the dataset {@code indices} they were taken from, so a caller
 * can find the misclassified images afterwards.
 */
public record Batch(Tensor images, int[] labels, int[] indices) {
    public Batch {
        if (images.rank() != 4 && images.rank() != 5 || images.dim(0) != labels.length || labels.length != indices.length) {
            throw new IllegalArgumentException("batch of images " + images.shape() + " with " + labels.length
                    + " labels and " + indices.length + " indices: expected [B, C, H, W] or [B, C, T, H, W] with B of each");
        }
    }

    /** B, the number of images. */
    public int size() {
        return labels.length;
    }

    /** Images {@code [from, to)} of this batch, in order, as a batch of their own (copied). */
    public Batch slice(int from, int to) {
        Objects.checkFromToIndex(from, to, size());
        int n = images.size() / Math.max(size(), 1);
        float[] pixels = Arrays.copyOfRange(images.data(), from * n, to * n);
        return new Batch(Tensor.of(pixels, to - from, images.dim(1), images.dim(2), images.dim(3)),
                Arrays.copyOfRange(labels, from, to), Arrays.copyOfRange(indices, from, to));
    }
}
