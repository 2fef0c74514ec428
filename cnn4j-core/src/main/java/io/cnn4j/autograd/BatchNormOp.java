package io.cnn4j.autograd;

import io.cnn4j.tensor.Execution;
import io.cnn4j.tensor.Tensor;

/**
 * Batch normalisation over dimension 1 (the channels) of {@code [N, C]}, {@code [N, C, L]} or
 * {@code [N, C, H, W]}: {@code y = (x - mean) / sqrt(var + eps) * weight + bias} per channel, with an
 * optional fused ReLU; see {@link Functional#batchNorm}.
 *
 * <p>The arithmetic follows PyTorch's CPU kernel (ATen {@code batch_norm_kernel.cpp}, 1.13) so results
 * agree to float32 rounding: statistics summed in double; the inverse standard deviation in double in
 * training and in float from the running variance in evaluation; the output as {@code x * alpha + beta}
 * with {@code alpha = invstd * weight} and {@code beta = bias - mean * alpha}, both multiply-adds fused as
 * the compiler fuses them in PyTorch's build (which makes the outputs agree bit for bit where the
 * statistics do, even for activations far from zero, where the two forms lose the most); running statistics
 * updated in double as {@code (1 - momentum) * running + momentum * batch}, the variance unbiased.
 */
final class BatchNormOp extends Op {
    /**
     * The saved context of one forward pass, what backward reads: the output only where a fused ReLU needs
     * it to mask the gradient (with fixed statistics; with the batch's, the kernels mask from x).
     */
    private record Saved(Tensor x, Tensor y, float[] mean, float[] invstd, boolean batchStatistics) {
    }

    private Saved saved;
    private final boolean relu;

    private BatchNormOp(Tensor x, Tensor weight, Tensor bias, boolean relu, Saved saved) {
        super(relu ? "BatchNorm+ReLU" : "BatchNorm", x, weight, bias);
        this.relu = relu;
        this.saved = saved;
    }

    static Tensor apply(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias, boolean training,
                        double momentum, double eps, boolean relu) {
        if (x.rank() < 2) {
            throw new IllegalArgumentException("batchNorm: expected input [N, C, ...], got " + x.shape());
        }
        int channels = x.dim(1);
        for (Tensor t : new Tensor[] {runningMean, runningVar, weight, bias}) {
            if (t != null && (t.rank() != 1 || t.dim(0) != channels)) {
                throw new IllegalArgumentException("batchNorm: input " + x.shape() + " has " + channels
                        + " channels but a statistic or parameter has shape " + t.shape());
            }
        }
        if ((runningMean == null) != (runningVar == null)) {
            throw new IllegalArgumentException("batchNorm: give both running mean and running variance, or neither");
        }
        boolean batchStatistics = training || runningMean == null;
        int batch = x.dim(0);
        int spatial = x.shape().sizeFrom(2);
        long count = (long) batch * spatial;
        float[] mean = new float[channels];
        float[] invstd = new float[channels];
        if (batchStatistics) {
            if (count < 2) {
                throw new IllegalArgumentException("batchNorm: expected more than 1 value per channel when training, got input "
                        + x.shape() + "; use a batch of 2 or more, or eval() mode");
            }
            float[] squares = new float[channels];
            Execution.kernels().channelMeanAndSquares(x.data(), batch, channels, spatial, mean, squares);
            for (int c = 0; c < channels; c++) {
                // The variance divided in float, the rest in double, exactly as ATen's update_stats does.
                invstd[c] = (float) (1.0 / Math.sqrt(squares[c] / (float) count + eps));
            }
            if (training && runningMean != null) {
                float[] rm = runningMean.data();
                float[] rv = runningVar.data();
                for (int c = 0; c < channels; c++) {
                    float unbiased = squares[c] / (float) (count - 1);
                    rm[c] = (float) (momentum * mean[c] + (1 - momentum) * rm[c]);
                    rv[c] = (float) (momentum * unbiased + (1 - momentum) * rv[c]);
                }
            }
        } else {
            System.arraycopy(runningMean.data(), 0, mean, 0, channels);
            System.arraycopy(runningInvstd(runningVar, eps), 0, invstd, 0, channels);
        }
        float[] alpha = scales(invstd, weight);
        float[] beta = shifts(mean, alpha, bias);
        Tensor y = Tensor.empty(x.shape());
        Execution.kernels().channelAffine(x.data(), batch, channels, spatial, alpha, beta, relu, y.data());
        if (recording(x, weight, bias)) {
            y.recordedBy(new BatchNormOp(x, weight, bias, relu,
                    new Saved(x, relu && !batchStatistics ? y : null, mean, invstd, batchStatistics)));
        }
        return y;
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        Tensor x = saved.x();
        Tensor weight = inputs().get(1);
        int batch = x.dim(0);
        int channels = x.dim(1);
        int spatial = x.shape().sizeFrom(2);
        float count = (float) ((long) batch * spatial);
        float[] mean = saved.mean();
        float[] invstd = saved.invstd();
        float[] scale = scales(invstd, weight);
        float[] dy = gradOutput.data();
        // A fused ReLU passed the gradient where the forward pass's x * scale + shift was positive: the kernels
        // work that out from x as they go, rather than a pass over the saved output first.
        float[] reluScale = null;
        float[] reluShift = null;
        if (relu && saved.batchStatistics()) {
            reluScale = scale;
            reluShift = shifts(mean, scale, inputs().get(2));
        } else if (relu) {
            dy = throughRelu(saved.y().data(), dy);
        }
        float[] sumDy = new float[channels];
        float[] dot = new float[channels];
        boolean trainingInputGrad = needsGrad(0) && saved.batchStatistics();
        if (trainingInputGrad || needsGrad(1) || needsGrad(2)) {
            kernels.channelGradientSums(x.data(), dy, reluScale, reluShift, batch, channels, spatial, mean, sumDy, dot);
        }
        Tensor dx = null;
        if (needsGrad(0)) {
            dx = Tensor.empty(x.shape());
            if (saved.batchStatistics()) {
                // The batch's mean and variance depend on x too: dx = (dy - mean(dy) - xhat * mean(dy * xhat)) * invstd * w.
                float[] k = new float[channels];
                float[] meanDy = new float[channels];
                for (int c = 0; c < channels; c++) {
                    k[c] = dot[c] * invstd[c] * invstd[c] / count;
                    meanDy[c] = sumDy[c] / count;
                }
                kernels.batchNormBackwardInput(x.data(), dy, reluScale, reluShift, batch, channels, spatial, mean, k, meanDy,
                        scale, dx.data());
            } else {
                // Fixed statistics make the layer affine per channel: dx = dy * invstd * w.
                kernels.channelAffine(dy, batch, channels, spatial, scale, new float[channels], false, dx.data());
            }
        }
        Tensor dw = null;
        if (needsGrad(1)) {
            dw = Tensor.temporary(channels);
            for (int c = 0; c < channels; c++) {
                dw.data()[c] = dot[c] * invstd[c];
            }
        }
        Tensor db = needsGrad(2) ? Tensor.of(sumDy, channels) : null;
        return new Tensor[] {dx, dw, db};
    }

