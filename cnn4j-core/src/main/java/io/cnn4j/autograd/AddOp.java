package io.cnn4j.autograd;

import io.cnn4j.tensor.Execution;
import io.cnn4j.tensor.Tensor;

/** Element-wise sum of two tensors of the same shape (residual connections), optionally followed by ReLU. */
final class AddOp extends Op {
    /** The output, kept when a ReLU is fused in: its positive elements are where the gradient passes. */
    private Tensor y;

    private AddOp(Tensor a, Tensor b, Tensor y) {
        super(y == null ? "Add" : "Add+ReLU", a, b);
        this.y = y;
    }

    static Tensor apply(Tensor a, Tensor b, boolean relu) {
        if (!a.shape().equals(b.shape())) {
            throw new IllegalArgumentException("add: shapes " + a.shape() + " and " + b.shape() + " differ");
        }
        Tensor y = Tensor.empty(a.shape());
        Execution.kernels().add(a.data(), b.data(), relu, y.data(), y.size());
        if (recording(a, b)) {
            y.recordedBy(new AddOp(a, b, relu ? y : null));
        }
        return y;
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        Tensor g = y == null ? gradOutput : Tensor.of(throughRelu(y.data(), gradOutput.data()), gradOutput.shape());
        // Both inputs receive the same gradient; the engine never writes into a gradient it was handed.
        return new Tensor[] {needsGrad(0) ? g : null, needsGrad(1) ? g : null};
    }

    @Override
    public void release() {
        y = null;
    }
}
