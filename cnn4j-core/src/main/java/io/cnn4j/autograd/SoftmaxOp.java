package io.cnn4j.autograd;

import io.cnn4j.tensor.Execution;
import io.cnn4j.tensor.Tensor;

/** Softmax or log-softmax over the last dimension of a {@code [N, C]} tensor. */
final class SoftmaxOp extends Op {
    private final boolean log;
    private Tensor y;

    private SoftmaxOp(boolean log, Tensor x, Tensor y) {
        super(log ? "LogSoftmax" : "Softmax", x);
        this.log = log;
        this.y = y;
    }

    static Tensor apply(Tensor x, boolean log) {
        if (x.rank() != 2) {
            throw new IllegalArgumentException((log ? "logSoftmax" : "softmax") + ": expected [N, C], got " + x.shape());
        }
        int rows = x.dim(0);
        int cols = x.dim(1);
        Tensor y = Tensor.temporary(x.shape());
        if (log) {
            Execution.kernels().logSoftmax(x.data(), rows, cols, y.data());
        } else {
            Execution.kernels().softmax(x.data(), rows, cols, y.data());
        }
        if (recording(x)) {
            y.recordedBy(new SoftmaxOp(log, x, y));
        }
        return y;
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        Tensor dx = Tensor.temporary(y.shape());
        int rows = y.dim(0);
        int cols = y.dim(1);
        if (log) {
            kernels.logSoftmaxBackward(y.data(), gradOutput.data(), rows, cols, dx.data());
        } else {
            kernels.softmaxBackward(y.data(), gradOutput.data(), rows, cols, dx.data());
        }
        return new Tensor[] {dx};
    }

    @Override
    public void release() {
        y = null;
    }
}
