package io.cnn4j.nn;

import io.cnn4j.autograd.Functional;
import io.cnn4j.tensor.Tensor;

import java.util.List;

/** {@code x * sigmoid(x)}, also called swish (Ramachandran et al., 2017; Elfwing et al., 2018). */
public final class SiLU extends StatelessLayer {
    public static final LayerType TYPE = LayerType.of("SiLU", c -> new SiLU())
            .exportsTo(SiLU.class, (layer, onnx, x) -> onnx.node("Mul", List.of(x, onnx.node("Sigmoid", List.of(x)))));

    public SiLU() {
        super("SiLU");
    }

    @Override
    protected Tensor compute(Tensor input) {
        return Functional.silu(input);
    }
}
