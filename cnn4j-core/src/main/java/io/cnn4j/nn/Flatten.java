package io.cnn4j.nn;

import io.cnn4j.autograd.Functional;
import io.cnn4j.onnx.OnnxAttribute;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

import java.util.List;

/** [N, C, H, W] to [N, C*H*W], in C, H, W order (as PyTorch's nn.Flatten). */
public final class Flatten extends StatelessLayer {
    public static final LayerType TYPE = LayerType.of("Flatten", c -> new Flatten())
            .exportsTo(Flatten.class, (layer, onnx, x) -> onnx.node("Flatten", List.of(x), OnnxAttribute.of("axis", 1L)));

    public Flatten() {
        super("Flatten");
    }

    @Override
    protected Tensor compute(Tensor input) {
        outputShape(input.shape());
        return Functional.flatten(input);
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() == 0) {
            throw new IllegalArgumentException(this + " expects input [N, ...], got " + input);
        }
        return Shape.of(input.dim(0), input.sizeFrom(1));
    }
}
