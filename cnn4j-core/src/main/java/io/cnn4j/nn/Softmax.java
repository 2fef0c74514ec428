package io.cnn4j.nn;

import io.cnn4j.autograd.Functional;
import io.cnn4j.onnx.OnnxAttribute;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

import java.util.List;

/** softmax over the classes of [N, C]. */
public final class Softmax extends StatelessLayer {
    public static final LayerType TYPE = LayerType.of("Softmax", c -> new Softmax())
            .exportsTo(Softmax.class, (layer, onnx, x) -> onnx.node("Softmax", List.of(x), OnnxAttribute.of("axis", 1L)));

    public Softmax() {
        super("Softmax");
    }

    @Override
    protected Tensor compute(Tensor input) {
        requireClassScores(input.shape());
        return Functional.softmax(input);
    }

    @Override
    public Shape outputShape(Shape input) {
        return requireClassScores(input);
    }
}
