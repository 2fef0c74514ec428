package io.cnn4j.autograd;

import io.cnn4j.tensor.Tensor;

/** Element-wise sum of two tensors of the same shape (residual connections). */
final class AddOp extends Op {

    private AddOp(Tensor a, Tensor b) {
        super("Add", a, b);
    }

    static Tensor apply(Tensor a, Tensor b) {
        if (!a.shape().equals(b.shape())) {
            throw new IllegalArgumentException("add: shapes " + a.shape() + " and " + b.shape() + " differ");
        }
        Tensor y = Tensor.empty(a.shape());
        kernels().add(a.data(), b.data(), y.data(), y.size());
        if (recording(a, b)) {
            y.recordedBy(new AddOp(a, b));
        }
        return y;
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        // Both inputs receive the same gradient; the engine never writes into a gradient it was handed.
        return new Tensor[] {needsGrad(0) ? gradOutput : null, needsGrad(1) ? gradOutput : null};
    }

    @Override
    public void release() {
    }
}
