package io.cnn4j.nn;

import io.cnn4j.autograd.Pool2dSpec;
import io.cnn4j.autograd.Pool3dSpec;
import io.cnn4j.onnx.OnnxAttribute;
import io.cnn4j.tensor.Shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.cnn4j.nn.LayerType.Kind.BOOLEAN;
import static io.cnn4j.nn.LayerType.Kind.SIZES;

/**
 * What the 1-D and 3-D max and average poolings share: PyTorch's window, stride (the window unless given),
 * padding, dilation (max pooling only) and {@code ceil_mode}, one number or one per axis; their shapes,
 * descriptions and ONNX nodes. A 1-D pooling runs as a 2-D one over a single row.
 */
public abstract sealed class PoolNd extends Module permits MaxPool1d, AvgPool1d, MaxPool3d, AvgPool3d {
    final String type;
    final int dims;
    final int[] kernel;
    final int[] stride;
    final int[] padding;
    final int[] dilation;
    final boolean ceilMode;
    /** Whether an average pooling counts the padded zeros in its divisor; null for max pooling. */
    final Boolean countIncludePad;

    PoolNd(String type, int dims, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode,
           Boolean countIncludePad) {
        this.type = type;
        this.countIncludePad = countIncludePad;
        this.dims = dims;
        this.kernel = NdArgs.perAxis(type, "kernel_size", kernel, dims);
        this.stride = stride == null ? this.kernel.clone() : NdArgs.perAxis(type, "stride", stride, dims);
        this.padding = NdArgs.perAxis(type, "padding", padding, dims);
        this.dilation = NdArgs.perAxis(type, "dilation", dilation, dims);
        this.ceilMode = ceilMode;
        if (Arrays.stream(this.kernel).min().getAsInt() < 1 || Arrays.stream(this.stride).min().getAsInt() < 1
                || Arrays.stream(this.padding).min().getAsInt() < 0 || Arrays.stream(this.dilation).min().getAsInt() < 1) {
            throw new IllegalArgumentException(type + ": kernel_size, stride and dilation must be >= 1 and padding >= 0, got "
                    + NdArgs.show(this.kernel) + ", " + NdArgs.show(this.stride) + ", " + NdArgs.show(this.padding) + ", "
                    + NdArgs.show(this.dilation));
        }
        for (int a = 0; a < dims; a++) {
            if (2 * this.padding[a] > this.kernel[a]) {
                throw new IllegalArgumentException(type + ": padding " + NdArgs.show(this.padding)
                        + " must be at most half of kernel_size " + NdArgs.show(this.kernel) + " (as in PyTorch)");
            }
        }
    }

    /** Builds a max pooling from PyTorch's settings. */
    @FunctionalInterface
    interface MaxFactory {
        Module make(int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode);
    }

    /** Builds an average pooling from PyTorch's settings. */
    @FunctionalInterface
    interface AvgFactory {
        Module make(int[] kernelSize, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad);
    }

    /** The type of the max pooling {@code name}: window, stride (the window unless given), padding, dilation, ceil_mode. */
    static LayerType maxType(String name, MaxFactory factory) {
        return LayerType.of(name, c -> factory.make(c.intsArg("kernel_size"), stride(c), c.intsArg("padding"),
                        c.intsArg("dilation"), c.boolArg("ceil_mode")))
                .require("kernel_size", SIZES).optional("stride", SIZES, null).optional("padding", SIZES, 0)
                .optional("dilation", SIZES, 1).optional("ceil_mode", BOOLEAN, false)
                .exportsTo(PoolNd.class, PoolNd::toOnnx);
    }

    /** The type of the average pooling {@code name}: window, stride, padding, ceil_mode, count_include_pad. */
    static LayerType avgType(String name, AvgFactory factory) {
        return LayerType.of(name, c -> factory.make(c.intsArg("kernel_size"), stride(c), c.intsArg("padding"),
                        c.boolArg("ceil_mode"), c.boolArg("count_include_pad")))
                .require("kernel_size", SIZES).optional("stride", SIZES, null).optional("padding", SIZES, 0)
                .optional("ceil_mode", BOOLEAN, false).optional("count_include_pad", BOOLEAN, true)
                .exportsTo(PoolNd.class, PoolNd::toOnnx);
    }

    /** The stride a description gives, or null for the window's. */
    private static int[] stride(LayerConfig c) {
        return c.args().get("stride") == null ? null : c.intsArg("stride");
    }

    /** The layer's type, whose name is the layer's. */
    abstract LayerType type();

