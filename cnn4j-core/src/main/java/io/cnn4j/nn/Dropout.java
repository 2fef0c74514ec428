package io.cnn4j.nn;

import io.cnn4j.autograd.Functional;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;

/**
 * Zeroes each element with probability {@code p} while training and scales the rest by {@code 1/(1-p)};
 * the identity in evaluation mode. Masks come from a generator split off the model's when it is
 * initialised, so a seeded run drops the same units every time.
 */
public final class Dropout extends DropoutLayer {
    public static final LayerType TYPE = DropoutLayer.type("Dropout", Dropout::new);

    public Dropout(float p) {
        super("Dropout", p);
    }

    @Override
    Tensor drop(Tensor input, float p, Rng rng) {
        return Functional.dropout(input, p, rng);
    }
}
