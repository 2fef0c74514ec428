package io.cnn4j.autograd;

import io.cnn4j.tensor.Execution;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.Workspace;

/**
 * Adaptive average or max pooling of {@code [N, C, D, H, W]} to {@code [N, C, outD, outH, outW]} for any
 * output size, with PyTorch's windows; max pooling keeps the argmax of every window for the backward pass.
 */
final class AdaptivePool3dOp extends Op {
    private final Shape inputShape;
    private final int[] out;
    private int[] argmax;

    private AdaptivePool3dOp(Tensor x, int[] out, int[] argmax) {
        super(argmax == null ? "AdaptiveAvgPool3d" : "AdaptiveMaxPool3d", x);
        this.inputShape = x.shape();
        this.out = out;
        this.argmax = argmax;
    }

    static Tensor apply(Tensor x, int outD, int outH, int outW, boolean max) {
        String op = max ? "adaptiveMaxPool3d" : "adaptiveAvgPool3d";
        if (x.rank() != 5) {
            throw new IllegalArgumentException(op + ": expected input [N, C, D, H, W], got " + x.shape());
        }
        if (outD < 1 || outH < 1 || outW < 1) {
            throw new IllegalArgumentException(op + ": output size must be >= 1, got " + outD + "x" + outH + "x" + outW);
        }
        int[] out = {outD, outH, outW};
        Tensor y = Tensor.empty(x.dim(0), x.dim(1), outD, outH, outW);
        int[] argmax = max ? Workspace.emptyInts(y.size()) : null;
        Execution.kernels().adaptivePool3d(x.dim(0) * x.dim(1), volume(x.shape()), out, x.data(), y.data(), argmax);
        if (recording(x)) {
            y.recordedBy(new AdaptivePool3dOp(x, out, argmax));
        }
        return y;
    }

    private static int[] volume(Shape s) {
        return new int[] {s.dim(2), s.dim(3), s.dim(4)};
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        Tensor dx = Tensor.empty(inputShape);
        kernels.adaptivePool3dBackward(inputShape.dim(0) * inputShape.dim(1), volume(inputShape), out, gradOutput.data(),
                argmax, dx.data());
        return new Tensor[] {dx};
    }

    @Override
    public void release() {
        argmax = null;
    }
}
