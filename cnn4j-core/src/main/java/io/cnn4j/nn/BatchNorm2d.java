package io.cnn4j.nn;

import io.cnn4j.tensor.Tensor;

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

    public BatchNorm2d(int numFeatures) {
        this(BatchNormConfig.of(numFeatures));
    }

    public BatchNorm2d(BatchNormConfig config) {
        super("BatchNorm2d", config);
    }

    @Override
    void checkInput(Tensor input) {
        if (!fits(input, 4)) {
            throw new IllegalArgumentException(this + " expects input [N, " + settings().numFeatures() + ", H, W], got "
                    + input.shape());
        }
    }
}
