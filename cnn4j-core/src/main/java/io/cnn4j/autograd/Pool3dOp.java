package io.cnn4j.autograd;

import io.cnn4j.kernel.Pool3dGeometry;
import io.cnn4j.tensor.Execution;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.Workspace;

/**
 * Max or average pooling of {@code [N, C, D, H, W]} over each channel's volume; max pooling keeps the argmax
 * of every window for the backward pass.
 */
final class Pool3dOp extends Op {
    private Pool3dGeometry geometry;
    private int[] argmax;
    private final boolean countPadding;
    private final Shape inputShape;

    private Pool3dOp(Tensor x, Pool3dGeometry geometry, int[] argmax, boolean countPadding) {
        super(argmax == null ? "AvgPool3d" : "MaxPool3d", x);
        this.geometry = geometry;
        this.argmax = argmax;
        this.countPadding = countPadding;
        this.inputShape = x.shape();
    }

    static Tensor max(Tensor x, Pool3dSpec spec) {
        Pool3dGeometry g = spec.geometry("maxPool3d", x.shape());
        Tensor y = Tensor.empty(x.dim(0), x.dim(1), g.outD(), g.outH(), g.outW());
        int[] argmax = Workspace.emptyInts(y.size());
        Execution.kernels().maxPool3d(g, x.data(), y.data(), argmax);
        if (recording(x)) {
            y.recordedBy(new Pool3dOp(x, g, argmax, false));
        }
        return y;
    }

    static Tensor average(Tensor x, Pool3dSpec spec, boolean countPadding) {
        Pool3dGeometry g = spec.geometry("avgPool3d", x.shape());
        Tensor y = Tensor.empty(x.dim(0), x.dim(1), g.outD(), g.outH(), g.outW());
        Execution.kernels().avgPool3d(g, countPadding, x.data(), y.data());
        if (recording(x)) {
            y.recordedBy(new Pool3dOp(x, g, null, countPadding));
        }
        return y;
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        Tensor dx = Tensor.empty(inputShape);
        if (argmax != null) {
            kernels.maxPool3dBackward(geometry, gradOutput.data(), argmax, dx.data());
        } else {
            kernels.avgPool3dBackward(geometry, countPadding, gradOutput.data(), dx.data());
        }
        return new Tensor[] {dx};
    }

    @Override
    public void release() {
        geometry = null;
        argmax = null;
    }
}
