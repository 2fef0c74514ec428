package io.cnn4j.loss;

import io.cnn4j.autograd.Functional;
import io.cnn4j.tensor.Tensor;

/**
 * The training losses. Both return a one-element tensor to call {@link Tensor#backward()} on.
 *
 * <p><b>Cross-entropy</b> takes raw scores (logits), not probabilities: the softmax is inside, computed
 * as a numerically stable log-softmax, exactly PyTorch's {@code F.cross_entropy}.
 *
 * <p><b>Mean squared error</b> is {@code mean((y - ŷ)^2)} over every element, PyTorch's
 * {@code F.mse_loss}. The tutorial's {@code 1/(2N) Σ (y - ŷ)^2} over N scalar predictions is half of
 * it: {@code mse(ŷ, y) / 2} (for N predictions of K values each, the tutorial's sum over all N·K terms
 * divided by 2N is {@code K/2 * mse}). The factor only rescales the gradient, like the learning rate.
 */
public final class Losses {
    private Losses() {
    }

    /** Cross-entropy of logits {@code [N, C]} against class indices in {@code [0, C)}, mean over the batch. */
    public static Tensor crossEntropy(Tensor logits, int[] labels) {
        return Functional.crossEntropy(logits, labels, 0f);
    }

    /**
     * Cross-entropy with label smoothing {@code eps}: the target is {@code 1 - eps} on the label plus
     * {@code eps / C} on every class.
     */
    public static Tensor crossEntropy(Tensor logits, int[] labels, float labelSmoothing) {
        return Functional.crossEntropy(logits, labels, labelSmoothing);
    }

    /** Mean squared error over all elements; shapes must match. */
    public static Tensor mse(Tensor prediction, Tensor target) {
        return Functional.mse(prediction, target);
    }
}
