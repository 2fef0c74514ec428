package io.cnn4j.nn;

import io.cnn4j.autograd.Functional;
import io.cnn4j.onnx.OnnxAttribute;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

import java.util.List;

/**
 * Instance normalisation (Ulyanov et al., 2016), PyTorch's {@code nn.InstanceNorm2d} without running
 * statistics: each image's each channel {@code [H, W]} normalised with its own mean and variance, in
 * training and evaluation alike; with {@code affine} (off by default, as in PyTorch) a learned scale and
 * shift per channel. It is {@link GroupNorm} with one channel per group.
 */
public final class InstanceNorm2d extends AffineNorm {
    public static final LayerType TYPE = LayerType.of("InstanceNorm2d",
                    c -> new InstanceNorm2d(c.intArg("num_features"), c.doubleArg("eps"), c.boolArg("affine")))
            .require("num_features", LayerType.Kind.WHOLE)
            .optional("eps", LayerType.Kind.NUMBER, 1e-5)
            .optional("affine", LayerType.Kind.BOOLEAN, false)
            .exportsTo(InstanceNorm2d.class, (layer, onnx, x) -> onnx.node("InstanceNormalization",
                    List.of(x, layer.onnxScale(onnx, layer.features), layer.onnxShift(onnx, layer.features)),
                    OnnxAttribute.of("epsilon", layer.eps)));

    private final int features;

    public InstanceNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, false);
    }

    public InstanceNorm2d(int numFeatures, double eps, boolean affine) {
        super("InstanceNorm2d", eps, affine, positive(numFeatures));
        this.features = numFeatures;
    }

    private static int positive(int features) {
        if (features < 1) {
            throw new IllegalArgumentException("InstanceNorm2d: num_features must be >= 1, got " + features);
        }
        return features;
    }

    @Override
    protected Tensor compute(Tensor input) {
        checkInput(input.shape());
        return Functional.groupNorm(input, features, weight, bias, eps);
    }

    @Override
    void checkInput(Shape input) {
        if (input.rank() != 4 || input.dim(1) != features) {
            throw new IllegalArgumentException(this + " expects input [N, " + features + ", H, W], got " + input);
        }
    }

    @Override
    public LayerConfig config() {
        return TYPE.config("num_features", features, "eps", (double) eps, "affine", weight != null);
    }

    @Override
    public String toString() {
        return "InstanceNorm2d(" + features + ", eps=" + eps + ", affine=" + (weight != null ? "True" : "False") + ")";
    }
}
