package io.cnn4j.nn;

import io.cnn4j.autograd.Functional;
import io.cnn4j.onnx.OnnxAttribute;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

import java.util.List;

/** {@code x > 0 ? x : slope * x}; PyTorch's default slope is 0.01. */
public final class LeakyReLU extends Module {
    public static final LayerType TYPE = LayerType.of("LeakyReLU", c -> new LeakyReLU((float) c.doubleArg("negative_slope")))
            .optional("negative_slope", LayerType.Kind.NUMBER, 0.01)
            .exportsTo(LeakyReLU.class, (layer, onnx, x) -> onnx.node("LeakyRelu", List.of(x), OnnxAttribute.of("alpha", layer.slope)));

    private final float slope;

    public LeakyReLU() {
        this(0.01f);
    }

    public LeakyReLU(float negativeSlope) {
        this.slope = negativeSlope;
    }

    @Override
    protected Tensor compute(Tensor input) {
        return Functional.leakyRelu(input, slope);
    }

    @Override
    public Shape outputShape(Shape input) {
        return input;
    }

    @Override
    public LayerConfig config() {
        return TYPE.config("negative_slope", (double) slope);
    }

    @Override
    public String toString() {
        return "LeakyReLU(negative_slope=" + slope + ")";
    }
}
