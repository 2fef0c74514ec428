package io.cnn4j.nn;

import io.cnn4j.autograd.Functional;
import io.cnn4j.tensor.Tensor;

import java.util.List;

/** max(x, 0). */
public final class ReLU extends StatelessLayer {
    public static final LayerType TYPE = LayerType.of("ReLU", c -> new ReLU())
            .exportsTo(ReLU.class, (layer, onnx, x) -> onnx.node("Relu", List.of(x)));

    public ReLU() {
        super("ReLU");
    }

    @Override
    protected Tensor compute(Tensor input) {
        return Functional.relu(input);
    }
}
