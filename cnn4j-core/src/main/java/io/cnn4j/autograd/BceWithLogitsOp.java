package io.cnn4j.autograd;

import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.Workspace;

/**
 * Binary cross-entropy of logits against targets in [0, 1], elementwise and averaged over every element,
 * PyTorch's {@code F.binary_cross_entropy_with_logits}: the sigmoid is inside, so no {@code log(0)} can
 * occur however large the logits. An optional {@code posWeight}, one value per position of the last
 * dimension (a class of a multi-label output), weighs the positive term:
 * <pre>
 * loss = (1 - t) * x + (1 + (posWeight - 1) * t) * log(1 + exp(-x))
 * </pre>
 * with {@code log(1 + exp(-x))} computed as {@code log(exp(-m) + exp(-x - m)) + m}, {@code m = max(-x, 0)}.
 */
final class BceWithLogitsOp extends Op {
    private float[] softplus;
    private final float[] posWeight;
    private final int last;

    private BceWithLogitsOp(Tensor logits, Tensor target, float[] softplus, float[] posWeight, int last) {
        super("BCEWithLogits", logits, target);
        this.softplus = softplus;
        this.posWeight = posWeight;
        this.last = last;
    }

    static Tensor apply(Tensor logits, Tensor target, float[] posWeight) {
        if (!logits.shape().equals(target.shape())) {
            throw new IllegalArgumentException("bceWithLogits: logits " + logits.shape() + " and target " + target.shape()
                    + " differ in shape");
        }
        int last = logits.rank() == 0 ? 1 : logits.dim(logits.rank() - 1);
        if (posWeight != null && posWeight.length != last) {
            throw new IllegalArgumentException("bceWithLogits: posWeight has " + posWeight.length
                    + " values, one per position of the logits' last dimension (" + last + ") is needed");
        }
        float[] x = logits.data();
        float[] t = target.data();
        float[] softplus = Workspace.floats(x.length);
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            float m = Math.max(-x[i], 0f);
            softplus[i] = (float) Math.log((float) Math.exp(-m) + (float) Math.exp(-x[i] - m)) + m;
            float weight = posWeight == null ? 1f : (posWeight[i % last] - 1f) * t[i] + 1f;
            sum += (1f - t[i]) * x[i] + weight * softplus[i];
        }
        Tensor loss = Tensor.scalar((float) (sum / x.length));
        if (recording(logits, target)) {
            loss.recordedBy(new BceWithLogitsOp(logits, target, softplus, posWeight == null ? null : posWeight.clone(), last));
        }
        return loss;
    }

    /** d/dx = (1 - t) - w * sigmoid(-x); d/dt = -x + (posWeight - 1) * log(1 + exp(-x)). */
    @Override
    public Tensor[] backward(Tensor gradOutput) {
        float[] x = inputs().get(0).data();
        float[] t = inputs().get(1).data();
        float scale = gradOutput.item() / x.length;
        Tensor dx = needsGrad(0) ? Tensor.temporary(inputs().get(0).shape()) : null;
        Tensor dt = needsGrad(1) ? Tensor.temporary(inputs().get(1).shape()) : null;
        for (int i = 0; i < x.length; i++) {
            float pw = posWeight == null ? 1f : posWeight[i % last];
            float weight = (pw - 1f) * t[i] + 1f;
            // Written so that exp never overflows: sigmoid(-x) = e / (1 + e) with e = exp(-|x|) for x >= 0.
            float e = (float) Math.exp(-Math.abs(x[i]));
            float sigmoidOfMinusX = x[i] >= 0 ? e / (1f + e) : 1f / (1f + e);
            if (dx != null) {
                dx.data()[i] = ((1f - t[i]) - weight * sigmoidOfMinusX) * scale;
            }
            if (dt != null) {
                dt.data()[i] = (-x[i] + (pw - 1f) * softplus[i]) * scale;
            }
        }
        return new Tensor[] {dx, dt};
    }

    @Override
    public void release() {
        softplus = null;
    }
}
