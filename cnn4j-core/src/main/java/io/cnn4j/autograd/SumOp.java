package io.cnn4j.autograd;

import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

/** Sum (or mean) of all elements, as a one-element tensor. */
final class SumOp extends Op {
    private final Shape inputShape;
    private final float scale;

    private SumOp(Tensor x, float scale) {
        super(scale == 1f ? "Sum" : "Mean", x);
        this.inputShape = x.shape();
        this.scale = scale;
    }

    static Tensor apply(Tensor x, boolean mean) {
        float scale = mean ? 1f / x.size() : 1f;
        double s = 0;
        for (float v : x.data()) {
            s += v;
        }
        Tensor y = Tensor.scalar((float) (s * scale));
        if (recording(x)) {
            y.recordedBy(new SumOp(x, scale));
        }
        return y;
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        Tensor dx = Tensor.temporary(inputShape);
        java.util.Arrays.fill(dx.data(), gradOutput.item() * scale);
        return new Tensor[] {dx};
    }

    @Override
    public void release() {
    }
}
