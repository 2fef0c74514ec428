package io.cnn4j.autograd;

import io.cnn4j.tensor.Tensor;

/**
 * Negative log-likelihood of log-probabilities {@code [N, C]} (a LogSoftmax's output) against class
 * indices, averaged over the batch: PyTorch's {@code F.nll_loss}. Together with LogSoftmax it is the
 * cross-entropy; use {@code crossEntropy} on logits where the model has no LogSoftmax of its own.
 */
final class NllOp extends Op {
    private int[] labels;

    private NllOp(Tensor logProbs, int[] labels) {
        super("NLL", logProbs);
        this.labels = labels;
    }

    static Tensor apply(Tensor logProbs, int[] labels) {
        int c = ClassLabels.check("nll", "log-probabilities", logProbs, labels);
        float[] lp = logProbs.data();
        double total = 0;
        for (int i = 0; i < labels.length; i++) {
            total -= lp[i * c + labels[i]];
        }
        Tensor loss = Tensor.scalar((float) (total / labels.length));
        if (recording(logProbs)) {
            loss.recordedBy(new NllOp(logProbs, labels.clone()));
        }
        return loss;
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        Tensor in = inputs().get(0);
        int c = in.dim(1);
        Tensor dx = Tensor.temporary(in.shape());
        float g = -gradOutput.item() / labels.length;
        for (int i = 0; i < labels.length; i++) {
            dx.data()[i * c + labels[i]] = g;
        }
        return new Tensor[] {dx};
    }

    @Override
    public void release() {
        labels = null;
    }
}
