package io.cnn4j.nn;

import io.cnn4j.autograd.Conv2dSpec;
import io.cnn4j.autograd.Functional;
import io.cnn4j.limits.Counts;
import io.cnn4j.onnx.OnnxAttribute;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

import java.util.List;

import static io.cnn4j.nn.LayerType.Kind.BOOLEAN;
import static io.cnn4j.nn.LayerType.Kind.PADDING;
import static io.cnn4j.nn.LayerType.Kind.SIZES;
import static io.cnn4j.nn.LayerType.Kind.WHOLE;

/**
 * 2-D convolution over {@code [N, C_in, H, W]}, giving {@code [N, C_out, H_out, W_out]} with
 * {@code H_out = floor((H + 2p - d(k-1) - 1) / s) + 1} (and W_out alike, with the columns' settings).
 * Weight {@code [C_out, C_in/groups, kH, kW]},
 * bias {@code [C_out]}, drawn as PyTorch draws them by {@link Module#initialize} (the layer is built
 * without weights: zeros, which its forward pass refuses until they are drawn or loaded).
 */
public final class Conv2d extends WeightedLayer implements ReluFusable {
    /**
     * PyTorch's {@code nn.Conv2d} arguments: kernel_size, stride, padding and dilation each one number or
     * two (rows, columns); sized without building the weights.
     */
    public static final LayerType TYPE = LayerType.of("Conv2d", c -> new Conv2d(settings(c)))
            .require("in_channels", WHOLE).require("out_channels", WHOLE).require("kernel_size", SIZES)
            .optional("stride", SIZES, 1).optional("padding", PADDING, 0).optional("dilation", SIZES, 1)
            .optional("groups", WHOLE, 1).optional("bias", BOOLEAN, true)
            .sizedBy(Conv2d::sizes)
            .exportsTo(Conv2d.class, Conv2d::toOnnx);

    private final Conv2dConfig config;
    private final Conv2dSpec spec;

    public Conv2d(int inChannels, int outChannels, int kernelSize) {
        this(Conv2dConfig.of(inChannels, outChannels, kernelSize));
    }

    public Conv2d(Conv2dConfig config) {
        this.config = config;
        this.spec = spec(config);
        super(new int[] {config.outChannels(), config.inChannels() / config.groups(), config.kernelH(), config.kernelW()},
                config.outChannels(), config.bias());
    }

    private static Conv2dSpec spec(Conv2dConfig c) {
        int top;
        int left;
        int bottom;
        int right;
        if (c.padding() instanceof Padding.Fixed f) {
            top = bottom = f.height();
            left = right = f.width();
        } else {
            int rows = c.dilationH() * (c.kernelH() - 1);
            int columns = c.dilationW() * (c.kernelW() - 1);
            top = rows / 2;
            bottom = rows - top;
            left = columns / 2;
            right = columns - left;
        }
        return new Conv2dSpec(c.strideH(), c.strideW(), top, bottom, left, right, c.dilationH(), c.dilationW(), c.groups());
    }

    public Conv2dConfig settings() {
        return config;
    }

    @Override
    protected Tensor compute(Tensor input) {
        checkInput(input);
        return Functional.conv2d(input, weight, bias, spec);
    }

    @Override
    public Tensor computeWithRelu(Tensor input) {
        checkInput(input);
        return Functional.conv2dRelu(input, weight, bias, spec);
    }

    /**
     * This convolution and {@code norm} after it, in evaluation mode, as one convolution whose weights and
     * bias take the normalisation in ({@link Functional#foldBatchNorm}), with a following ReLU when {@code relu}:
     * inference without gradients skips a pass over the activation.
     */
    Tensor computeFolding(BatchNorm2d norm, Tensor input, boolean relu) {
        checkInput(input);
        Tensor[] folded = norm.fold(weight, bias);
        return relu ? Functional.conv2dRelu(input, folded[0], folded[1], spec) : Functional.conv2d(input, folded[0], folded[1], spec);
    }

    /** Conv with the same padding on each side as this layer, 'same' worked out. */
    private String toOnnx(OnnxScope onnx, String x) {
        return onnx.node("Conv", onnxInputs(onnx, x), OnnxAttribute.ofInts("dilations", spec.dilationH(), spec.dilationW()),
                OnnxAttribute.of("group", (long) spec.groups()), OnnxAttribute.ofInts("kernel_shape", config.kernelH(),
                        config.kernelW()),
                OnnxAttribute.ofInts("pads", spec.padTop(), spec.padLeft(), spec.padBottom(), spec.padRight()),
                OnnxAttribute.ofInts("strides", spec.strideH(), spec.strideW()));
    }

    private void checkInput(Tensor input) {
        outputShape(config, input.shape());
    }

    @Override
    public Shape outputShape(Shape input) {
        return outputShape(config, input);
    }

