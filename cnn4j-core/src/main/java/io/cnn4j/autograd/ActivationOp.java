package io.cnn4j.autograd;

import io.cnn4j.tensor.Execution;
import io.cnn4j.tensor.Tensor;

/** An element-wise activation; keeps its input and output, whichever its derivative reads. */
final class ActivationOp extends Op {
    private final Activation activation;
    private final float param;
    private Tensor x;
    private Tensor y;

    private ActivationOp(Activation activation, float param, Tensor x, Tensor y) {
        super(activation.displayName(), x);
        this.activation = activation;
        this.param = param;
        this.x = x;
        this.y = y;
    }

    static Tensor apply(Activation activation, float param, Tensor x) {
        Tensor y = Tensor.empty(x.shape());
        activation.forward(Execution.kernels(), param, x.data(), y.data());
        if (recording(x)) {
            y.recordedBy(new ActivationOp(activation, param, x, y));
        }
        return y;
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        Tensor dx = Tensor.empty(x.shape());
        activation.backward(kernels, param, x.data(), y.data(), gradOutput.data(), dx.data());
        return new Tensor[] {dx};
    }

    @Override
    public void release() {
        x = null;
        y = null;
    }
}
