package io.cnn4j.nn;

import io.cnn4j.limits.Counts;
import io.cnn4j.onnx.OnnxAttribute;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import static io.cnn4j.nn.LayerType.Kind.BOOLEAN;
import static io.cnn4j.nn.LayerType.Kind.PADDING;
import static io.cnn4j.nn.LayerType.Kind.SIZES;
import static io.cnn4j.nn.LayerType.Kind.WHOLE;

/**
 * What {@link Conv1d} and {@link Conv3d} share: PyTorch's arguments, the weight
 * {@code [C_out, C_in/groups, k...]} and bias {@code [C_out]}, shapes, descriptions and the ONNX Conv node.
 * Each output length is {@code floor((in + padBefore + padAfter - d(k-1) - 1) / s) + 1}. They differ in
 * how they compute.
 */
public abstract sealed class ConvNd extends WeightedLayer permits Conv1d, Conv3d {
    final ConvNdConfig config;

    /** A {@code dims}-D convolution, refusing settings made for another number of axes. */
    ConvNd(int dims, ConvNdConfig config) {
        if (config.dims() != dims) {
            throw new IllegalArgumentException("Conv" + dims + "d takes " + dims + "-D settings, got those of " + config);
        }
        super(weightShape(config), config.outChannels(), config.bias());
        this.config = config;
    }

    /** {@code [C_out, C_in/groups, k...]}. */
    private static int[] weightShape(ConvNdConfig config) {
        int[] dims = new int[2 + config.dims()];
        dims[0] = config.outChannels();
        dims[1] = config.inChannels() / config.groups();
        System.arraycopy(config.kernel(), 0, dims, 2, config.dims());
        return dims;
    }

    /** The type of the {@code dims}-D convolution that {@code factory} builds from its settings. */
    static LayerType type(int dims, Function<ConvNdConfig, Module> factory) {
        return LayerType.of("Conv" + dims + "d", c -> factory.apply(settings(dims, c)))
                .require("in_channels", WHOLE).require("out_channels", WHOLE).require("kernel_size", SIZES)
                .optional("stride", SIZES, 1).optional("padding", PADDING, 0).optional("dilation", SIZES, 1)
                .optional("groups", WHOLE, 1).optional("bias", BOOLEAN, true)
                .sizedBy(c -> sizes(settings(dims, c)));
    }

    public ConvNdConfig settings() {
        return config;
    }

    @Override
    public Shape outputShape(Shape input) {
        return outputShape(config, input);
    }

    /** The output shape of a convolution with settings {@code c}; throws naming the layer when it cannot take {@code input}. */
    static Shape outputShape(ConvNdConfig c, Shape input) {
        int dims = c.dims();
        if (input.rank() != dims + 2 || input.dim(1) != c.inChannels()) {
            throw new IllegalArgumentException(c + " expects input " + NdArgs.inputForm(Integer.toString(c.inChannels()), dims)
                    + ", got " + input);
        }
        int[] out = new int[dims + 2];
        out[0] = input.dim(0);
        out[1] = c.outChannels();
        List<Integer> sizes = new ArrayList<>();
        List<Long> reaches = new ArrayList<>();
        boolean fits = true;
        for (int a = 0; a < dims; a++) {
            long reach = (long) c.dilation()[a] * (c.kernel()[a] - 1) + 1;
            long padded = (long) input.dim(2 + a) + c.padBefore(a) + c.padAfter(a);
            sizes.add(input.dim(2 + a));
            reaches.add(reach);
            fits &= padded >= reach;
            long length = (padded - reach) / c.stride()[a] + 1;
            if (length > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(c + ": padding makes an output too large for a tensor from input "
                        + NdArgs.sizes(sizes));
            }
            out[2 + a] = (int) Math.max(length, 0);
        }
        if (!fits) {
            throw new IllegalArgumentException(c + ": input " + NdArgs.sizes(sizes) + " is smaller than the kernel's reach "
                    + String.join("x", reaches.stream().map(String::valueOf).toList()) + " after padding");
        }
        return Shape.of(out);
    }

    /** The settings a description gives, validated as the constructor validates them. */
    private static ConvNdConfig settings(int dims, LayerConfig c) {
        Object padding = c.arg("padding");
        boolean same = padding instanceof String s && s.equalsIgnoreCase("same");
        int[] pads = padding instanceof String ? new int[] {0} : c.intsArg("padding");
        return new ConvNdConfig(dims, c.intArg("in_channels"), c.intArg("out_channels"), c.intsArg("kernel_size"),
                c.intsArg("stride"), pads, same, c.intsArg("dilation"), c.intArg("groups"), c.boolArg("bias"));
    }

    private static LayerSizes sizes(ConvNdConfig c) {
        long weights = Counts.product(c.outChannels(), c.inChannels() / c.groups(),
                Counts.product(Arrays.stream(c.kernel()).asLongStream().toArray()));
        return new LayerSizes(c.toString(), Counts.sum(weights, c.bias() ? c.outChannels() : 0), 0,
                input -> outputShape(c, input));
    }

    @Override
    protected void resetParameters(Init init, Rng rng) {
        int taps = config.weightsPerOutput() / (config.inChannels() / config.groups());
        init.fill(weight, bias, config.weightsPerOutput(), config.outChannels() * taps, rng);
    }

    /** The ONNX Conv node, 'same' worked out into padding at each end. */
    String toOnnx(OnnxScope onnx, String x) {
        int dims = config.dims();
        long[] pads = new long[2 * dims];
        for (int a = 0; a < dims; a++) {
            pads[a] = config.padBefore(a);
            pads[dims + a] = config.padAfter(a);
        }
        return onnx.node("Conv", onnxInputs(onnx, x), OnnxAttribute.ofInts("dilations", longs(config.dilation())),
                OnnxAttribute.of("group", (long) config.groups()), OnnxAttribute.ofInts("kernel_shape", longs(config.kernel())),
                OnnxAttribute.ofInts("pads", pads), OnnxAttribute.ofInts("strides", longs(config.stride())));
    }

    static long[] longs(int[] values) {
        return Arrays.stream(values).asLongStream().toArray();
    }

    @Override
    public final LayerConfig config() {
        LayerType type = this instanceof Conv1d ? Conv1d.TYPE : Conv3d.TYPE;
        return type.config("in_channels", config.inChannels(), "out_channels", config.outChannels(),
                "kernel_size", NdArgs.value(config.kernel()), "stride", NdArgs.value(config.stride()),
                "padding", config.same() ? "same" : NdArgs.value(config.padding()),
                "dilation", NdArgs.value(config.dilation()), "groups", config.groups(), "bias", config.bias());
    }

    @Override
    public final String toString() {
        return config.toString();
    }
}
