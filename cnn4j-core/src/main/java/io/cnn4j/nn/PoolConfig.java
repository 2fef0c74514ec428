package io.cnn4j.nn;

import io.cnn4j.onnx.OnnxAttribute;
import io.cnn4j.tensor.Shape;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static io.cnn4j.nn.LayerType.Kind.WHOLE;

/** Window, stride and padding of a pooling layer, validated once; shared by max and average pooling. */
record PoolConfig(String type, int kernelSize, int stride, int padding) {

    PoolConfig {
        if (kernelSize < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException(type + ": kernel_size and stride must be >= 1 and padding >= 0, got "
                    + kernelSize + ", " + stride + ", " + padding);
        }
        if (2 * padding > kernelSize) {
            throw new IllegalArgumentException(type + ": padding " + padding + " must be at most half of kernel_size "
                    + kernelSize + " (as in PyTorch)");
        }
    }

    /** The output shape of {@code layer}, pooling with these settings; throws naming it when it cannot take {@code input}. */
    Shape outputShape(Module layer, Shape input) {
        if (input.rank() != 4) {
            throw new IllegalArgumentException(layer + " expects input [N, C, H, W], got " + input);
        }
        long height = input.dim(2) + 2L * padding;
        long width = input.dim(3) + 2L * padding;
        if (height < kernelSize || width < kernelSize) {
            throw new IllegalArgumentException(layer + ": input " + input.dim(2) + "x" + input.dim(3)
                    + " is smaller than the window " + kernelSize + "x" + kernelSize);
        }
        return Shape.of(input.dim(0), input.dim(1), (int) ((height - kernelSize) / stride + 1),
                (int) ((width - kernelSize) / stride + 1));
    }

    /**
     * The type of a pooling layer called {@code name} that {@code factory} builds: a window, a stride (the
     * window unless given: see {@link #stride}) and padding, to which a layer adds its own arguments.
     */
    static LayerType type(String name, Function<LayerConfig, Module> factory) {
        return LayerType.of(name, factory).require("kernel_size", WHOLE).optional("stride", WHOLE, null)
                .optional("padding", WHOLE, 0);
    }

    /** The stride a description gives, the window's size when it gives none (as in PyTorch). */
    static int stride(LayerConfig c) {
        return c.intArg("stride", c.intArg("kernel_size"));
    }

    /** The description of a layer of {@code type} pooling with these settings, then {@code more} arguments. */
    LayerConfig toLayerConfig(LayerType type, Object... more) {
        List<Object> args = new ArrayList<>(List.of("kernel_size", kernelSize, "stride", stride, "padding", padding));
        args.addAll(List.of(more));
        return type.config(args.toArray());
    }

    /** The ONNX pooling node {@code opType} with this window, stride and padding, then {@code more} attributes. */
    String toOnnx(OnnxScope onnx, String x, String opType, OnnxAttribute... more) {
        List<OnnxAttribute> attributes = new ArrayList<>(List.of(OnnxAttribute.ofInts("kernel_shape", kernelSize, kernelSize),
                OnnxAttribute.ofInts("pads", padding, padding, padding, padding), OnnxAttribute.ofInts("strides", stride, stride)));
        attributes.addAll(List.of(more));
        return onnx.node(opType, List.of(x), attributes.toArray(OnnxAttribute[]::new));
    }

    String describe(boolean average, boolean countIncludePad) {
        StringBuilder sb = new StringBuilder(type).append("(kernel_size=").append(kernelSize);
        if (stride != kernelSize) {
            sb.append(", stride=").append(stride);
        }
        if (padding != 0) {
            sb.append(", padding=").append(padding);
        }
        if (average && !countIncludePad) {
            sb.append(", count_include_pad=False");
        }
        return sb.append(')').toString();
    }
}
