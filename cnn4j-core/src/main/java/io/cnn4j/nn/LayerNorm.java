package io.cnn4j.nn;

import io.cnn4j.autograd.Functional;
import io.cnn4j.onnx.OnnxAttribute;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Layer normalisation (Ba et al., 2016), PyTorch's {@code nn.LayerNorm}: each sample's values over the
 * last dimensions, {@code normalized_shape}, to mean 0 and variance 1, then scaled and shifted elementwise
 * ({@code weight} and {@code bias} of that shape). For images {@code [N, C, H, W]} normalise over
 * {@code [C, H, W]}; after a Linear over {@code [features]}.
 */
public final class LayerNorm extends AffineNorm {
    public static final LayerType TYPE = LayerType.of("LayerNorm",
                    c -> new LayerNorm(c.intsArg("normalized_shape"), c.doubleArg("eps"), c.boolArg("elementwise_affine")))
            .require("normalized_shape", LayerType.Kind.SIZES)
            .optional("eps", LayerType.Kind.NUMBER, 1e-5)
            .optional("elementwise_affine", LayerType.Kind.BOOLEAN, true)
            .exportsTo(LayerNorm.class, (layer, onnx, x) -> onnx.node("LayerNormalization",
                    List.of(x, layer.onnxScale(onnx, layer.normalizedShape), layer.onnxShift(onnx, layer.normalizedShape)),
                    OnnxAttribute.of("axis", (long) -layer.normalizedShape.length), OnnxAttribute.of("epsilon", layer.eps)));

    private final int[] normalizedShape;

    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, 1e-5, true);
    }

    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
        super("LayerNorm", eps, elementwiseAffine, checked(normalizedShape));
        this.normalizedShape = normalizedShape.clone();
    }

    private static int[] checked(int[] shape) {
        if (shape.length == 0 || Arrays.stream(shape).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("LayerNorm: normalized_shape must be one or more sizes >= 1, got "
                    + Arrays.toString(shape));
        }
        return shape;
    }

    @Override
    protected Tensor compute(Tensor input) {
        checkInput(input.shape());
        return Functional.layerNorm(input, normalizedShape, weight, bias, eps);
    }

    @Override
    void checkInput(Shape input) {
        int k = normalizedShape.length;
        boolean fits = input.rank() > k;
        for (int i = 0; fits && i < k; i++) {
            fits = input.dim(input.rank() - k + i) == normalizedShape[i];
        }
        if (!fits) {
            String shape = Arrays.stream(normalizedShape).mapToObj(Integer::toString).collect(Collectors.joining(", "));
            throw new IllegalArgumentException(this + " expects input [N, ..., " + shape + "], got " + input);
        }
    }

    @Override
    public LayerConfig config() {
        Object shape = normalizedShape.length == 1 ? normalizedShape[0] : Arrays.stream(normalizedShape).boxed().toList();
        return TYPE.config("normalized_shape", shape, "eps", (double) eps, "elementwise_affine", weight != null);
    }

    /** As PyTorch prints it: {@code LayerNorm((64,), eps=1e-05, ...)} with the shape as a Python tuple. */
    @Override
    public String toString() {
        String shape = Arrays.stream(normalizedShape).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        return "LayerNorm((" + shape + (normalizedShape.length == 1 ? ",)" : ")") + ", eps=" + eps + ", elementwise_affine="
                + (weight != null ? "True" : "False") + ")";
    }
}
