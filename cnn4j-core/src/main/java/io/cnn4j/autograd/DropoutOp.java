package io.cnn4j.autograd;

import io.cnn4j.tensor.Execution;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.Workspace;

import java.util.Arrays;

/**
 * Inverted dropout: each element (or block of elements) is zeroed with probability {@code p} and the
 * survivors are scaled by {@code 1/(1-p)}, so evaluation needs no rescaling. The mask (already scaled) is kept for backward.
 */
final class DropoutOp extends Op {
    private float[] mask;

    private DropoutOp(Tensor x, float[] mask) {
        super("Dropout", x);
        this.mask = mask;
    }

    /**
     * Drops runs of {@code block} consecutive elements together: 1 for plain dropout, {@code H*W} to drop
     * whole channels of an NCHW tensor (channel dropout, PyTorch's {@code Dropout2d}).
     */
    static Tensor apply(Tensor x, float p, Rng rng, int block) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        }
        if (block < 1 || x.size() % block != 0) {
            throw new IllegalArgumentException("dropout: blocks of " + block + " elements do not tile " + x.shape());
        }
        float keep = 1f / (1f - p);
        float[] mask = Workspace.floats(x.size());
        for (int i = 0; i < mask.length; i += block) {
            Arrays.fill(mask, i, i + block, rng.nextDouble() < p ? 0f : keep);
        }
        Tensor y = Tensor.temporary(x.shape());
        Execution.kernels().mul(x.data(), mask, y.data(), mask.length);
        if (recording(x)) {
            y.recordedBy(new DropoutOp(x, mask));
        }
        return y;
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        Tensor dx = Tensor.temporary(gradOutput.shape());
        kernels.mul(gradOutput.data(), mask, dx.data(), mask.length);
        return new Tensor[] {dx};
    }

    @Override
    public void release() {
        mask = null;
    }
}
