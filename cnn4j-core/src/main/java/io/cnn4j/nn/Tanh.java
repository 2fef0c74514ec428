package io.cnn4j.nn;

import io.cnn4j.autograd.Functional;
import io.cnn4j.tensor.Tensor;

/** tanh(x). */
public final class Tanh extends StatelessLayer {
    public static final LayerType TYPE = LayerType.of("Tanh", c -> new Tanh());

    public Tanh() {
        super("Tanh");
    }

    @Override
    protected Tensor compute(Tensor input) {
        return Functional.tanh(input);
    }
}
