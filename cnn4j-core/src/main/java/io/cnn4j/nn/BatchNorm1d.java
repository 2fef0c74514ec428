package io.cnn4j.nn;

import io.cnn4j.tensor.Tensor;

/**
 * Batch normalisation of the features of {@code [N, C]} (each over the batch) or the channels of
 * {@code [N, C, L]} (each over batch and length): PyTorch's {@code nn.BatchNorm1d}. See
 * {@link BatchNorm} for what it computes and holds.
 */
public final class BatchNorm1d extends BatchNorm {

    public BatchNorm1d(int numFeatures) {
        this(BatchNormConfig.of(numFeatures));
    }

    public BatchNorm1d(BatchNormConfig config) {
        super("BatchNorm1d", config);
    }

    @Override
    void checkInput(Tensor input) {
        if (!fits(input, 2) && !fits(input, 3)) {
            int c = settings().numFeatures();
            throw new IllegalArgumentException(this + " expects input [N, " + c + "] or [N, " + c + ", L], got "
                    + input.shape() + (input.rank() == 4 ? ": use BatchNorm2d for images" : ""));
        }
    }
}
