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

    static Tensor apply(Tensor x, int kernel, int stride, int padding) {
        PoolGeometry g = geometry("maxPool2d", x, kernel, stride, padding);
        Tensor y = Tensor.empty(x.dim(0), x.dim(1), g.outH(), g.outW());
        int[] argmax = Workspace.emptyInts(y.size());
        Execution.kernels().maxPool2d(g, x.data(), y.data(), argmax);
        if (recording(x)) {
            y.recordedBy(new MaxPool2dOp(x, g, argmax));
        }
        return y;
    }

    /** Pool geometry of {@code x} ([N, C, H, W]) with a square window; the error names {@code op}. */
    static PoolGeometry geometry(String op, Tensor x, int kernel, int stride, int padding) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException(op + ": expected input [N, C, H, W], got " + x.shape());
        }
        if (x.dim(2) + 2 * padding < kernel || x.dim(3) + 2 * padding < kernel) {
            throw new IllegalArgumentException(op + ": window " + kernel + "x" + kernel + " is larger than the input "
                    + x.dim(2) + "x" + x.dim(3) + (padding > 0 ? " padded by " + padding : ""));
        }
        return PoolGeometry.of(x.dim(0) * x.dim(1), x.dim(2), x.dim(3), kernel, stride, padding);
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