    /** This pooling as a 2-D one over {@code [N, C, 1, L]} (a 1-D pooling without dilation). */
    final Pool2dSpec rowSpec() {
        return new Pool2dSpec(1, kernel[0], 1, stride[0], 0, padding[0], ceilMode);
    }

    /** This pooling as a 3-D one; a 1-D pooling over {@code [N, C, 1, 1, L]}. */
    final Pool3dSpec volumeSpec() {
        return dims == 3 ? new Pool3dSpec(kernel, stride, padding, dilation, ceilMode)
                : new Pool3dSpec(new int[] {1, 1, kernel[0]}, new int[] {1, 1, stride[0]}, new int[] {0, 0, padding[0]},
                        new int[] {1, 1, dilation[0]}, ceilMode);
    }

    @Override
    public final Shape outputShape(Shape input) {
        if (input.rank() != dims + 2) {
            throw new IllegalArgumentException(this + " expects input " + NdArgs.inputForm("C", dims) + ", got " + input);
        }
        int[] out = input.dims();
        List<Integer> sizes = new ArrayList<>();
        boolean fits = true;
        for (int a = 0; a < dims; a++) {
            sizes.add(input.dim(2 + a));
            fits &= input.dim(2 + a) + 2L * padding[a] >= dilation[a] * (kernel[a] - 1L) + 1;
        }
        if (!fits) {
            throw new IllegalArgumentException(this + ": input " + NdArgs.sizes(sizes) + " is smaller than the window "
                    + NdArgs.show(kernel));
        }
        for (int a = 0; a < dims; a++) {
            out[2 + a] = Pool3dSpec.outputSize(input.dim(2 + a), kernel[a], stride[a], padding[a], dilation[a], ceilMode);
        }
        return Shape.of(out);
    }

    /** The description: dilation for max pooling, ceil_mode only when set, count_include_pad for average pooling. */
    @Override
    public final LayerConfig config() {
        List<Object> args = new ArrayList<>(List.of("kernel_size", NdArgs.value(kernel), "stride", NdArgs.value(stride),
                "padding", NdArgs.value(padding)));
        if (countIncludePad == null) {
            args.addAll(List.of("dilation", NdArgs.value(dilation)));
        }
        if (ceilMode) {
            args.addAll(List.of("ceil_mode", true));
        }
        if (countIncludePad != null) {
            args.addAll(List.of("count_include_pad", countIncludePad));
        }
        return type().config(args.toArray());
    }

    /** ONNX's MaxPool or AveragePool with these settings. */
    private String toOnnx(OnnxScope onnx, String x) {
        long[] pads = new long[2 * dims];
        for (int a = 0; a < dims; a++) {
            pads[a] = padding[a];
            pads[dims + a] = padding[a];
        }
        List<OnnxAttribute> attributes = new ArrayList<>(List.of(OnnxAttribute.ofInts("kernel_shape", ConvNd.longs(kernel)),
                OnnxAttribute.ofInts("pads", pads), OnnxAttribute.ofInts("strides", ConvNd.longs(stride))));
        if (Arrays.stream(dilation).anyMatch(d -> d != 1)) {
            attributes.add(OnnxAttribute.ofInts("dilations", ConvNd.longs(dilation)));
        }
        if (ceilMode) {
            attributes.add(OnnxAttribute.of("ceil_mode", 1L));
        }
        if (countIncludePad != null) {
            attributes.add(OnnxAttribute.of("count_include_pad", countIncludePad ? 1L : 0L));
        }
        return onnx.node(countIncludePad == null ? "MaxPool" : "AveragePool", List.of(x), attributes.toArray(OnnxAttribute[]::new));
    }

    /** {@code MaxPool1d(kernel_size=2)}, then what differs from PyTorch's defaults. */
    @Override
    public final String toString() {
        StringBuilder sb = new StringBuilder(type).append("(kernel_size=").append(NdArgs.show(kernel));
        if (!Arrays.equals(stride, kernel)) {
            sb.append(", stride=").append(NdArgs.show(stride));
        }
        if (Arrays.stream(padding).anyMatch(p -> p != 0)) {
            sb.append(", padding=").append(NdArgs.show(padding));
        }
        if (Arrays.stream(dilation).anyMatch(d -> d != 1)) {
            sb.append(", dilation=").append(NdArgs.show(dilation));
        }
        if (ceilMode) {
            sb.append(", ceil_mode=True");
        }
        if (Boolean.FALSE.equals(countIncludePad)) {
            sb.append(", count_include_pad=False");
        }
        return sb.append(')').toString();
    }
}
