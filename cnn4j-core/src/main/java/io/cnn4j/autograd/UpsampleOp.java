package io.cnn4j.autograd;

import io.cnn4j.tensor.Execution;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

/** Nearest or bilinear resizing of {@code [N, C, H, W]} to {@code [N, C, outH, outW]}, PyTorch's {@code F.interpolate}. */
final class UpsampleOp extends Op {
    private final Shape inputShape;
    private final int outH;
    private final int outW;
    private final boolean bilinear;
    private final boolean alignCorners;
    private final float scaleH;
    private final float scaleW;

    private UpsampleOp(Tensor x, int outH, int outW, boolean bilinear, boolean alignCorners, float scaleH, float scaleW) {
        super(bilinear ? "UpsampleBilinear2d" : "UpsampleNearest2d", x);
        this.inputShape = x.shape();
        this.outH = outH;
        this.outW = outW;
        this.bilinear = bilinear;
        this.alignCorners = alignCorners;
        this.scaleH = scaleH;
        this.scaleW = scaleW;
    }

    /**
     * {@code x} resized to {@code outH x outW}; {@code scaleFactorH} and {@code scaleFactorW} are the factors
     * the sizes came from (0 when a size was given), which PyTorch uses as they are rather than recomputing them.
     */
    static Tensor apply(Tensor x, int outH, int outW, boolean bilinear, boolean alignCorners, double scaleFactorH,
                        double scaleFactorW) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("upsample: expected input [N, C, H, W], got " + x.shape());
        }
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException("upsample: output size must be >= 1, got " + outH + "x" + outW);
        }
        float sh = scale(x.dim(2), outH, bilinear && alignCorners, scaleFactorH);
        float sw = scale(x.dim(3), outW, bilinear && alignCorners, scaleFactorW);
        Tensor y = Tensor.temporary(x.dim(0), x.dim(1), outH, outW);
        Execution.kernels().upsample2d(x.dim(0) * x.dim(1), x.dim(2), x.dim(3), outH, outW, bilinear, alignCorners, sh, sw,
                x.data(), y.data());
        if (recording(x)) {
            y.recordedBy(new UpsampleOp(x, outH, outW, bilinear, alignCorners, sh, sw));
        }
        return y;
    }

    /** PyTorch's source step per output pixel (area_pixel_compute_scale). */
    private static float scale(int in, int out, boolean alignCorners, double scaleFactor) {
        if (alignCorners) {
            return out > 1 ? (float) (in - 1) / (out - 1) : 0f;
        }
        return scaleFactor > 0 ? (float) (1.0 / scaleFactor) : (float) in / out;
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        Tensor dx = Tensor.temporary(inputShape);
        kernels.upsample2dBackward(inputShape.dim(0) * inputShape.dim(1), inputShape.dim(2), inputShape.dim(3), outH, outW,
                bilinear, alignCorners, scaleH, scaleW, gradOutput.data(), dx.data());
        return new Tensor[] {dx};
    }

    /** Nothing to let go: the backward pass needs the sizes alone. */
    @Override
    public void release() {
    }
}
