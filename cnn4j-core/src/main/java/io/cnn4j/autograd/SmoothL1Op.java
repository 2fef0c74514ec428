package io.cnn4j.autograd;

import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.Workspace;

/**
 * The regression losses that are quadratic near zero and linear beyond a threshold, averaged over every
 * element, as PyTorch computes them ({@code z = |prediction - target|}):
 * <pre>
 * smooth L1 (beta):  z < beta  ? 0.5 * z^2 / beta : z - 0.5 * beta         (beta 0: the L1 loss)
 * Huber (delta):     z < delta ? 0.5 * z^2        : delta * (z - 0.5 * delta)
 * </pre>
 * Huber is smooth L1 times delta; both are kept, written as PyTorch writes them, so that each rounds as
 * PyTorch's does.
 */
final class SmoothL1Op extends Op {
    private float[] diff;
    private final float threshold;
    private final boolean huber;

    private SmoothL1Op(Tensor prediction, Tensor target, float[] diff, float threshold, boolean huber) {
        super(huber ? "Huber" : "SmoothL1", prediction, target);
        this.diff = diff;
        this.threshold = threshold;
        this.huber = huber;
    }

    static Tensor apply(Tensor prediction, Tensor target, float threshold, boolean huber) {
        String name = huber ? "huber" : "smoothL1";
        if (!prediction.shape().equals(target.shape())) {
            throw new IllegalArgumentException(name + ": prediction " + prediction.shape() + " and target "
                    + target.shape() + " differ in shape");
        }
        if (!(threshold >= 0) || huber && threshold == 0) {
            throw new IllegalArgumentException(name + ": " + (huber ? "delta must be > 0" : "beta must be >= 0")
                    + ", got " + threshold);
        }
        float[] p = prediction.data();
        float[] t = target.data();
        float[] diff = Workspace.floats(p.length);
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            diff[i] = p[i] - t[i];
            float z = Math.abs(diff[i]);
            if (huber) {
                sum += z < threshold ? 0.5f * z * z : threshold * (z - 0.5f * threshold);
            } else {
                sum += z < threshold ? 0.5f * z * z / threshold : z - 0.5f * threshold;
            }
        }
        Tensor loss = Tensor.scalar((float) (sum / p.length));
        if (recording(prediction, target)) {
            loss.recordedBy(new SmoothL1Op(prediction, target, diff, threshold, huber));
        }
        return loss;
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        float scale = gradOutput.item() / diff.length;
        // Beyond the threshold the slope is 1 (smooth L1) or delta (Huber); inside it d/beta or d.
        float outer = huber ? threshold : 1f;
        float[] g = Workspace.emptyFloats(diff.length);
        for (int i = 0; i < diff.length; i++) {
            float d = diff[i];
            float slope = threshold == 0 ? Math.signum(d)
                    : d < -threshold ? -outer : d > threshold ? outer : huber ? d : d / threshold;
            g[i] = slope * scale;
        }
        return differenceGradients(g);
    }

    @Override
    public void release() {
        diff = null;
    }
}
