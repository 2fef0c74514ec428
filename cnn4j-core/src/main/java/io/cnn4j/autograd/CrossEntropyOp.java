package io.cnn4j.autograd;

import io.cnn4j.tensor.Execution;
import io.cnn4j.tensor.Tensor;

/**
 * Cross-entropy of logits {@code [N, C]} against class indices, averaged over the batch, with optional
 * label smoothing {@code eps} (the target puts {@code 1-eps} on the label and spreads {@code eps}
 * uniformly over all C classes, as PyTorch's {@code label_smoothing}). Log-softmax and the loss are
 * one operation: its gradient {@code (softmax - target) / N} is exact and cheap, and no
 * {@code log(0)} can occur.
 */
final class CrossEntropyOp extends Op {
    private Tensor logProbs;
    private int[] labels;
    private final float smoothing;

    private CrossEntropyOp(Tensor logits, Tensor logProbs, int[] labels, float smoothing) {
        super("CrossEntropy", logits);
        this.logProbs = logProbs;
        this.labels = labels;
        this.smoothing = smoothing;
    }

    static Tensor apply(Tensor logits, int[] labels, float smoothing) {
        int c = ClassLabels.check("crossEntropy", "logits", logits, labels);
        int n = labels.length;
        if (!(smoothing >= 0f && smoothing <= 1f)) {
            throw new IllegalArgumentException("crossEntropy: label smoothing must be in [0, 1], got " + smoothing);
        }
        Tensor logProbs = Tensor.temporary(n, c);
        Execution.kernels().logSoftmax(logits.data(), n, c, logProbs.data());
        float[] lp = logProbs.data();
        double total = 0;
        for (int i = 0; i < n; i++) {
            float nll = -lp[i * c + labels[i]];
            if (smoothing > 0f) {
                float sum = 0f;
                for (int j = 0; j < c; j++) {
                    sum -= lp[i * c + j];
                }
                nll = (1f - smoothing) * nll + smoothing * sum / c;
            }
            total += nll;
        }
        Tensor loss = Tensor.scalar((float) (total / n));
        if (recording(logits)) {
            loss.recordedBy(new CrossEntropyOp(logits, logProbs, labels.clone(), smoothing));
        }
        return loss;
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        int n = logProbs.dim(0);
        int c = logProbs.dim(1);
        float scale = gradOutput.item() / n;
        float uniform = smoothing / c;
        float[] lp = logProbs.data();
        Tensor dx = Tensor.temporary(n, c);
        float[] d = dx.data();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < c; j++) {
                float target = (j == labels[i] ? 1f - smoothing : 0f) + uniform;
                d[i * c + j] = ((float) Math.exp(lp[i * c + j]) - target) * scale;
            }
        }
        return new Tensor[] {dx};
    }

    @Override
    public void release() {
        logProbs = null;
        labels = null;
    }
}
