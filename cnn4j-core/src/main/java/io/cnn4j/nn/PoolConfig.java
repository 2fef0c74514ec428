package io.cnn4j.nn;

import io.cnn4j.autograd.Pool2dSpec;
import io.cnn4j.onnx.OnnxAttribute;
import io.cnn4j.tensor.Shape;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static io.cnn4j.nn.LayerType.Kind.BOOLEAN;
import static io.cnn4j.nn.LayerType.Kind.SIZES;

/**
 * Window, stride and padding of a pooling layer, each one number or {@code [rows, columns]}, and PyTorch's
 * {@code ceil_mode}; validated once, shared by max and average pooling.
 */
record PoolConfig(String type, Pool2dSpec spec) {

    PoolConfig {
        if (2 * spec.padH() > spec.kernelH() || 2 * spec.padW() > spec.kernelW()) {
            throw new IllegalArgumentException(type + ": padding " + pair(spec.padH(), spec.padW())
                    + " must be at most half of kernel_size " + pair(spec.kernelH(), spec.kernelW()) + " (as in PyTorch)");
        }
    }

    /** A square window, stride and padding, rounding the output size down. */
    static PoolConfig of(String type, int kernelSize, int stride, int padding) {
        return new PoolConfig(type, checked(type, kernelSize, kernelSize, stride, stride, padding, padding, false));
    }

    private static Pool2dSpec checked(String type, int kH, int kW, int sH, int sW, int pH, int pW, boolean ceil) {
        if (kH < 1 || kW < 1 || sH < 1 || sW < 1 || pH < 0 || pW < 0) {
            throw new IllegalArgumentException(type + ": kernel_size and stride must be >= 1 and padding >= 0, got "
                    + pair(kH, kW) + ", " + pair(sH, sW) + ", " + pair(pH, pW));
        }
        return new Pool2dSpec(kH, kW, sH, sW, pH, pW, ceil);
    }

    /** The settings a description gives; the stride is the window's size when it gives none (as in PyTorch). */
    static PoolConfig of(String type, LayerConfig c) {
        int[] kernel = c.pairArg("kernel_size");
        int[] stride = c.args().get("stride") == null ? kernel : c.pairArg("stride");
        int[] padding = c.pairArg("padding");
        return new PoolConfig(type, checked(type, kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1],
                c.boolArg("ceil_mode")));
    }

    private static String pair(int rows, int columns) {
        return rows == columns ? Integer.toString(rows) : "(" + rows + ", " + columns + ")";
    }

    private static Object value(int rows, int columns) {
        return rows == columns ? (Object) rows : List.of(rows, columns);
    }

    /** The output shape of {@code layer}, pooling with these settings; throws naming it when it cannot take {@code input}. */
    Shape outputShape(Module layer, Shape input) {
        if (input.rank() != 4) {
            throw new IllegalArgumentException(layer + " expects input [N, C, H, W], got " + input);
        }
        if (input.dim(2) + 2L * spec.padH() < spec.kernelH() || input.dim(3) + 2L * spec.padW() < spec.kernelW()) {
            throw new IllegalArgumentException(layer + ": input " + input.dim(2) + "x" + input.dim(3)
                    + " is smaller than the window " + spec.kernelH() + "x" + spec.kernelW());
        }
        return Shape.of(input.dim(0), input.dim(1),
                Pool2dSpec.outputSize(input.dim(2), spec.kernelH(), spec.strideH(), spec.padH(), spec.ceilMode()),
                Pool2dSpec.outputSize(input.dim(3), spec.kernelW(), spec.strideW(), spec.padW(), spec.ceilMode()));
    }

    /**
     * The type of a pooling layer called {@code name} that {@code factory} builds: a window, a stride (the
     * window unless given), padding and ceil_mode, to which a layer adds its own arguments.
     */
    static LayerType type(String name, Function<LayerConfig, Module> factory) {
        return LayerType.of(name, factory).require("kernel_size", SIZES).optional("stride", SIZES, null)
                .optional("padding", SIZES, 0).optional("ceil_mode", BOOLEAN, false);
    }

    /**
     * The description of a layer of {@code type} pooling with these settings, then {@code more} arguments;
     * ceil_mode only when set, so that the descriptions of models made before it existed stay as they were.
     */
    LayerConfig toLayerConfig(LayerType type, Object... more) {
        List<Object> args = new ArrayList<>(List.of("kernel_size", value(spec.kernelH(), spec.kernelW()),
                "stride", value(spec.strideH(), spec.strideW()), "padding", value(spec.padH(), spec.padW())));
        if (spec.ceilMode()) {
            args.addAll(List.of("ceil_mode", true));
        }
        args.addAll(List.of(more));
        return type.config(args.toArray());
    }

    /** The ONNX pooling node {@code opType} with this window, stride, padding and ceil_mode, then {@code more} attributes. */
    String toOnnx(OnnxScope onnx, String x, String opType, OnnxAttribute... more) {
        List<OnnxAttribute> attributes = new ArrayList<>(List.of(
                OnnxAttribute.ofInts("kernel_shape", spec.kernelH(), spec.kernelW()),
                OnnxAttribute.ofInts("pads", spec.padH(), spec.padW(), spec.padH(), spec.padW()),
                OnnxAttribute.ofInts("strides", spec.strideH(), spec.strideW())));
        if (spec.ceilMode()) {
            attributes.add(OnnxAttribute.of("ceil_mode", 1L));
        }
        attributes.addAll(List.of(more));
        return onnx.node(opType, List.of(x), attributes.toArray(OnnxAttribute[]::new));
    }

    String describe(boolean average, boolean countIncludePad) {
        StringBuilder sb = new StringBuilder(type).append("(kernel_size=").append(pair(spec.kernelH(), spec.kernelW()));
        if (spec.strideH() != spec.kernelH() || spec.strideW() != spec.kernelW()) {
            sb.append(", stride=").append(pair(spec.strideH(), spec.strideW()));
        }
        if (spec.padH() != 0 || spec.padW() != 0) {
            sb.append(", padding=").append(pair(spec.padH(), spec.padW()));
        }
        if (spec.ceilMode()) {
            sb.append(", ceil_mode=True");
        }
        if (average && !countIncludePad) {
            sb.append(", count_include_pad=False");
        }
        return sb.append(')').toString();
    }
}
