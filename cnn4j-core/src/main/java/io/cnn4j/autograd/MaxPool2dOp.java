package io.cnn4j.autograd;

import io.cnn4j.kernel.PoolGeometry;
import io.cnn4j.tensor.Execution;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.Workspace;

/** Max pooling over each channel; keeps the argmax of every window for backward. */
final class MaxPool2dOp extends Op {
    private PoolGeometry geometry;
    private int[] argmax;
    private final Shape inputShape;

    private MaxPool2dOp(Tensor x, PoolGeometry geometry, int[] argmax) {
        super("MaxPool2d", x);
        this.geometry = geometry;
        this.argmax = argmax;
        this.inputShape = x.shape();
    }

    static Tensor apply(Tensor x, Pool2dSpec spec) {
        PoolGeometry g = spec.geometry("maxPool2d", x.shape());
        Tensor y = Tensor.empty(x.dim(0), x.dim(1), g.outH(), g.outW());
        if (!recording(x)) {
            Execution.kernels().maxPool2d(g, x.data(), y.data(), null);
            return y;
        }
        int[] argmax = Workspace.emptyInts(y.size());
        Execution.kernels().maxPool2d(g, x.data(), y.data(), argmax);
        y.recordedBy(new MaxPool2dOp(x, g, argmax));
        return y;
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        Tensor dx = Tensor.empty(inputShape);
        kernels.maxPool2dBackward(geometry, gradOutput.data(), argmax, dx.data());
        return new Tensor[] {dx};
    }

    @Override
    public void release() {
        geometry = null;
        argmax = null;
    }
}
