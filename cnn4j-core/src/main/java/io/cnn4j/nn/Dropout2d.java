package io.cnn4j.nn;

import io.cnn4j.autograd.Functional;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

/**
 * Channel dropout of {@code [N, C, H, W]}: while training, each channel of each image is zeroed whole with
 * probability {@code p} and the others are scaled by {@code 1/(1-p)}; the identity in evaluation mode
 * (PyTorch's {@code nn.Dropout2d}). Neighbouring pixels of a feature map are strongly correlated, so
 * dropping single pixels (plain {@link Dropout}) regularises convolutions little; dropping whole maps
 * does. Masks come from a generator split off the model's when it is initialised.
 */
public final class Dropout2d extends DropoutLayer {
    public static final LayerType TYPE = DropoutLayer.type("Dropout2d", Dropout2d::new);

    public Dropout2d(float p) {
        super("Dropout2d", p);
    }

    /** Throws naming {@code layer} unless {@code input} is a batch of images. */
    static void checkInput(String layer, Shape input) {
        if (input.rank() != 4) {
            throw new IllegalArgumentException(layer + " expects input [N, C, H, W], got " + input);
        }
    }

    @Override
    Tensor drop(Tensor input, float p, Rng rng) {
        return Functional.dropout2d(input, p, rng);
    }
}
