package io.cnn4j.nn;

import io.cnn4j.autograd.Functional;
import io.cnn4j.onnx.OnnxAttribute;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

import java.util.List;

/**
 * Average pooling of {@code [N, C, H, W]} to a fixed {@code [N, C, s, s]} whatever the input size:
 * PyTorch's {@code nn.AdaptiveAvgPool2d(s)}. {@code AdaptiveAvgPool2d(1)} is global average pooling,
 * the usual head of a residual network. cnn4j pools equal windows only, so {@code s} must divide the
 * input's height and width (always true for 1).
 */
public final class AdaptiveAvgPool2d extends Module {
    public static final LayerType TYPE = LayerType.of("AdaptiveAvgPool2d", c -> new AdaptiveAvgPool2d(c.intArg("output_size")))
            .require("output_size", LayerType.Kind.WHOLE)
            .exportsTo(AdaptiveAvgPool2d.class, AdaptiveAvgPool2d::toOnnx);

    private final int outputSize;

    public AdaptiveAvgPool2d(int outputSize) {
        if (outputSize < 1) {
            throw new IllegalArgumentException("AdaptiveAvgPool2d: output_size must be >= 1, got " + outputSize);
        }
        this.outputSize = outputSize;
    }

    @Override
    protected Tensor compute(Tensor input) {
        outputShape(input.shape());
        return Functional.adaptiveAvgPool2d(input, outputSize, outputSize);
    }

    /**
     * GlobalAveragePool to 1x1; otherwise AveragePool over the equal windows the input's size makes, which
     * is exact for that size alone (the exported model takes images of one size).
     */
    private String toOnnx(OnnxScope onnx, String x) {
        if (outputSize == 1) {
            return onnx.node("GlobalAveragePool", List.of(x));
        }
        Shape input = onnx.inputShape();
        long kh = input.dim(2) / outputSize;
        long kw = input.dim(3) / outputSize;
        return onnx.node("AveragePool", List.of(x), OnnxAttribute.ofInts("kernel_shape", kh, kw),
                OnnxAttribute.ofInts("strides", kh, kw));
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() != 4) {
            throw new IllegalArgumentException(this + " expects input [N, C, H, W], got " + input);
        }
        if (input.dim(2) % outputSize != 0 || input.dim(3) % outputSize != 0) {
            throw new IllegalArgumentException(this + ": input " + input.dim(2) + "x" + input.dim(3)
                    + " is not a multiple of the output size " + outputSize + "x" + outputSize
                    + " (cnn4j pools equal windows only)");
        }
        return Shape.of(input.dim(0), input.dim(1), outputSize, outputSize);
    }

    @Override
    public LayerConfig config() {
        return TYPE.config("output_size", outputSize);
    }

    @Override
    public String toString() {
        return "AdaptiveAvgPool2d(output_size=" + outputSize + ")";
    }
}
