package io.cnn4j.nn;

import io.cnn4j.autograd.Functional;
import io.cnn4j.tensor.Tensor;

/** softmax over the classes of [N, C]. */
public final class Softmax extends StatelessLayer {
    public Softmax() {
        super("Softmax");
    }

    @Override
    protected Tensor compute(Tensor input) {
        return Functional.softmax(input);
    }
}
