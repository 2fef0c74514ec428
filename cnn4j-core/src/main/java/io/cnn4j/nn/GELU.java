package io.cnn4j.nn;

import io.cnn4j.autograd.Functional;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

/**
 * The Gaussian error linear unit (Hendrycks and Gimpel, 2016): {@code x * Φ(x)}, Φ the standard normal
 * CDF, as PyTorch's {@code nn.GELU}; with {@code approximate="tanh"} its tanh approximation
 * {@code 0.5 * x * (1 + tanh(√(2/π) * (x + 0.044715 * x^3)))}.
 */
public final class GELU extends Module {
    public static final LayerType TYPE = LayerType.of("GELU", c -> new GELU(c.stringArg("approximate")))
            .optional("approximate", LayerType.Kind.WORD, "none");

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
