package io.cnn4j.autograd;

import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

/**
 * The differentiable operations, as functions of tensors (the counterpart of
 * {@code torch.nn.functional}). Each records itself for {@link Tensor#backward()} when an input
 * requires a gradient and {@link io.cnn4j.tensor.GradMode} is enabled.
 */
public final class Functional {
    private Functional() {
    }

    /**
     * 2-D convolution. Input {@code [N, C, H, W]}, weight {@code [O, C/groups, kH, kW]}, bias {@code [O]}
     * or null; output {@code [N, O, outH, outW]} with
     * {@code out = floor((in + padBefore + padAfter - dilation*(k-1) - 1) / stride) + 1}.
     */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, Conv2dSpec spec) {
        return Conv2dOp.apply(input, weight, bias, spec, false);
    }

    /** {@link #conv2d} followed by ReLU, in one pass over the output. */
    public static Tensor conv2dRelu(Tensor input, Tensor weight, Tensor bias, Conv2dSpec spec) {
        return Conv2dOp.apply(input, weight, bias, spec, true);
    }

    /** {@code input [N, in] * weight[out, in]^T + bias[out]}; bias may be null. */
    public static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
        return LinearOp.apply(input, weight, bias, false);
    }

    /** {@link #linear} followed by ReLU. */
    public static Tensor linearRelu(Tensor input, Tensor weight, Tensor bias) {
        return LinearOp.apply(input, weight, bias, true);
    }

    public static Tensor relu(Tensor x) {
        return ActivationOp.apply(Activation.RELU, 0f, x);
    }

    public static Tensor leakyRelu(Tensor x, float negativeSlope) {
        return ActivationOp.apply(Activation.LEAKY_RELU, negativeSlope, x);
    }

    public static Tensor sigmoid(Tensor x) {
        return ActivationOp.apply(Activation.SIGMOID, 0f, x);
    }

    public static Tensor tanh(Tensor x) {
        return ActivationOp.apply(Activation.TANH, 0f, x);
    }

    /** Softmax over the class dimension of {@code [N, C]}. */
    public static Tensor softmax(Tensor x) {
        return SoftmaxOp.apply(x, false);
    }

    /** Log-softmax over the class dimension of {@code [N, C]}. */
    public static Tensor logSoftmax(Tensor x) {
        return SoftmaxOp.apply(x, true);
    }

    /** Max pooling with a square window over {@code [N, C, H, W]}. */
    public static Tensor maxPool2d(Tensor x, int kernel, int stride, int padding) {
        return MaxPool2dOp.apply(x, kernel, stride, padding);
    }

    /** Average pooling with a square window; {@code countPadding} as PyTorch's {@code count_include_pad}. */
    public static Tensor avgPool2d(Tensor x, int kernel, int stride, int padding, boolean countPadding) {
        return AvgPool2dOp.apply(x, kernel, stride, padding, countPadding);
    }

    /** The same values under a new shape of equal size. */
    public static Tensor reshape(Tensor x, int... dims) {
        return ReshapeOp.apply(x, Shape.of(dims));
    }

    /** {@code [N, ...]} to {@code [N, product of the rest]}, in C order (channels, then rows, then columns). */
    public static Tensor flatten(Tensor x) {
        return ReshapeOp.apply(x, Shape.of(x.dim(0), x.shape().sizeFrom(1)));
    }

    /** Inverted dropout with drop probability {@code p}, drawing the mask from {@code rng}. */
    public static Tensor dropout(Tensor x, float p, Rng rng) {
        return DropoutOp.apply(x, p, rng);
    }

    public static Tensor add(Tensor a, Tensor b) {
        return AddOp.apply(a, b);
    }

    public static Tensor mul(Tensor a, Tensor b) {
        return MulOp.apply(a, b);
    }

    public static Tensor sum(Tensor x) {
        return SumOp.apply(x, false);
    }

    public static Tensor mean(Tensor x) {
        return SumOp.apply(x, true);
    }

    /** Cross-entropy of logits {@code [N, C]} and class labels, mean over the batch. */
    public static Tensor crossEntropy(Tensor logits, int[] labels, float labelSmoothing) {
        return CrossEntropyOp.apply(logits, labels, labelSmoothing);
    }

    /** Mean squared error over all elements. */
    public static Tensor mse(Tensor prediction, Tensor target) {
        return MseOp.apply(prediction, target);
    }
}
