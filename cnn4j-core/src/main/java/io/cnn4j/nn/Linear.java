package io.cnn4j.nn;

import io.cnn4j.autograd.Functional;
import io.cnn4j.limits.Counts;
import io.cnn4j.onnx.OnnxAttribute;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

import static io.cnn4j.nn.LayerType.Kind.BOOLEAN;
import static io.cnn4j.nn.LayerType.Kind.WHOLE;

/**
 * Fully connected layer: {@code [N, in]} to {@code [N, out]}, {@code y = x W^T + b}. Weight
 * {@code [out, in]}, bias {@code [out]}, drawn as PyTorch draws them by {@link Module#initialize} (the
 * layer is built without weights: zeros, which its forward pass refuses until they are drawn or loaded).
 */
public final class Linear extends WeightedLayer implements ReluFusable {
    /** PyTorch's {@code nn.Linear} arguments; sized without building the weights. */
    public static final LayerType TYPE = LayerType.of("Linear",
                    c -> new Linear(c.intArg("in_features"), c.intArg("out_features"), c.boolArg("bias")))
            .require("in_features", WHOLE).require("out_features", WHOLE).optional("bias", BOOLEAN, true)
            .sizedBy(Linear::sizes)
            .exportsTo(Linear.class, Linear::toOnnx);

    private final int in;
    private final int out;

    public Linear(int in, int out) {
        this(in, out, true);
    }

    public Linear(int in, int out, boolean withBias) {
        checkFeatures(in, out);
        super(new int[] {out, in}, out, withBias);
        this.in = in;
        this.out = out;
    }

    public int inFeatures() {
        return in;
    }

    public int outFeatures() {
        return out;
    }

    @Override
    protected Tensor compute(Tensor input) {
        checkInput(input);
        return Functional.linear(input, weight, bias);
    }

    @Override
    public Tensor computeWithRelu(Tensor input) {
        checkInput(input);
        return Functional.linearRelu(input, weight, bias);
    }

    /** Gemm with the weight transposed, as PyTorch exports nn.Linear. */
    private String toOnnx(OnnxScope onnx, String x) {
        return onnx.node("Gemm", onnxInputs(onnx, x), OnnxAttribute.of("alpha", 1f), OnnxAttribute.of("beta", 1f),
                OnnxAttribute.of("transB", 1L));
    }

    private void checkInput(Tensor input) {
        outputShape(input.shape());
    }

    @Override
    public Shape outputShape(Shape input) {
        return outputShape(toString(), in, out, input);
    }

    /** The output shape of {@code layer}, a Linear(in, out); throws naming the layer when it cannot take {@code input}. */
    private static Shape outputShape(String layer, int in, int out, Shape input) {
        if (input.rank() != 2 || input.dim(1) != in) {
            throw new IllegalArgumentException(layer + " expects input [N, " + in + "], got " + input
                    + (input.rank() == 2 ? ": the layers before it produce " + input.dim(1) + " features per image;"
                    + " check the input image size or the layer's in_features" : ": add a Flatten before it"));
        }
        return Shape.of(input.dim(0), out);
    }

    private static void checkFeatures(int in, int out) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("Linear: in_features and out_features must be >= 1, got " + in + ", " + out);
        }
    }

    /** The sizes of the layer a description gives, validated as the constructor validates them. */
    private static LayerSizes sizes(LayerConfig c) {
        int in = c.intArg("in_features");
        int out = c.intArg("out_features");
        boolean bias = c.boolArg("bias");
        checkFeatures(in, out);
        String layer = describe(in, out, bias);
        return new LayerSizes(layer, Counts.sum(Counts.product(in, out), bias ? out : 0), 0,
                input -> outputShape(layer, in, out, input));
    }

    @Override
    protected void resetParameters(Init init, Rng rng) {
        init.fill(weight, bias, in, out, rng);
    }

    @Override
    public LayerConfig config() {
        return TYPE.config("in_features", in, "out_features", out, "bias", bias != null);
    }

    @Override
    public String toString() {
        return describe(in, out, bias != null);
    }

    private static String describe(int in, int out, boolean bias) {
        return "Linear(" + in + ", " + out + (bias ? "" : ", bias=False") + ")";
    }
}
