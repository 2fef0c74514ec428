package io.cnn4j.nn;

import io.cnn4j.autograd.Functional;
import io.cnn4j.onnx.OnnxAttribute;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * What the 1-D and 3-D adaptive poolings share: they pool {@code [N, C, L]} or {@code [N, C, D, H, W]} to a
 * fixed output size whatever the input's, with PyTorch's windows (window i of an axis runs from
 * {@code floor(i * in / out)} to {@code ceil((i + 1) * in / out)}); one number in a description when the
 * axes agree, as PyTorch's {@code output_size}. A 1-D one runs as a 2-D one over a single row.
 */
public abstract sealed class AdaptivePoolNd extends Module
        permits AdaptiveAvgPool1d, AdaptiveMaxPool1d, AdaptiveAvgPool3d, AdaptiveMaxPool3d {
    private final String type;
    private final int[] size;
    private final boolean max;

    AdaptivePoolNd(String type, int dims, int[] size, boolean max) {
        this.type = type;
        this.size = NdArgs.perAxis(type, "output_size", size, dims);
        this.max = max;
        if (Arrays.stream(this.size).min().getAsInt() < 1) {
            throw new IllegalArgumentException(type + ": output_size must be >= 1, got " + NdArgs.show(this.size));
        }
    }

    /** The type of the adaptive pooling layer {@code name} that {@code factory} builds from its output size. */
    static LayerType type(String name, Function<int[], Module> factory) {
        return LayerType.of(name, c -> factory.apply(c.intsArg("output_size"))).require("output_size", LayerType.Kind.SIZES);
    }

    /** The layer's type, whose name is the layer's. */
    abstract LayerType type();

    @Override
    protected final Tensor compute(Tensor input) {
        outputShape(input.shape());
        int n = input.dim(0);
        int c = input.dim(1);
        if (size.length == 1) {
            Tensor row = Functional.reshape(input, n, c, 1, input.dim(2));
            Tensor y = max ? Functional.adaptiveMaxPool2d(row, 1, size[0]) : Functional.adaptiveAvgPool2d(row, 1, size[0]);
            return Functional.reshape(y, n, c, size[0]);
        }
        return max ? Functional.adaptiveMaxPool3d(input, size[0], size[1], size[2])
                : Functional.adaptiveAvgPool3d(input, size[0], size[1], size[2]);
    }

    @Override
    public final Shape outputShape(Shape input) {
        if (input.rank() != size.length + 2) {
            throw new IllegalArgumentException(this + " expects input " + NdArgs.inputForm("C", size.length) + ", got " + input);
        }
        int[] out = input.dims();
        System.arraycopy(size, 0, out, 2, size.length);
        return Shape.of(out);
    }

    /**
     * The ONNX form: GlobalAveragePool or GlobalMaxPool to size 1, else AveragePool or MaxPool over the equal
     * windows the exported input's size makes (exact for that size alone); refused where they are not equal.
     */
    final String toOnnx(OnnxScope onnx, String x) {
        if (Arrays.stream(size).allMatch(s -> s == 1)) {
            return onnx.node(max ? "GlobalMaxPool" : "GlobalAveragePool", List.of(x));
        }
        Shape input = onnx.inputShape();
        long[] window = new long[size.length];
        for (int a = 0; a < size.length; a++) {
            if (input.dim(2 + a) % size[a] != 0) {
                List<Integer> sizes = Arrays.stream(input.dims(), 2, input.rank()).boxed().toList();
                throw onnx.unsupported("its windows over a " + NdArgs.sizes(sizes) + " input differ in size, which ONNX's"
                        + " pooling cannot express; choose an output size that divides the input's");
            }
            window[a] = input.dim(2 + a) / size[a];
        }
        return onnx.node(max ? "MaxPool" : "AveragePool", List.of(x), OnnxAttribute.ofInts("kernel_shape", window),
                OnnxAttribute.ofInts("strides", window));
    }

    @Override
    public final LayerConfig config() {
        return type().config("output_size", NdArgs.value(size));
    }

    @Override
    public final String toString() {
        return type + "(output_size=" + NdArgs.show(size) + ")";
    }
}
