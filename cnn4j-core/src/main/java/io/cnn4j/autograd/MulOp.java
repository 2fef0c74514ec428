package io.cnn4j.autograd;

import io.cnn4j.tensor.Execution;
import io.cnn4j.tensor.Tensor;

/** Element-wise product of two tensors of the same shape. */
final class MulOp extends Op {
    private Tensor a;
    private Tensor b;

    private MulOp(Tensor a, Tensor b) {
        super("Mul", a, b);
        this.a = a;
        this.b = b;
    }

    static Tensor apply(Tensor a, Tensor b) {
        if (!a.shape().equals(b.shape())) {
            throw new IllegalArgumentException("mul: shapes " + a.shape() + " and " + b.shape() + " differ");
        }
        Tensor y = Tensor.temporary(a.shape());
        Execution.kernels().mul(a.data(), b.data(), y.data(), y.size());
        if (recording(a, b)) {
            y.recordedBy(new MulOp(a, b));
        }
        return y;
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        Tensor da = null;
        Tensor db = null;
        if (needsGrad(0)) {
            da = Tensor.temporary(a.shape());
            kernels.mul(gradOutput.data(), b.data(), da.data(), da.size());
        }
        if (needsGrad(1)) {
            db = Tensor.temporary(b.shape());
            kernels.mul(gradOutput.data(), a.data(), db.data(), db.size());
        }
        return new Tensor[] {da, db};
    }

    @Override
    public void release() {
        a = null;
        b = null;
    }
}
