package io.cnn4j.autograd;

import io.cnn4j.tensor.Execution;
import io.cnn4j.tensor.Tensor;

/** Fully connected layer {@code y = x w^T + b} with an optional fused ReLU; see {@link Functional#linear}. */
final class LinearOp extends Op {
    private Tensor x;
    private Tensor w;
    private Tensor y;
    private final boolean relu;

    private LinearOp(Tensor x, Tensor w, Tensor b, boolean relu, Tensor y) {
        super(relu ? "Linear+ReLU" : "Linear", x, w, b);
        this.x = x;
        this.w = w;
        this.relu = relu;
        this.y = y;
    }

    static Tensor apply(Tensor x, Tensor w, Tensor b, boolean relu) {
        if (x.rank() != 2 || w.rank() != 2 || x.dim(1) != w.dim(1)) {
            throw new IllegalArgumentException("linear: input " + x.shape() + " does not fit weight " + w.shape()
                    + ": expected input [N, " + (w.rank() == 2 ? w.dim(1) : "in") + "]");
        }
        if (b != null && (b.rank() != 1 || b.dim(0) != w.dim(0))) {
            throw new IllegalArgumentException("linear: bias " + b.shape() + " does not match " + w.dim(0) + " outputs");
        }
        int n = x.dim(0);
        int in = w.dim(1);
        int out = w.dim(0);
        Tensor y = Tensor.empty(n, out);
        Execution.kernels().linear(n, in, out, x.data(), w.data(), b == null ? null : b.data(), relu, y.data());
        if (recording(x, w, b)) {
            y.recordedBy(new LinearOp(x, w, b, relu, y));
        }
        return y;
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        int n = x.dim(0);
        int in = w.dim(1);
        int out = w.dim(0);
        float[] dy = beforeRelu(relu, y, gradOutput);
        Tensor dx = null;
        Tensor dw = null;
        Tensor db = null;
        if (needsGrad(0)) {
            dx = Tensor.empty(n, in);
            kernels.gemm(false, false, n, in, out, dy, 0, out, w.data(), 0, in, 0f, dx.data(), 0, in);
        }
        if (needsGrad(1)) {
            dw = Tensor.empty(out, in);
            kernels.gemm(true, false, out, in, n, dy, 0, out, x.data(), 0, in, 0f, dw.data(), 0, in);
        }
        if (needsGrad(2)) {
            db = Tensor.empty(out);
            kernels.biasGradient(dy, n, out, 1, db.data());
        }
        return new Tensor[] {dx, dw, db};
    }

    @Override
    public void release() {
        x = null;
        w = null;
        y = null;
    }
}
