package io.cnn4j.nn;

import io.cnn4j.tensor.Shape;

/**
 * Batch normalisation of the channels of {@code [N, C, H, W]} images, each channel over batch and space:
 * PyTorch's {@code nn.BatchNorm2d}. See {@link BatchNorm} for what it computes and holds.
 *
 * {@snippet :
 * var block = new Sequential(
 *         new Conv2d(Conv2dConfig.of(1, 32, 3).padding(1)), new BatchNorm2d(32), new ReLU());
 * }
 */
public final class BatchNorm2d extends BatchNorm {
    public static final LayerType TYPE = BatchNorm.type("BatchNorm2d", BatchNorm2d::new, BatchNorm2d::checkInput);

    public BatchNorm2d(int numFeatures) {
        this(BatchNormConfig.of(numFeatures));
    }

    public BatchNorm2d(BatchNormConfig config) {
        super("BatchNorm2d", config);
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
        if (!fits(features, input, 4)) {
            throw new IllegalArgumentException(layer + " expects input [N, " + features + ", H, W], got " + input);
        }
    }
}
