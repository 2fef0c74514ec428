package io.cnn4j.autograd;

import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

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
        return ConvOp.conv2d(input, weight, bias, spec, false);
    }

    /** {@link #conv2d} followed by ReLU, in one pass over the output. */
    public static Tensor conv2dRelu(Tensor input, Tensor weight, Tensor bias, Conv2dSpec spec) {
        return ConvOp.conv2d(input, weight, bias, spec, true);
    }

    /**
     * 3-D convolution. Input {@code [N, C, D, H, W]}, weight {@code [O, C/groups, kD, kH, kW]}, bias {@code [O]}
     * or null; each output length as {@link #conv2d}'s.
     */
    public static Tensor conv3d(Tensor input, Tensor weight, Tensor bias, Conv3dSpec spec) {
        return ConvOp.conv3d(input, weight, bias, spec, false);
    }

    /** {@link #conv3d} followed by ReLU, in one pass over the output. */
    public static Tensor conv3dRelu(Tensor input, Tensor weight, Tensor bias, Conv3dSpec spec) {
        return ConvOp.conv3d(input, weight, bias, spec, true);
    }

    /** Max pooling of {@code [N, C, D, H, W]} with any window, stride, padding and dilation, and {@code ceil_mode}. */
    public static Tensor maxPool3d(Tensor x, Pool3dSpec spec) {
        return Pool3dOp.max(x, spec);
    }

    /** Average pooling of {@code [N, C, D, H, W]}; {@code countPadding} as PyTorch's {@code count_include_pad}. */
    public static Tensor avgPool3d(Tensor x, Pool3dSpec spec, boolean countPadding) {
        return Pool3dOp.average(x, spec, countPadding);
    }

    /** Adaptive average pooling of {@code [N, C, D, H, W]} to {@code [N, C, outD, outH, outW]}, PyTorch's windows. */
    public static Tensor adaptiveAvgPool3d(Tensor x, int outD, int outH, int outW) {
        return AdaptivePool3dOp.apply(x, outD, outH, outW, false);
    }

    /** Adaptive max pooling of {@code [N, C, D, H, W]} to {@code [N, C, outD, outH, outW]}, PyTorch's windows. */
    public static Tensor adaptiveMaxPool3d(Tensor x, int outD, int outH, int outW) {
        return AdaptivePool3dOp.apply(x, outD, outH, outW, true);
    }

    /**
     * Transposed 2-D convolution, PyTorch's {@code conv_transpose2d}. Input {@code [N, C, H, W]}, weight
     * {@code [C, O/groups, kH, kW]}, bias {@code [O]} or null; output {@code [N, O, outH, outW]} with
     * {@code out = (in - 1) * stride - 2 * padding + dilation * (k - 1) + outputPadding + 1}.
     */
    public static Tensor convTranspose2d(Tensor input, Tensor weight, Tensor bias, ConvTranspose2dSpec spec) {
        return ConvTranspose2dOp.apply(input, weight, bias, spec);
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

    /** GELU, exact ({@code x * Φ(x)}) or with {@code tanhApproximation} PyTorch's {@code approximate="tanh"}. */
    public static Tensor gelu(Tensor x, boolean tanhApproximation) {
        return ActivationOp.apply(tanhApproximation ? Activation.GELU_TANH : Activation.GELU, 0f, x);
    }

    /** {@code x * sigmoid(x)}. */
    public static Tensor silu(Tensor x) {
        return ActivationOp.apply(Activation.SILU, 0f, x);
    }

    /** {@code x > 0 ? x : alpha * (exp(x) - 1)}. */
    public static Tensor elu(Tensor x, float alpha) {
        return ActivationOp.apply(Activation.ELU, alpha, x);
    }

    /**
     * Layer normalisation over the last dimensions of {@code x}, which must be {@code normalizedShape}: each
     * sample's values there to mean 0 and variance 1, then scaled and shifted elementwise by {@code weight}
     * and {@code bias} of that shape (both null for none). PyTorch's {@code F.layer_norm}.
     */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, float eps) {
        int k = normalizedShape.length;
        boolean fits = x.rank() > k;
        for (int i = 0; fits && i < k; i++) {
            fits = x.dim(x.rank() - k + i) == normalizedShape[i];
        }
        if (!fits) {
            throw new IllegalArgumentException("layerNorm: input " + x.shape() + " does not end in the normalized shape "
                    + Arrays.toString(normalizedShape) + " after a batch dimension");
        }
        int cols = x.shape().sizeFrom(x.rank() - k);
        return NormalizeOp.apply("LayerNorm", x, x.size() / cols, cols, weight, bias, 1, eps);
    }

    /**
     * Group normalisation of {@code x} {@code [N, C, *]}: the C channels in {@code groups} groups, each
     * sample's group normalised with its own statistics, then each channel scaled and shifted by
     * {@code weight} and {@code bias} {@code [C]} (both null for none). PyTorch's {@code F.group_norm}; with
     * as many groups as channels it is instance normalisation.
     */
    public static Tensor groupNorm(Tensor x, int groups, Tensor weight, Tensor bias, float eps) {
        if (x.rank() < 2 || groups < 1 || x.dim(1) % groups != 0) {
            throw new IllegalArgumentException("groupNorm: expected input [N, C, ...] with C divisible by " + groups
                    + " groups, got " + x.shape());
        }
        int spatial = x.rank() == 2 ? 1 : x.shape().sizeFrom(2);
        int rows = x.dim(0) * groups;
        return NormalizeOp.apply("GroupNorm", x, rows, x.size() / rows, weight, bias, spatial, eps);
    }

    /** {@code x * relu6(x + 3) / 6}. */
    public static Tensor hardswish(Tensor x) {
        return ActivationOp.apply(Activation.HARDSWISH, 0f, x);
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
        return maxPool2d(x, Pool2dSpec.of(kernel, stride, padding));
    }

    /** Max pooling with any window, stride and padding, and PyTorch's {@code ceil_mode}. */
    public static Tensor maxPool2d(Tensor x, Pool2dSpec spec) {
        return MaxPool2dOp.apply(x, spec);
    }

    /** Average pooling with a square window; {@code countPadding} as PyTorch's {@code count_include_pad}. */
    public static Tensor avgPool2d(Tensor x, int kernel, int stride, int padding, boolean countPadding) {
        return avgPool2d(x, Pool2dSpec.of(kernel, stride, padding), countPadding);
    }

    /** Average pooling with any window, stride and padding, and PyTorch's {@code ceil_mode}. */
    public static Tensor avgPool2d(Tensor x, Pool2dSpec spec, boolean countPadding) {
        return AvgPool2dOp.apply(x, spec, countPadding);
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
        return DropoutOp.apply(x, p, rng, 1);
    }

    /**
     * Channel dropout of {@code [N, C, H, W]}: each of the {@code N*C} planes is zeroed whole with
     * probability {@code p}, the others scaled by {@code 1/(1-p)} (PyTorch's {@code dropout2d}).
     */
    public static Tensor dropout2d(Tensor x, float p, Rng rng) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("dropout2d: expected input [N, C, H, W], got " + x.shape());
        }
        return DropoutOp.apply(x, p, rng, x.dim(2) * x.dim(3));
    }

    /**
     * Batch normalisation over dimension 1 of {@code [N, C, ...]}, as PyTorch's {@code F.batch_norm}: with
     * {@code training} (or without running statistics) each channel is normalised by the batch's mean and
     * biased variance, and the running statistics, when given, move towards the batch's by
     * {@code momentum} (the variance unbiased); otherwise by the running statistics. Then
     * {@code * weight + bias} per channel; {@code weight}, {@code bias} and both running statistics
     * ({@code [C]}, updated in place) may be null.
     */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        return BatchNormOp.apply(x, runningMean, runningVar, weight, bias, training, momentum, eps, false);
    }

    /**
     * The weight and bias of one convolution that computes a convolution ({@code convWeight [C_out, ...]},
     * {@code convBias} or null) followed by {@link #batchNorm} in evaluation form (by the running statistics):
     * each output channel's weights scaled, its bias shifted. Inference then skips a pass over the activation;
     * the result equals the two in exact arithmetic and differs in float rounding. Gradients do not flow
     * through the folded tensors.
     */
    public static Tensor[] foldBatchNorm(Tensor convWeight, Tensor convBias, Tensor runningMean, Tensor runningVar,
                                         Tensor weight, Tensor bias, double eps) {
        return BatchNormOp.fold(convWeight, convBias, runningMean, runningVar, weight, bias, eps);
    }

    /** {@link #batchNorm} followed by ReLU, in one pass over the output. */
    public static Tensor batchNormRelu(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                       boolean training, double momentum, double eps) {
        return BatchNormOp.apply(x, runningMean, runningVar, weight, bias, training, momentum, eps, true);
    }

    /**
     * Adaptive average pooling of {@code [N, C, H, W]} to {@code [N, C, outH, outW]}, PyTorch's
     * {@code F.adaptive_avg_pool2d}; {@code (1, 1)} is global average pooling. Sizes that divide the input's
     * pool equal windows, as plain average pooling.
     */
    public static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
        if (x.rank() == 4 && outH >= 1 && outW >= 1 && x.dim(2) % outH == 0 && x.dim(3) % outW == 0) {
            return AvgPool2dOp.adaptive(x, outH, outW);
        }
        return AdaptivePool2dOp.apply(x, outH, outW, false);
    }

    /**
     * {@code x} {@code [N, C, H, W]} resized to {@code outH x outW}, PyTorch's {@code F.interpolate} in mode
     * {@code nearest} or (with {@code bilinear}) {@code bilinear} with {@code alignCorners}. Where the size
     * came from scale factors, pass them (0 otherwise): PyTorch then steps by their inverse.
     */
    public static Tensor upsample(Tensor x, int outH, int outW, boolean bilinear, boolean alignCorners, double scaleFactorH,
                                  double scaleFactorW) {
        return UpsampleOp.apply(x, outH, outW, bilinear, alignCorners, scaleFactorH, scaleFactorW);
    }

    /** Adaptive max pooling of {@code [N, C, H, W]} to {@code [N, C, outH, outW]}, PyTorch's {@code F.adaptive_max_pool2d}. */
    public static Tensor adaptiveMaxPool2d(Tensor x, int outH, int outW) {
        return AdaptivePool2dOp.apply(x, outH, outW, true);
    }

    /**
     * Concatenation along dimension 1 (the channels of NCHW, the features of {@code [N, F]}): the tensors
     * must agree in every other dimension.
     */
    public static Tensor concat(List<Tensor> tensors) {
        return ConcatOp.apply(tensors);
    }

    public static Tensor add(Tensor a, Tensor b) {
        return AddOp.apply(a, b, false);
    }

    /** {@link #add} followed by ReLU, in one pass over the output: the end of a residual block. */
    public static Tensor addRelu(Tensor a, Tensor b) {
        return AddOp.apply(a, b, true);
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

    /** Binary cross-entropy of logits against targets in [0, 1], mean over all elements; posWeight may be null. */
    public static Tensor bceWithLogits(Tensor logits, Tensor target, float[] posWeight) {
        return BceWithLogitsOp.apply(logits, target, posWeight);
    }

    /** Negative log-likelihood of log-probabilities {@code [N, C]} against class indices, mean over the batch. */
    public static Tensor nll(Tensor logProbs, int[] labels) {
        return NllOp.apply(logProbs, labels);
    }

    /** Smooth L1 loss with threshold {@code beta}, mean over all elements. */
    public static Tensor smoothL1(Tensor prediction, Tensor target, float beta) {
        return SmoothL1Op.apply(prediction, target, beta, false);
    }

    /** Huber loss with threshold {@code delta}, mean over all elements. */
    public static Tensor huber(Tensor prediction, Tensor target, float delta) {
        return SmoothL1Op.apply(prediction, target, delta, true);
    }

    /** Mean squared error over all elements. */
    public static Tensor mse(Tensor prediction, Tensor target) {
        return MseOp.apply(prediction, target);
    }
}