    /** The inverse standard deviation per channel from the running variance, in float as PyTorch's evaluation. */
    private static float[] runningInvstd(Tensor runningVar, double eps) {
        float[] rv = runningVar.data();
        float[] invstd = new float[rv.length];
        for (int c = 0; c < rv.length; c++) {
            invstd[c] = 1f / (float) Math.sqrt(rv[c] + (float) eps);
        }
        return invstd;
    }

    /**
     * The weight and bias of a convolution ({@code convWeight [C_out, ...]}, {@code convBias} or null) that
     * computes what it and this normalisation by its running statistics compute one after the other: each
     * output channel's weights times the evaluation scale, its bias {@code convBias * scale + shift}. Equal to
     * the two in exact arithmetic, not in float rounding.
     */
    static Tensor[] fold(Tensor convWeight, Tensor convBias, Tensor runningMean, Tensor runningVar, Tensor weight,
                         Tensor bias, double eps) {
        int channels = convWeight.dim(0);
        if (runningMean == null || runningMean.dim(0) != channels) {
            throw new IllegalArgumentException("batchNorm: folding needs running statistics for each of the convolution's "
                    + channels + " output channels, got " + (runningMean == null ? "none" : runningMean.shape()));
        }
        float[] scale = scales(runningInvstd(runningVar, eps), weight);
        float[] shift = shifts(runningMean.data(), scale, bias);
        Tensor w = Tensor.empty(convWeight.shape());
        int per = convWeight.size() / channels;
        for (int o = 0; o < channels; o++) {
            for (int i = o * per; i < (o + 1) * per; i++) {
                w.data()[i] = convWeight.data()[i] * scale[o];
            }
            if (convBias != null) {
                shift[o] = Math.fma(convBias.data()[o], scale[o], shift[o]);
            }
        }
        return new Tensor[] {w, Tensor.of(shift, channels)};
    }

    /** {@code invstd * weight} per channel: the output's scale, and the gradient's through it. */
    private static float[] scales(float[] invstd, Tensor weight) {
        float[] scale = new float[invstd.length];
        for (int c = 0; c < scale.length; c++) {
            scale[c] = weight == null ? invstd[c] : invstd[c] * weight.data()[c];
        }
        return scale;
    }

    /**
     * {@code bias - mean * scale} per channel as one fused multiply-add: the output's shift, which backward
     * works out again to find where a fused ReLU passed the gradient, bit for bit as forward did.
     */
    private static float[] shifts(float[] mean, float[] scale, Tensor bias) {
        float[] shift = new float[mean.length];
        for (int c = 0; c < shift.length; c++) {
            shift[c] = Math.fma(-mean[c], scale[c], bias == null ? 0f : bias.data()[c]);
        }
        return shift;
    }

    @Override
    public void release() {
        saved = null;
    }
}
