package io.cnn4j.nn;

import io.cnn4j.autograd.Functional;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;

/**
 * Zeroes each element with probability {@code p} while training and scales the rest by {@code 1/(1-p)};
 * the identity in evaluation mode. Masks come from a generator split off {@link Rng#global()} when the
 * layer is built, so a seeded run drops the same units every time.
 */
public final class Dropout extends Module implements Stochastic {
    private final float p;
    private final Rng rng;

    public Dropout(float p) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("Dropout: p must be in [0, 1), got " + p);
        }
        this.p = p;
        this.rng = Rng.global().split();
    }

    @Override
    public Rng generator() {
        return rng;
    }

    @Override
    protected Tensor compute(Tensor input) {
        return isTraining() && p > 0f ? Functional.dropout(input, p, rng) : input;
    }

    @Override
    public LayerConfig config() {
        return LayerConfig.of("Dropout", "p", (double) p);
    }

    @Override
    public String toString() {
        return "Dropout(p=" + p + ")";
    }
}
