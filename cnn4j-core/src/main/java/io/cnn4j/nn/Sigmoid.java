package io.cnn4j.nn;

import io.cnn4j.autograd.Functional;
import io.cnn4j.tensor.Tensor;

import java.util.List;

/** 1 / (1 + exp(-x)). */
public final class Sigmoid extends StatelessLayer {
    public static final LayerType TYPE = LayerType.of("Sigmoid", c -> new Sigmoid())
            .exportsTo(Sigmoid.class, (layer, onnx, x) -> onnx.node("Sigmoid", List.of(x)));

    public Sigmoid() {
        super("Sigmoid");
    }

    @Override
    protected Tensor compute(Tensor input) {
        return Functional.sigmoid(input);
    }
}
