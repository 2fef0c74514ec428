package io.cnn4j.loss;

import io.cnn4j.autograd.Functional;
import io.cnn4j.tensor.Tensor;

/**
 * The training losses, PyTorch's with its defaults (the mean over the batch or over every element). Each
 * returns a one-element tensor to call {@link Tensor#backward()} on.
 *
 * <p><b>Cross-entropy</b> takes raw scores (logits), not probabilities: the softmax is inside, computed
 * as a numerically stable log-softmax, exactly PyTorch's {@code F.cross_entropy}.
 *
 * <p><b>Mean squared error</b> is {@code mean((y - ŷ)^2)} over every element, PyTorch's
 * {@code F.mse_loss}. The tutorial's {@code 1/(2N) Σ (y - ŷ)^2} over N scalar predictions is half of
 * it: {@code mse(ŷ, y) / 2} (for N predictions of K values each, the tutorial's sum over all N·K terms
 * divided by 2N is {@code K/2 * mse}). The factor only rescales the gradient, like the learning rate.
 * It takes tensors of any shape (an autoencoder's images, a regression's outputs).
 *
 * <p><b>Binary cross-entropy</b> takes logits too ({@code F.binary_cross_entropy_with_logits}): for
 * multi-label outputs and two-class problems with one output. <b>NLL</b> takes log-probabilities, for a
 * model that ends in LogSoftmax. <b>Smooth L1</b> and <b>Huber</b> are regression losses that grow
 * linearly, not quadratically, with large errors, so outliers pull less.
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

    /** Binary cross-entropy of logits against targets in [0, 1] of the same shape, mean over every element. */
    public static Tensor bceWithLogits(Tensor logits, Tensor target) {
        return Functional.bceWithLogits(logits, target, null);
    }

    /**
     * Binary cross-entropy weighing each positive term by {@code posWeight}, one value per position of the
     * logits' last dimension (PyTorch's {@code pos_weight}): above 1 favours recall on a rare label.
     */
    public static Tensor bceWithLogits(Tensor logits, Tensor target, float[] posWeight) {
        return Functional.bceWithLogits(logits, target, posWeight.clone());
    }

    /** Negative log-likelihood of log-probabilities {@code [N, C]} against class indices, mean over the batch. */
    public static Tensor nll(Tensor logProbs, int[] labels) {
        return Functional.nll(logProbs, labels);
    }

    /** Smooth L1 loss ({@code F.smooth_l1_loss}, default beta 1): quadratic below {@code beta}, linear above. */
    public static Tensor smoothL1(Tensor prediction, Tensor target, float beta) {
        return Functional.smoothL1(prediction, target, beta);
    }

    /** Huber loss ({@code F.huber_loss}, default delta 1): {@code delta} times smooth L1 with beta = delta. */
    public static Tensor huber(Tensor prediction, Tensor target, float delta) {
        return Functional.huber(prediction, target, delta);
    }

    /** Mean squared error over all elements; shapes must match. */
    public static Tensor mse(Tensor prediction, Tensor target) {
        return Functional.mse(prediction, target);
    }
}
