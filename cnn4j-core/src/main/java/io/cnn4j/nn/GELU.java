package io.cnn4j.nn;

import io.cnn4j.autograd.Functional;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

import java.util.List;

/**
 * The Gaussian error linear unit (Hendrycks and Gimpel, 2016): {@code x * Φ(x)}, Φ the standard normal
 * CDF, as PyTorch's {@code nn.GELU}; with {@code approximate="tanh"} its tanh approximation
 * {@code 0.5 * x * (1 + tanh(√(2/π) * (x + 0.044715 * x^3)))}.
 */
public final class GELU extends Module {
    public static final LayerType TYPE = LayerType.of("GELU", c -> new GELU(c.stringArg("approximate")))
            .optional("approximate", LayerType.Kind.WORD, "none")
            .exportsTo(GELU.class, GELU::toOnnx);

    private final boolean tanh;

    public GELU() {
        this("none");
    }

    /** {@code approximate} is {@code "none"} (exact) or {@code "tanh"}, as in PyTorch. */
    public GELU(String approximate) {
        this.tanh = switch (approximate) {
            case "none" -> false;
            case "tanh" -> true;
            default -> throw new IllegalArgumentException("GELU: approximate must be \"none\" or \"tanh\", got \""
                    + approximate + "\"");
        };
    }

    @Override
    protected Tensor compute(Tensor input) {
        return Functional.gelu(input, tanh);
    }

    /** Opset 17 has no Gelu: the formula in its nodes, as PyTorch writes it there. */
    private String toOnnx(OnnxScope onnx, String x) {
        String inner;
        if (tanh) {
            String cube = onnx.node("Mul", List.of(onnx.node("Mul", List.of(x, x)), x));
            String sum = onnx.node("Add", List.of(x, onnx.node("Mul", List.of(cube, onnx.constant("kappa", Tensor.scalar(0.044715f))))));
            inner = onnx.node("Tanh", List.of(onnx.node("Mul", List.of(sum,
                    onnx.constant("sqrt_2_over_pi", Tensor.scalar((float) Math.sqrt(2 / Math.PI)))))));
        } else {
            inner = onnx.node("Erf", List.of(onnx.node("Div", List.of(x, onnx.constant("sqrt_2", Tensor.scalar((float) Math.sqrt(2)))))));
        }
        String onePlus = onnx.node("Add", List.of(inner, onnx.constant("one", Tensor.scalar(1f))));
        return onnx.node("Mul", List.of(onnx.node("Mul", List.of(x, onePlus)), onnx.constant("half", Tensor.scalar(0.5f))));
    }

    @Override
    public Shape outputShape(Shape input) {
        return input;
    }

    @Override
    public LayerConfig config() {
        return TYPE.config("approximate", tanh ? "tanh" : "none");
    }

    @Override
    public String toString() {
        return tanh ? "GELU(approximate='tanh')" : "GELU(approximate='none')";
    }
}
