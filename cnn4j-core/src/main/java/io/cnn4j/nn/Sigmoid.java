package io.cnn4j.nn;

import io.cnn4j.autograd.Functional;
import io.cnn4j.tensor.Tensor;

/** 1 / (1 + exp(-x)). */
public final class Sigmoid extends StatelessLayer {
    public static final LayerType TYPE = LayerType.of("Sigmoid", c -> new Sigmoid());

    public Sigmoid() {
        super("Sigmoid");
    }

    @Override
    protected Tensor compute(Tensor input) {
        return Functional.sigmoid(input);
    }
}
