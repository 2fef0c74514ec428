package io.cnn4j.nn;

import io.cnn4j.tensor.Shape;

/**
 * Batch normalisation of the features of {@code [N, C]} (each over the batch) or the channels of
 * {@code [N, C, L]} (each over batch and length): PyTorch's {@code nn.BatchNorm1d}. See
 * {@link BatchNorm} for what it computes and holds.
 */
public final class BatchNorm1d extends BatchNorm {
    public static final LayerType TYPE = BatchNorm.type("BatchNorm1d", BatchNorm1d::new, BatchNorm1d::checkInput);

    public BatchNorm1d(int numFeatures) {
        this(BatchNormConfig.of(numFeatures));
    }

    public BatchNorm1d(BatchNormConfig config) {
        super("BatchNorm1d", config);
    }

    @Override
    LayerType layerType() {
        return TYPE;
    }

    @Override
    void checkInput(Shape input) {
        checkInput(toString(), settings().numFeatures(), input);
    }

    static void checkInput(String layer, int features, Shape input) {
        if (!fits(features, input, 2) && !fits(features, input, 3)) {
            throw new IllegalArgumentException(layer + " expects input [N, " + features + "] or [N, " + features
                    + ", L], got " + input + (input.rank() == 4 ? ": use BatchNorm2d for images" : ""));
        }
    }
}
