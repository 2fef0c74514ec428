package io.cnn4j.nn;

import io.cnn4j.autograd.Functional;
import io.cnn4j.onnx.OnnxAttribute;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

import java.util.List;

/** {@code x > 0 ? x : alpha * (exp(x) - 1)} (Clevert et al., 2016); PyTorch's default alpha is 1. */
public final class ELU extends Module {
    public static final LayerType TYPE = LayerType.of("ELU", c -> new ELU((float) c.doubleArg("alpha")))
            .optional("alpha", LayerType.Kind.NUMBER, 1.0)
            .exportsTo(ELU.class, (layer, onnx, x) -> onnx.node("Elu", List.of(x), OnnxAttribute.of("alpha", layer.alpha)));

    private final float alpha;

    public ELU() {
        this(1f);
    }

    public ELU(float alpha) {
        if (!Float.isFinite(alpha)) {
            throw new IllegalArgumentException("ELU: alpha must be a finite number, got " + alpha);
        }
        this.alpha = alpha;
    }

    @Override
    protected Tensor compute(Tensor input) {
        return Functional.elu(input, alpha);
    }

    @Override
    public Shape outputShape(Shape input) {
        return input;
    }

    @Override
    public LayerConfig config() {
        return TYPE.config("alpha", (double) alpha);
    }

    @Override
    public String toString() {
        return "ELU(alpha=" + alpha + ")";
    }
}
