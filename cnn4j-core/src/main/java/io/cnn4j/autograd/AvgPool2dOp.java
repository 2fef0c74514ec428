package io.cnn4j.autograd;

import io.cnn4j.kernel.PoolGeometry;
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

    static Tensor apply(Tensor x, int kernel, int stride, int padding, boolean countPadding) {
        PoolGeometry g = MaxPool2dOp.geometry("avgPool2d", x, kernel, stride, padding);
        Tensor y = Tensor.temporary(x.dim(0), x.dim(1), g.outH(), g.outW());
        kernels().avgPool2d(g, countPadding, x.data(), y.data());
        if (recording(x)) {
            y.recordedBy(new AvgPool2dOp(x, g, countPadding));
        }
        return y;
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        Tensor dx = Tensor.temporary(inputShape);
        kernels().avgPool2dBackward(geometry, countPadding, gradOutput.data(), dx.data());
        return new Tensor[] {dx};
    }

    @Override
    public void release() {
    }
}
