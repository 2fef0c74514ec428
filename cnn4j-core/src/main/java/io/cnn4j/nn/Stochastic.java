package io.cnn4j.nn;

import io.cnn4j.tensor.Rng;

/**
 * A layer that draws random numbers while training, such as dropout. It exposes its generator so that
 * a training checkpoint can save where it stands and a resumed run can draw the same masks; every layer
 * that owns an {@link Rng} should implement this, or resumed runs will differ.
 */
public interface Stochastic {

    /** The layer's own generator, live (save it with {@link Rng#state()}). */
    Rng generator();
}
