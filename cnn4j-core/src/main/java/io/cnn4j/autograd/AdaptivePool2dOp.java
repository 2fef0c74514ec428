package io.cnn4j.autograd;

import io.cnn4j.tensor.Execution;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.Workspace;

/**
 * Adaptive average or max pooling of {@code [N, C, H, W]} to {@code [N, C, outH, outW]} for any output
 * size, with PyTorch's windows, which differ in size and may overlap where the output size does not
 * divide the input's. Max pooling keeps the argmax of every window for the backward pass.
 */
final class AdaptivePool2dOp extends Op {
    private final Shape inputShape;
    private final int outH;
    private final int outW;
    private int[] argmax;

    private AdaptivePool2dOp(Tensor x, int outH, int outW, int[] argmax) {
        super(argmax == null ? "AdaptiveAvgPool2d" : "AdaptiveMaxPool2d", x);
        this.inputShape = x.shape();
        this.outH = outH;
        this.outW = outW;
        this.argmax = argmax;
    }

    static Tensor apply(Tensor x, int outH, int outW, boolean max) {
        String op = max ? "adaptiveMaxPool2d" : "adaptiveAvgPool2d";
        if (x.rank() != 4) {
            throw new IllegalArgumentException(op + ": expected input [N, C, H, W], got " + x.shape());
        }
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException(op + ": output size must be >= 1, got " + outH + "x" + outW);
        }
        Tensor y = Tensor.temporary(x.dim(0), x.dim(1), outH, outW);
        int[] argmax = max ? Workspace.emptyInts(y.size()) : null;
        Execution.kernels().adaptivePool2d(x.dim(0) * x.dim(1), x.dim(2), x.dim(3), outH, outW, x.data(), y.data(), argmax);
        if (recording(x)) {
            y.recordedBy(new AdaptivePool2dOp(x, outH, outW, argmax));
        }
        return y;
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        Tensor dx = Tensor.temporary(inputShape);
        kernels.adaptivePool2dBackward(inputShape.dim(0) * inputShape.dim(1), inputShape.dim(2), inputShape.dim(3), outH, outW,
                gradOutput.data(), argmax, dx.data());
        return new Tensor[] {dx};
    }

    @Override
    public void release() {
        argmax = null;
    }
}
