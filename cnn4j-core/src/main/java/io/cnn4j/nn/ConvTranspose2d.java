package io.cnn4j.nn;

import io.cnn4j.autograd.ConvTranspose2dSpec;
import io.cnn4j.autograd.Functional;
import io.cnn4j.limits.Counts;
import io.cnn4j.onnx.OnnxAttribute;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

import static io.cnn4j.nn.Conv2dConfig.pair;
import static io.cnn4j.nn.LayerType.Kind.BOOLEAN;
import static io.cnn4j.nn.LayerType.Kind.SIZES;
import static io.cnn4j.nn.LayerType.Kind.WHOLE;

/**
 * Transposed 2-D convolution (the "deconvolution" of decoders) over {@code [N, C_in, H, W]}, giving
 * {@code [N, C_out, H_out, W_out]} with {@code H_out = (H - 1) * s - 2p + d(k - 1) + output_padding + 1} (and
 * W_out alike, with the columns' settings). Weight {@code [C_in, C_out/groups, kH, kW]}, bias {@code [C_out]},
 * drawn as PyTorch draws them by {@link Module#initialize}; built without weights (zeros, which its forward
 * pass refuses until they are drawn or loaded).
 */
public final class ConvTranspose2d extends WeightedLayer {
    /**
     * PyTorch's {@code nn.ConvTranspose2d} arguments: kernel_size, stride, padding, output_padding and dilation
     * each one number or two (rows, columns); sized without building the weights.
     */
    public static final LayerType TYPE = LayerType.of("ConvTranspose2d", c -> new ConvTranspose2d(settings(c)))
            .require("in_channels", WHOLE).require("out_channels", WHOLE).require("kernel_size", SIZES)
            .optional("stride", SIZES, 1).optional("padding", SIZES, 0).optional("output_padding", SIZES, 0)
            .optional("groups", WHOLE, 1).optional("bias", BOOLEAN, true).optional("dilation", SIZES, 1)
            .sizedBy(ConvTranspose2d::sizes)
            .exportsTo(ConvTranspose2d.class, ConvTranspose2d::toOnnx);

