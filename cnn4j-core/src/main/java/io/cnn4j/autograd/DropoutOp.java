package io.cnn4j.autograd;

import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.Workspace;

/**
 * Inverted dropout: each element is zeroed with probability {@code p} and the survivors are scaled by
 * {@code 1/(1-p)}, so evaluation needs no rescaling. The mask (already scaled) is kept for backward.
 */
final class DropoutOp extends Op {
    private float[] mask;

    private DropoutOp(Tensor x, float[] mask) {
        super("Dropout", x);
        this.mask = mask;
    }

    static Tensor apply(Tensor x, float p, Rng rng) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        }
        float keep = 1f / (1f - p);
        float[] mask = Workspace.floats(x.size());
        for (int i = 0; i < mask.length; i++) {
            mask[i] = rng.nextDouble() < p ? 0f : keep;
        }
        Tensor y = Tensor.temporary(x.shape());
        kernels().mul(x.data(), mask, y.data(), mask.length);
        if (recording(x)) {
            y.recordedBy(new DropoutOp(x, mask));
        }
        return y;
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        Tensor dx = Tensor.temporary(gradOutput.shape());
        kernels().mul(gradOutput.data(), mask, dx.data(), mask.length);
        return new Tensor[] {dx};
    }

    @Override
    public void release() {
        mask = null;
    }
}
