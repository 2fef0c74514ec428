package io.cnn4j.nn;

import io.cnn4j.autograd.Functional;
import io.cnn4j.tensor.Tensor;

import java.util.List;

/** tanh(x). */
public final class Tanh extends StatelessLayer {
    public static final LayerType TYPE = LayerType.of("Tanh", c -> new Tanh())
            .exportsTo(Tanh.class, (layer, onnx, x) -> onnx.node("Tanh", List.of(x)));

    public Tanh() {
        super("Tanh");
    }

    @Override
    protected Tensor compute(Tensor input) {
        return Functional.tanh(input);
    }
}
