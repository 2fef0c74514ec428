package io.cnn4j.autograd;

import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

/** The same values under another shape; the gradient flows back reshaped. No copy either way. */
final class ReshapeOp extends Op {
    private final Shape inputShape;

    private ReshapeOp(Tensor x) {
        super("Reshape", x);
        this.inputShape = x.shape();
    }

    static Tensor apply(Tensor x, Shape shape) {
        Tensor y = x.detach().view(shape);
        if (recording(x)) {
            y.recordedBy(new ReshapeOp(x));
        }
        return y;
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        return new Tensor[] {gradOutput.view(inputShape)};
    }

    @Override
    public void release() {
    }
}