    private final ConvTranspose2dConfig config;
    private final ConvTranspose2dSpec spec;

    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize) {
        this(ConvTranspose2dConfig.of(inChannels, outChannels, kernelSize));
    }

    public ConvTranspose2d(ConvTranspose2dConfig config) {
        this.config = config;
        this.spec = spec(config);
        super(new int[] {config.inChannels(), config.outChannels() / config.groups(), config.kernelH(), config.kernelW()},
                config.outChannels(), config.bias());
    }

    private static ConvTranspose2dSpec spec(ConvTranspose2dConfig c) {
        return new ConvTranspose2dSpec(c.strideH(), c.strideW(), c.paddingH(), c.paddingW(), c.outputPaddingH(),
                c.outputPaddingW(), c.dilationH(), c.dilationW(), c.groups());
    }

    public ConvTranspose2dConfig settings() {
        return config;
    }

    @Override
    protected Tensor compute(Tensor input) {
        outputShape(config, input.shape());
        return Functional.convTranspose2d(input, weight, bias, spec);
    }

    /** ConvTranspose with explicit pads and output_padding, which ONNX adds at the end of each axis as PyTorch does. */
    private String toOnnx(OnnxScope onnx, String x) {
        return onnx.node("ConvTranspose", onnxInputs(onnx, x), OnnxAttribute.ofInts("dilations", config.dilationH(), config.dilationW()),
                OnnxAttribute.of("group", (long) config.groups()),
                OnnxAttribute.ofInts("kernel_shape", config.kernelH(), config.kernelW()),
                OnnxAttribute.ofInts("output_padding", config.outputPaddingH(), config.outputPaddingW()),
                OnnxAttribute.ofInts("pads", config.paddingH(), config.paddingW(), config.paddingH(), config.paddingW()),
                OnnxAttribute.ofInts("strides", config.strideH(), config.strideW()));
    }

    @Override
    public Shape outputShape(Shape input) {
        return outputShape(config, input);
    }

    /** The output shape of a transposed convolution with settings {@code c}; throws naming the layer when it cannot take {@code input}. */
    static Shape outputShape(ConvTranspose2dConfig c, Shape input) {
        if (input.rank() != 4 || input.dim(1) != c.inChannels()) {
            throw new IllegalArgumentException(describe(c) + " expects input [N, " + c.inChannels() + ", H, W], got " + input);
        }
        long outH = ConvTranspose2dSpec.outputSize(input.dim(2), c.kernelH(), c.strideH(), c.paddingH(), c.outputPaddingH(),
                c.dilationH());
        long outW = ConvTranspose2dSpec.outputSize(input.dim(3), c.kernelW(), c.strideW(), c.paddingW(), c.outputPaddingW(),
                c.dilationW());
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException(describe(c) + ": input " + input.dim(2) + "x" + input.dim(3)
                    + " gives an empty output " + outH + "x" + outW + " (the padding cuts more than the kernel adds)");
        }
        if (Math.max(outH, outW) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(describe(c) + ": input " + input.dim(2) + "x" + input.dim(3)
                    + " gives an output of " + outH + "x" + outW + ", too large for a tensor");
        }
        return Shape.of(input.dim(0), c.outChannels(), (int) outH, (int) outW);
    }

    /** Weights and biases of a transposed convolution with settings {@code c}, counted without overflowing. */
    static long parameterCount(ConvTranspose2dConfig c) {
        return Counts.sum(Counts.product(c.inChannels(), c.outChannels() / c.groups(), c.kernelH(), c.kernelW()),
                c.bias() ? c.outChannels() : 0);
    }

    /** The settings a description gives, validated as the constructor validates them. */
    private static ConvTranspose2dConfig settings(LayerConfig c) {
        int[] kernel = c.pairArg("kernel_size");
        int[] stride = c.pairArg("stride");
        int[] padding = c.pairArg("padding");
        int[] outputPadding = c.pairArg("output_padding");
        int[] dilation = c.pairArg("dilation");
        return new ConvTranspose2dConfig(c.intArg("in_channels"), c.intArg("out_channels"), kernel[0], kernel[1], stride[0],
                stride[1], padding[0], padding[1], outputPadding[0], outputPadding[1], c.intArg("groups"), c.boolArg("bias"),
                dilation[0], dilation[1]);
    }

    private static LayerSizes sizes(LayerConfig description) {
        ConvTranspose2dConfig c = settings(description);
        return new LayerSizes(describe(c), parameterCount(c), 0, input -> outputShape(c, input));
    }

    /** PyTorch's fans for a weight {@code [C_in, C_out/groups, kH, kW]}: in from its second axis, out from its first. */
    @Override
    protected void resetParameters(Init init, Rng rng) {
        int kk = config.kernelH() * config.kernelW();
        init.fill(weight, bias, config.outChannels() / config.groups() * kk, config.inChannels() * kk, rng);
    }

    @Override
    public LayerConfig config() {
        return TYPE.config("in_channels", config.inChannels(), "out_channels", config.outChannels(),
                "kernel_size", Conv2d.pair(config.kernelH(), config.kernelW()), "stride", Conv2d.pair(config.strideH(), config.strideW()),
                "padding", Conv2d.pair(config.paddingH(), config.paddingW()),
                "output_padding", Conv2d.pair(config.outputPaddingH(), config.outputPaddingW()), "groups", config.groups(),
                "bias", config.bias(), "dilation", Conv2d.pair(config.dilationH(), config.dilationW()));
    }

    @Override
    public String toString() {
        return describe(config);
    }

    /** The layer with settings {@code c} as code would construct it: {@code ConvTranspose2d(32, 16, kernel_size=3, stride=2)}. */
    static String describe(ConvTranspose2dConfig c) {
        StringBuilder sb = new StringBuilder("ConvTranspose2d(").append(c.inChannels()).append(", ")
                .append(c.outChannels()).append(", kernel_size=").append(pair(c.kernelH(), c.kernelW()));
        if (c.strideH() != 1 || c.strideW() != 1) {
            sb.append(", stride=").append(pair(c.strideH(), c.strideW()));
        }
        if (c.paddingH() != 0 || c.paddingW() != 0) {
            sb.append(", padding=").append(pair(c.paddingH(), c.paddingW()));
        }
        if (c.outputPaddingH() != 0 || c.outputPaddingW() != 0) {
            sb.append(", output_padding=").append(pair(c.outputPaddingH(), c.outputPaddingW()));
        }
        if (c.groups() != 1) {
            sb.append(", groups=").append(c.groups());
        }
        if (!c.bias()) {
            sb.append(", bias=False");
        }
        if (c.dilationH() != 1 || c.dilationW() != 1) {
            sb.append(", dilation=").append(pair(c.dilationH(), c.dilationW()));
        }
        return sb.append(')').toString();
    }
}
