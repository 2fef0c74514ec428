package io.cnn4j.autograd;

import io.cnn4j.kernel.PoolGeometry;
import io.cnn4j.tensor.Execution;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

/** Average pooling over each channel. */
final class AvgPool2dOp extends Op {
    private final PoolGeometry geometry;
    private final boolean countPadding;
    private final Shape inputShape;

    private AvgPool2dOp(Tensor x, PoolGeometry geometry, boolean countPadding) {
        super("AvgPool2d", x);
        this.geometry = geometry;
        this.countPadding = countPadding;
        this.inputShape = x.shape();
    }

    static Tensor apply(Tensor x, Pool2dSpec spec, boolean countPadding) {
        return apply(x, spec.geometry("avgPool2d", x.shape()), countPadding);
    }

    /**
     * Adaptive average pooling to {@code outH x outW} for sizes that divide the input's: then every window
     * is the same {@code (H/outH) x (W/outW)} block, which is plain average pooling with that window as
     * stride. {@code 1 x 1} is global average pooling.
     */
    static Tensor adaptive(Tensor x, int outH, int outW) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("adaptiveAvgPool2d: expected input [N, C, H, W], got " + x.shape());
        }
        int h = x.dim(2);
        int w = x.dim(3);
        if (outH < 1 || outW < 1 || h % outH != 0 || w % outW != 0) {
            throw new IllegalArgumentException("adaptiveAvgPool2d: output size " + outH + "x" + outW
                    + " must divide the input size " + h + "x" + w + " (cnn4j pools equal windows only)");
        }
        int kH = h / outH;
        int kW = w / outW;
        return apply(x, new PoolGeometry(x.dim(0) * x.dim(1), h, w, kH, kW, kH, kW, 0, 0, outH, outW), true);
    }

    private static Tensor apply(Tensor x, PoolGeometry g, boolean countPadding) {
        Tensor y = Tensor.temporary(x.dim(0), x.dim(1), g.outH(), g.outW());
        Execution.kernels().avgPool2d(g, countPadding, x.data(), y.data());
        if (recording(x)) {
            y.recordedBy(new AvgPool2dOp(x, g, countPadding));
        }
        return y;
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        Tensor dx = Tensor.temporary(inputShape);
        kernels.avgPool2dBackward(geometry, countPadding, gradOutput.data(), dx.data());
        return new Tensor[] {dx};
    }

    @Override
    public void release() {
    }
}
