package io.cnn4j.nn;

import io.cnn4j.autograd.Functional;
import io.cnn4j.tensor.Tensor;

import java.util.List;

/** {@code x * relu6(x + 3) / 6}, MobileNetV3's cheap swish (Howard et al., 2019). */
public final class Hardswish extends StatelessLayer {
    public static final LayerType TYPE = LayerType.of("Hardswish", c -> new Hardswish())
            .exportsTo(Hardswish.class, (layer, onnx, x) -> onnx.node("HardSwish", List.of(x)));

    public Hardswish() {
        super("Hardswish");
    }

    @Override
    protected Tensor compute(Tensor input) {
        return Functional.hardswish(input);
    }
}
