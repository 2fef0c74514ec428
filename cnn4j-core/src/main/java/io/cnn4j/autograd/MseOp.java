package io.cnn4j.autograd;

import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.Workspace;

/** Mean squared error {@code mean((prediction - target)^2)} over all elements. */
final class MseOp extends Op {
    private float[] diff;

    private MseOp(Tensor prediction, Tensor target, float[] diff) {
        super("MSE", prediction, target);
        this.diff = diff;
    }

    static Tensor apply(Tensor prediction, Tensor target) {
        if (!prediction.shape().equals(target.shape())) {
            throw new IllegalArgumentException("mse: prediction " + prediction.shape() + " and target "
                    + target.shape() + " differ in shape");
        }
        float[] p = prediction.data();
        float[] t = target.data();
        float[] diff = Workspace.floats(p.length);
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            diff[i] = p[i] - t[i];
            sum += (double) diff[i] * diff[i];
        }
        Tensor loss = Tensor.scalar((float) (sum / p.length));
        if (recording(prediction, target)) {
            loss.recordedBy(new MseOp(prediction, target, diff));
        }
        return loss;
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        float scale = 2f * gradOutput.item() / diff.length;
        float[] g = Workspace.emptyFloats(diff.length);
        for (int i = 0; i < diff.length; i++) {
            g[i] = scale * diff[i];
        }
        return differenceGradients(g);
    }

    @Override
    public void release() {
        diff = null;
    }
}