    /** The output shape of a convolution with settings {@code c}; throws naming the layer when it cannot take {@code input}. */
    static Shape outputShape(Conv2dConfig c, Shape input) {
        if (input.rank() != 4 || input.dim(1) != c.inChannels()) {
            throw new IllegalArgumentException(describe(c) + " expects input [N, " + c.inChannels() + ", H, W], got " + input);
        }
        Conv2dSpec spec = spec(c);
        long reachH = (long) c.dilationH() * (c.kernelH() - 1) + 1;
        long reachW = (long) c.dilationW() * (c.kernelW() - 1) + 1;
        long height = (long) input.dim(2) + spec.padTop() + spec.padBottom();
        long width = (long) input.dim(3) + spec.padLeft() + spec.padRight();
        if (height < reachH || width < reachW) {
            throw new IllegalArgumentException(describe(c) + ": input " + input.dim(2) + "x" + input.dim(3)
                    + " is smaller than the kernel's reach " + reachH + "x" + reachW + " after padding");
        }
        long outH = (height - reachH) / c.strideH() + 1;
        long outW = (width - reachW) / c.strideW() + 1;
        if (Math.max(outH, outW) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(describe(c) + ": padding " + c.padding() + " makes an output of " + outH
                    + "x" + outW + " from input " + input.dim(2) + "x" + input.dim(3) + ", too large for a tensor");
        }
        return Shape.of(input.dim(0), c.outChannels(), (int) outH, (int) outW);
    }

    /** Weights and biases of a convolution with settings {@code c}, counted without overflowing. */
    static long parameterCount(Conv2dConfig c) {
        return Counts.sum(Counts.product(c.outChannels(), c.inChannels() / c.groups(), c.kernelH(), c.kernelW()),
                c.bias() ? c.outChannels() : 0);
    }

    /** The settings a description gives, validated as the constructor validates them. */
    private static Conv2dConfig settings(LayerConfig c) {
        int[] kernel = c.pairArg("kernel_size");
        int[] stride = c.pairArg("stride");
        int[] dilation = c.pairArg("dilation");
        Object padding = c.arg("padding");
        if (padding instanceof List<?> l && l.size() != 2) {
            throw new IllegalArgumentException("Conv2d: padding takes one number or two (rows, columns), got " + l);
        }
        return new Conv2dConfig(c.intArg("in_channels"), c.intArg("out_channels"), kernel[0], kernel[1], stride[0], stride[1],
                Padding.parse(padding), dilation[0], dilation[1], c.intArg("groups"), c.boolArg("bias"));
    }

    /** A setting as a description gives it: one number when the rows and the columns agree, else the two. */
    static Object pair(int height, int width) {
        return height == width ? (Object) height : List.of(height, width);
    }

    private static LayerSizes sizes(LayerConfig description) {
        Conv2dConfig c = settings(description);
        return new LayerSizes(describe(c), parameterCount(c), 0, input -> outputShape(c, input));
    }

    @Override
    protected void resetParameters(Init init, Rng rng) {
        int kk = config.kernelH() * config.kernelW();
        init.fill(weight, bias, config.inChannels() / config.groups() * kk, config.outChannels() * kk, rng);
    }

    @Override
    public LayerConfig config() {
        return TYPE.config("in_channels", config.inChannels(), "out_channels", config.outChannels(),
                "kernel_size", pair(config.kernelH(), config.kernelW()), "stride", pair(config.strideH(), config.strideW()),
                "padding", config.padding().toConfigValue(), "dilation", pair(config.dilationH(), config.dilationW()),
                "groups", config.groups(), "bias", config.bias());
    }

    @Override
    public String toString() {
        return describe(config);
    }

    /** The layer with settings {@code c} as code would construct it: {@code Conv2d(1, 32, kernel_size=5)}. */
    static String describe(Conv2dConfig c) {
        StringBuilder sb = new StringBuilder("Conv2d(").append(c.inChannels()).append(", ")
                .append(c.outChannels()).append(", kernel_size=").append(Conv2dConfig.pair(c.kernelH(), c.kernelW()));
        if (c.strideH() != 1 || c.strideW() != 1) {
            sb.append(", stride=").append(Conv2dConfig.pair(c.strideH(), c.strideW()));
        }
        if (!c.padding().equals(Padding.valid())) {
            sb.append(", padding=").append(c.padding());
        }
        if (c.dilationH() != 1 || c.dilationW() != 1) {
            sb.append(", dilation=").append(Conv2dConfig.pair(c.dilationH(), c.dilationW()));
        }
        if (c.groups() != 1) {
            sb.append(", groups=").append(c.groups());
        }
        if (!c.bias()) {
            sb.append(", bias=False");
        }
        return sb.append(')').toString();
    }
}
