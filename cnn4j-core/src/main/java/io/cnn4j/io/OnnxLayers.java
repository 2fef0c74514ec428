package io.cnn4j.io;

import io.cnn4j.autograd.Pool2dSpec;
import io.cnn4j.limits.Counts;
import io.cnn4j.nn.AdaptiveAvgPool1d;
import io.cnn4j.nn.AdaptiveAvgPool2d;
import io.cnn4j.nn.AdaptiveAvgPool3d;
import io.cnn4j.nn.AdaptiveMaxPool1d;
import io.cnn4j.nn.AdaptiveMaxPool2d;
import io.cnn4j.nn.AdaptiveMaxPool3d;
import io.cnn4j.nn.AvgPool1d;
import io.cnn4j.nn.AvgPool2d;
import io.cnn4j.nn.AvgPool3d;
import io.cnn4j.nn.BatchNorm1d;
import io.cnn4j.nn.BatchNorm2d;
import io.cnn4j.nn.BatchNorm;
import io.cnn4j.nn.BatchNormConfig;
import io.cnn4j.nn.Conv1d;
import io.cnn4j.nn.Conv2d;
import io.cnn4j.nn.Conv2dConfig;
import io.cnn4j.nn.Conv3d;
import io.cnn4j.nn.ConvNd;
import io.cnn4j.nn.ConvNdConfig;
import io.cnn4j.nn.ConvTranspose2d;
import io.cnn4j.nn.ConvTranspose2dConfig;
import io.cnn4j.nn.Dropout;
import io.cnn4j.nn.ELU;
import io.cnn4j.nn.Flatten;
import io.cnn4j.nn.Hardswish;
import io.cnn4j.nn.InstanceNorm2d;
import io.cnn4j.nn.LayerNorm;
import io.cnn4j.nn.LeakyReLU;
import io.cnn4j.nn.Linear;
import io.cnn4j.nn.LogSoftmax;
import io.cnn4j.nn.MaxPool1d;
import io.cnn4j.nn.MaxPool2d;
import io.cnn4j.nn.MaxPool3d;
import io.cnn4j.nn.Module;
import io.cnn4j.nn.ReLU;
import io.cnn4j.nn.Sigmoid;
import io.cnn4j.nn.Softmax;
import io.cnn4j.nn.Tanh;
import io.cnn4j.nn.Upsample;
import io.cnn4j.onnx.OnnxAttribute;
import io.cnn4j.onnx.OnnxNode;
import io.cnn4j.onnx.OnnxTensor;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How each ONNX operation that is one cnn4j layer becomes that layer, with the attribute values the layer
 * can take (PyTorch's export of the same layer). A convolution or pooling is 1-D, 2-D or 3-D as its input is
 * {@code [N, C, L]}, {@code [N, C, H, W]} or {@code [N, C, D, H, W]}. The inverse of the layers' ONNX export.
 */
final class OnnxLayers {
    static final Map<String, OnnxLayerImporter> BUILT_IN = builtIn();

    private OnnxLayers() {
    }

    private static Map<String, OnnxLayerImporter> builtIn() {
        Map<String, OnnxLayerImporter> m = new LinkedHashMap<>();
        m.put("Conv", OnnxLayers::conv);
        m.put("ConvTranspose", OnnxLayers::convTranspose);
        m.put("BatchNormalization", OnnxLayers::batchNorm);
        m.put("Gemm", OnnxLayers::gemm);
        m.put("Relu", (n, c, in) -> plain(n, new ReLU()));
        m.put("LeakyRelu", (n, c, in) -> {
            allowOnly(n, "alpha");
            return new LeakyReLU(n.floatAttribute("alpha", 0.01f));
        });
        m.put("Sigmoid", (n, c, in) -> plain(n, new Sigmoid()));
        m.put("Tanh", (n, c, in) -> plain(n, new Tanh()));
        m.put("MaxPool", (n, c, in) -> pool(n, in, false));
        m.put("AveragePool", (n, c, in) -> pool(n, in, true));
        m.put("GlobalAveragePool", (n, c, in) -> plain(n, switch (spatialDims(in)) {
            case 1 -> new AdaptiveAvgPool1d(1);
            case 2 -> new AdaptiveAvgPool2d(1);
            default -> new AdaptiveAvgPool3d(1);
        }));
        m.put("GlobalMaxPool", (n, c, in) -> plain(n, switch (spatialDims(in)) {
            case 1 -> new AdaptiveMaxPool1d(1);
            case 2 -> new AdaptiveMaxPool2d(1);
            default -> new AdaptiveMaxPool3d(1);
        }));
        m.put("Flatten", (n, c, in) -> {
            allowOnly(n, "axis");
            if (n.intAttribute("axis", 1) != 1) {
                throw new IllegalArgumentException("its axis is " + n.intAttribute("axis", 1)
                        + "; cnn4j's Flatten keeps the batch dimension apart (axis=1)");
            }
            return new Flatten();
        });
        m.put("Elu", (n, c, in) -> {
            allowOnly(n, "alpha");
            return new ELU(n.floatAttribute("alpha", 1f));
        });
        m.put("HardSwish", (n, c, in) -> plain(n, new Hardswish()));
        m.put("Dropout", OnnxLayers::dropout);
        m.put("Resize", OnnxLayers::resize);
        m.put("LayerNormalization", OnnxLayers::layerNorm);
        m.put("InstanceNormalization", OnnxLayers::instanceNorm);
        m.put("Softmax", (n, c, in) -> lastAxis(n, in, new Softmax()));
        m.put("LogSoftmax", (n, c, in) -> lastAxis(n, in, new LogSoftmax()));
        return Map.copyOf(m);
    }

    /**
     * Resize by whole-number scales of the height and width, as PyTorch's export writes Upsample: nearest
     * with floor-of-asymmetric coordinates, or linear with pytorch_half_pixel (half_pixel) or align_corners.
     */
    private static Module resize(OnnxNode n, List<OnnxTensor> c, Shape in) {
        allowOnly(n, "mode", "coordinate_transformation_mode", "nearest_mode", "cubic_coeff_a", "exclude_outside",
                "extrapolation_value");
        requireRank(in, 4, "[N, C, H, W]");
        OnnxTensor scales = c.size() > 1 ? c.get(1) : null;
        float[] s = scales == null ? new float[0] : scales.floats();
        if (s.length != 4 || s[0] != 1 || s[1] != 1 || s[2] < 1 || s[3] < 1 || s[2] != Math.rint(s[2]) || s[3] != Math.rint(s[3])) {
            throw new IllegalArgumentException("its scales " + Arrays.toString(s) + " are not [1, 1, h, w] with whole-number"
                    + " h and w; cnn4j's Upsample scales the height and width by whole numbers");
        }
        int[] factors = {(int) s[2], (int) s[3]};
        String mode = n.stringAttribute("mode", "nearest");
        String transform = n.stringAttribute("coordinate_transformation_mode", "half_pixel");
        if (mode.equals("nearest") && transform.equals("asymmetric") && n.stringAttribute("nearest_mode", "round_prefer_floor")
                .equals("floor")) {
            return new Upsample(null, factors, "nearest", null);
        }
        if (mode.equals("linear") && (transform.equals("pytorch_half_pixel") || transform.equals("half_pixel")
                || transform.equals("align_corners"))) {
            return new Upsample(null, factors, "bilinear", transform.equals("align_corners"));
        }
        throw new IllegalArgumentException("its mode '" + mode + "' with coordinate_transformation_mode '" + transform + "'"
                + " and nearest_mode '" + n.stringAttribute("nearest_mode", "round_prefer_floor") + "' is none of PyTorch's"
                + " upsampling (nearest with asymmetric and floor; linear with pytorch_half_pixel or align_corners)");
    }

    /** Dropout with its ratio (0.5 where the node gives none), which passes values through when not training. */
    private static Module dropout(OnnxNode n, List<OnnxTensor> c, Shape in) {
        allowOnly(n, "seed");
        if (n.outputs().size() > 1) {
            throw new IllegalArgumentException("it also gives its mask, which cnn4j's Dropout does not");
        }
        float ratio = c.isEmpty() ? 0.5f : c.getFirst().floats()[0];
        return new Dropout(decimal(ratio).floatValue());
    }

    private static Module layerNorm(OnnxNode n, List<OnnxTensor> c, Shape in) {
        allowOnly(n, "axis", "epsilon", "stash_type");
        long axis = n.intAttribute("axis", -1);
        int from = (int) (axis < 0 ? in.rank() + axis : axis);
        if (from < 1 || from >= in.rank()) {
            throw new IllegalArgumentException("its axis is " + axis + " of an input " + in + "; cnn4j's LayerNorm"
                    + " normalises the dimensions after the batch's");
        }
        int[] shape = Arrays.copyOfRange(in.dims(), from, in.rank());
        OnnxTensor scale = constant(c, 0, "scale");
        OnnxTensor bias = c.size() > 1 ? c.get(1) : null;
        LayerNorm norm = new LayerNorm(shape, decimal(n.floatAttribute("epsilon", 1e-5f)).doubleValue(),
                learned(scale, bias));
        affine(norm, scale, bias);
        return norm;
    }

    private static Module instanceNorm(OnnxNode n, List<OnnxTensor> c, Shape in) {
        allowOnly(n, "epsilon");
        requireRank(in, 4, "[N, C, H, W]");
        OnnxTensor scale = constant(c, 0, "scale");
        OnnxTensor bias = constant(c, 1, "B");
        InstanceNorm2d norm = new InstanceNorm2d(in.dim(1), decimal(n.floatAttribute("epsilon", 1e-5f)).doubleValue(),
                learned(scale, bias));
        affine(norm, scale, bias);
        return norm;
    }

    /**
     * Whether a normalisation's scale and shift are learned parameters: not when they are the ones and zeros
     * cnn4j's export writes, as constants named {@code /<path>/scale}, for a layer without them.
     */
    private static boolean learned(OnnxTensor scale, OnnxTensor bias) {
        boolean constant = scale.name().startsWith("/") && (bias == null || bias.name().startsWith("/"));
        boolean identity = allEqual(scale.floats(), 1f) && (bias == null || allEqual(bias.floats(), 0f));
        return !(constant && identity);
    }

    private static boolean allEqual(float[] values, float value) {
        for (float v : values) {
            if (v != value) {
                return false;
            }
        }
        return true;
    }

    private static void affine(Module norm, OnnxTensor scale, OnnxTensor bias) {
        Tensor weight = norm.namedParameters().get("weight");
        if (weight != null) {
            copy(scale, weight);
            if (bias != null) {
                copy(bias, norm.namedParameters().get("bias"));
            }
        }
    }

    private static Module conv(OnnxNode n, List<OnnxTensor> c, Shape in) {
        allowOnly(n, "kernel_shape", "strides", "pads", "dilations", "group", "auto_pad");
        if (spatialDims(in) != 2) {
            return convNd(n, c, in);
        }
        OnnxTensor w = constant(c, 0, "weight");
        long[] dims = w.dims();
        if (dims.length != 4) {
            throw new IllegalArgumentException("its weight '" + w.name() + "' has dims " + Arrays.toString(dims)
                    + "; a 2-d convolution's are [out, in / group, kH, kW]");
        }
        long[] kernel = n.intsAttribute("kernel_shape", new long[]{dims[2], dims[3]});
        if (!Arrays.equals(kernel, new long[]{dims[2], dims[3]})) {
            throw new IllegalArgumentException("its kernel_shape " + Arrays.toString(kernel) + " is not its weight's "
                    + Arrays.toString(new long[]{dims[2], dims[3]}));
        }
        int kH = Math.toIntExact(dims[2]);
        int kW = Math.toIntExact(dims[3]);
        int[] stride = pair(n, "strides", 1);
        int[] dilation = pair(n, "dilations", 1);
        int[] padding = padding(n);
        requireNoAutoPad(n);
        int group = (int) n.intAttribute("group", 1);
        if (group < 1 || (long) dims[1] * group != in.dim(1)) {
            throw new IllegalArgumentException("its weight '" + w.name() + "' takes " + dims[1] + " channel(s) per group in "
                    + group + " group(s), but its input has " + in.dim(1));
        }
        long height = (in.dim(2) + 2L * padding[0] - ((long) dilation[0] * (kH - 1) + 1)) / stride[0] + 1;
        long width = (in.dim(3) + 2L * padding[1] - ((long) dilation[1] * (kW - 1) + 1)) / stride[1] + 1;
        if (height > 0 && width > 0 && Counts.product(dims[0], height, width) > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "with pads %s it would make %,d x %d x %d values"
                    + " of each image, more than a cnn4j tensor holds", Arrays.toString(padding), dims[0], height, width));
        }
        OnnxTensor b = c.size() > 1 ? c.get(1) : null;
        Conv2d conv = new Conv2d(Conv2dConfig.of(in.dim(1), Math.toIntExact(dims[0]), kH, kW).stride(stride[0], stride[1])
                .padding(padding[0], padding[1]).dilation(dilation[0], dilation[1]).groups(group).bias(b != null));
        copy(w, conv.weight());
        if (b != null) {
            copy(b, conv.bias());
        }
        return conv;
    }

    /**
     * A Conv1d or Conv3d: pads alike on both ends of each axis as explicit padding, or PyTorch's
     * {@code padding='same'} (the extra zero of an even reach at the end) as same padding.
     */
    private static ConvNd convNd(OnnxNode n, List<OnnxTensor> c, Shape in) {
        int dims = spatialDims(in);
        requireNoAutoPad(n);
        OnnxTensor w = constant(c, 0, "weight");
        long[] wd = w.dims();
        if (wd.length != dims + 2) {
            throw new IllegalArgumentException("its weight '" + w.name() + "' has dims " + Arrays.toString(wd)
                    + "; a " + dims + "-d convolution's are [out, in / group, " + dims + " kernel sizes]");
        }
        long[] kernel = Arrays.copyOfRange(wd, 2, wd.length);
        long[] kernelShape = n.intsAttribute("kernel_shape", kernel);
        if (!Arrays.equals(kernelShape, kernel)) {
            throw new IllegalArgumentException("its kernel_shape " + Arrays.toString(kernelShape) + " is not its weight's "
                    + Arrays.toString(kernel));
        }
        int group = (int) n.intAttribute("group", 1);
        if (group < 1 || wd[1] * group != in.dim(1)) {
            throw new IllegalArgumentException("its weight '" + w.name() + "' takes " + wd[1] + " channel(s) per group in "
                    + group + " group(s), but its input has " + in.dim(1));
        }
        int[] k = Arrays.stream(kernel).mapToInt(Math::toIntExact).toArray();
        int[] stride = perAxis(n, "strides", dims, 1);
        int[] dilation = perAxis(n, "dilations", dims, 1);
        long[] pads = n.intsAttribute("pads", new long[2 * dims]);
        OnnxTensor b = c.size() > 1 ? c.get(1) : null;
        ConvNdConfig config = new ConvNdConfig(dims, in.dim(1), Math.toIntExact(wd[0]), k, stride, new int[] {0}, false,
                dilation, group, b != null);
        boolean same = pads.length == 2 * dims && Arrays.stream(stride).allMatch(s -> s == 1)
                && samePads(config.samePadding(), pads);
        config = same ? config.samePadding() : config.padding(symmetricPads(n, dims));
        ConvNd conv = dims == 1 ? new Conv1d(config) : new Conv3d(config);
        copy(w, conv.weight());
        if (b != null) {
            copy(b, conv.bias());
        }
        return conv;
    }

    /** Whether {@code pads} are those of same padding, and not alike on both ends (as explicit padding would say). */
    private static boolean samePads(ConvNdConfig same, long[] pads) {
        int dims = same.dims();
        boolean uneven = false;
        for (int a = 0; a < dims; a++) {
            if (pads[a] != same.padBefore(a) || pads[dims + a] != same.padAfter(a)) {
                return false;
            }
            uneven |= pads[a] != pads[dims + a];
        }
        return uneven;
    }

    /** A MaxPool1d/3d or AvgPool1d/3d with its window, stride, padding, dilation and ceil mode. */
    private static Module poolNd(OnnxNode n, Shape in, boolean average) {
        int dims = spatialDims(in);
        long[] k = kernelShape(n);
        if (k.length != dims || Arrays.stream(k).anyMatch(v -> v < 1 || v > Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("its kernel_shape " + Arrays.toString(k) + " is not a " + dims + "-d window");
        }
        int[] kernel = Arrays.stream(k).mapToInt(Math::toIntExact).toArray();
        int[] stride = perAxis(n, "strides", dims, 1);
        int[] padding = symmetricPads(n, dims);
        boolean ceil = n.intAttribute("ceil_mode", 0) != 0;
        if (average) {
            boolean countPad = n.intAttribute("count_include_pad", 0) != 0;
            return dims == 1 ? new AvgPool1d(kernel, stride, padding, ceil, countPad)
                    : new AvgPool3d(kernel, stride, padding, ceil, countPad);
        }
        int[] dilation = perAxis(n, "dilations", dims, 1);
        return dims == 1 ? new MaxPool1d(kernel, stride, padding, dilation, ceil)
                : new MaxPool3d(kernel, stride, padding, dilation, ceil);
    }

    private static long[] kernelShape(OnnxNode n) {
        OnnxAttribute kernelShape = n.attribute("kernel_shape");
        if (kernelShape == null) {
            throw new IllegalArgumentException("it has no kernel_shape");
        }
        return kernelShape.ints();
    }

    /** The spatial axes of an input {@code [N, C, ...]}: 1, 2 or 3. */
    private static int spatialDims(Shape in) {
        if (in.rank() < 3 || in.rank() > 5) {
            throw new IllegalArgumentException("its input has shape " + in + "; the layer takes [N, C, L], [N, C, H, W]"
                    + " or [N, C, D, H, W]");
        }
        return in.rank() - 2;
    }

    /** An INTS attribute of one value >= 1 per spatial axis ({@code otherwise} for each when absent). */
    private static int[] perAxis(OnnxNode n, String name, int dims, int otherwise) {
        long[] fallback = new long[dims];
        Arrays.fill(fallback, otherwise);
        long[] values = n.intsAttribute(name, fallback);
        if (values.length != dims || Arrays.stream(values).anyMatch(v -> v < 1 || v > Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("its " + name + " " + Arrays.toString(values) + " are not " + dims
                    + " value(s) >= 1");
        }
        return Arrays.stream(values).mapToInt(Math::toIntExact).toArray();
    }

    /** Pads [begins..., ends...] as each axis's padding, alike on both ends. */
    private static int[] symmetricPads(OnnxNode n, int dims) {
        long[] p = n.intsAttribute("pads", new long[2 * dims]);
        if (p.length != 2 * dims) {
            throw new IllegalArgumentException("its pads " + Arrays.toString(p) + " are not " + 2 * dims + " values");
        }
        int[] padding = new int[dims];
        for (int a = 0; a < dims; a++) {
            if (p[a] != p[dims + a]) {
                throw new IllegalArgumentException("its pads " + Arrays.toString(p) + " differ between the ends of an axis;"
                        + " cnn4j pads both ends alike (or as PyTorch's padding='same' for a convolution of stride 1)");
            }
            if (p[a] < 0 || p[a] > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("its pads " + Arrays.toString(p) + " are out of range");
            }
            padding[a] = (int) p[a];
        }
        return padding;
    }

    /**
     * A transposed convolution with explicit pads, alike on opposite sides, and output_padding, as PyTorch
     * exports ConvTranspose2d; an output_shape, which ONNX lets stand in for them, is refused.
     */
    private static Module convTranspose(OnnxNode n, List<OnnxTensor> c, Shape in) {
        allowOnly(n, "kernel_shape", "strides", "pads", "dilations", "group", "output_padding", "auto_pad");
        requireRank(in, 4, "[N, C, H, W]");
        requireNoAutoPad(n);
        OnnxTensor w = constant(c, 0, "weight");
        long[] dims = w.dims();
        int group = (int) n.intAttribute("group", 1);
        if (dims.length != 4 || group < 1 || dims[0] != in.dim(1) || dims[0] % group != 0) {
            throw new IllegalArgumentException("its weight '" + w.name() + "' has dims " + Arrays.toString(dims) + " with "
                    + group + " group(s); a 2-d transposed convolution of " + in.dim(1) + " channels takes ["
                    + in.dim(1) + ", out / group, kH, kW]");
        }
        long[] kernel = n.intsAttribute("kernel_shape", new long[]{dims[2], dims[3]});
        if (!Arrays.equals(kernel, new long[]{dims[2], dims[3]})) {
            throw new IllegalArgumentException("its kernel_shape " + Arrays.toString(kernel) + " is not its weight's "
                    + Arrays.toString(new long[]{dims[2], dims[3]}));
        }
        int[] stride = pair(n, "strides", 1);
        int[] dilation = pair(n, "dilations", 1);
        int[] padding = padding(n);
        long[] outputPadding = n.intsAttribute("output_padding", new long[]{0, 0});
        if (outputPadding.length != 2 || outputPadding[0] < 0 || outputPadding[1] < 0 || outputPadding[0] > Integer.MAX_VALUE
                || outputPadding[1] > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("its output_padding " + Arrays.toString(outputPadding) + " is not two values >= 0");
        }
        OnnxTensor b = c.size() > 1 ? c.get(1) : null;
        ConvTranspose2d layer = new ConvTranspose2d(ConvTranspose2dConfig.of(in.dim(1), Math.toIntExact(dims[1] * group),
                Math.toIntExact(dims[2]), Math.toIntExact(dims[3])).stride(stride[0], stride[1]).padding(padding[0], padding[1])
                .outputPadding((int) outputPadding[0], (int) outputPadding[1]).dilation(dilation[0], dilation[1]).groups(group)
                .bias(b != null));
        layer.outputShape(in);
        copy(w, layer.weight());
        if (b != null) {
            copy(b, layer.bias());
        }
        return layer;
    }

    private static Module batchNorm(OnnxNode n, List<OnnxTensor> c, Shape in) {
        allowOnly(n, "epsilon", "momentum", "training_mode", "spatial");
        if (n.intAttribute("training_mode", 0) != 0 || n.outputs().size() > 1) {
            throw new IllegalArgumentException("it is in training form (training_mode=1 or running statistics as"
                    + " outputs); cnn4j imports batch normalisation in inference form (export in eval mode)");
        }
        if (in.rank() != 4 && in.rank() != 3 && in.rank() != 2) {
            throw new IllegalArgumentException("its input has shape " + in + "; cnn4j normalises [N, C, H, W] (BatchNorm2d)"
                    + " or [N, C] or [N, C, L] (BatchNorm1d)");
        }
        BatchNormConfig config = BatchNormConfig.of(in.dim(1))
                .eps(decimal(n.floatAttribute("epsilon", 1e-5f)).doubleValue())
                .momentum(BigDecimal.ONE.subtract(decimal(n.floatAttribute("momentum", 0.9f))).doubleValue());
        BatchNorm bn = in.rank() == 4 ? new BatchNorm2d(config) : new BatchNorm1d(config);
        copy(constant(c, 0, "scale"), bn.weight());
        copy(constant(c, 1, "bias"), bn.bias());
        copy(constant(c, 2, "mean"), bn.runningMean());
        copy(constant(c, 3, "variance"), bn.runningVar());
        return bn;
    }

    /** A float attribute as the decimal its float32 value was written from (0.9 rather than 0.899999976...). */
    private static BigDecimal decimal(float value) {
        return new BigDecimal(Float.toString(value));
    }

    private static Module gemm(OnnxNode n, List<OnnxTensor> c, Shape in) {
        allowOnly(n, "alpha", "beta", "transA", "transB");
        if (n.floatAttribute("alpha", 1f) != 1f || n.floatAttribute("beta", 1f) != 1f || n.intAttribute("transA", 0) != 0) {
            throw new IllegalArgumentException("it has alpha=" + n.floatAttribute("alpha", 1f) + ", beta="
                    + n.floatAttribute("beta", 1f) + ", transA=" + n.intAttribute("transA", 0)
                    + "; cnn4j's Linear is alpha=1, beta=1, transA=0");
        }
        return linear(in, constant(c, 0, "weight"), n.intAttribute("transB", 0) != 0, c.size() > 1 ? c.get(1) : null);
    }

    /**
     * The Linear layer {@code x W^T + b} given {@code weight} as {@code [out, in]} ({@code transposed}, as Gemm
     * with transB=1 holds it) or {@code [in, out]} (as MatMul holds it).
     */
    static Linear linear(Shape in, OnnxTensor weight, boolean transposed, OnnxTensor bias) {
        requireRank(in, 2, "[N, features]");
        long[] dims = weight.dims();
        if (dims.length != 2 || dims[transposed ? 1 : 0] != in.dim(1)) {
            throw new IllegalArgumentException("its weight '" + weight.name() + "' has dims " + Arrays.toString(dims)
                    + ", which do not take the " + in.dim(1) + " features of its input");
        }
        int out = Math.toIntExact(dims[transposed ? 0 : 1]);
        if (bias != null && bias.elementCount() != out) {
            throw new IllegalArgumentException("its bias '" + bias.name() + "' has dims " + Arrays.toString(bias.dims())
                    + ", not " + out + " values");
        }
        Linear linear = new Linear(in.dim(1), out, bias != null);
        float[] w = weight.floats();
        if (transposed) {
            System.arraycopy(w, 0, linear.weight().data(), 0, w.length);
        } else {
            float[] to = linear.weight().data();
            for (int i = 0; i < in.dim(1); i++) {
                for (int o = 0; o < out; o++) {
                    to[o * in.dim(1) + i] = w[i * out + o];
                }
            }
        }
        if (bias != null) {
            copy(bias, linear.bias());
        }
        return linear;
    }

    private static Module pool(OnnxNode n, Shape in, boolean average) {
        if (average) {
            allowOnly(n, "kernel_shape", "strides", "pads", "ceil_mode", "auto_pad", "count_include_pad");
        } else {
            allowOnly(n, "kernel_shape", "strides", "pads", "ceil_mode", "auto_pad", "dilations", "storage_order");
        }
        if (n.outputs().size() > 1) {
            throw new IllegalArgumentException("it also gives the indices of the maxima, which cnn4j's max pooling does not");
        }
        requireNoAutoPad(n);
        if (spatialDims(in) != 2) {
            return poolNd(n, in, average);
        }
        same(n, "dilations", 1);
        long[] k = kernelShape(n);
        if (k.length != 2 || k[0] < 1 || k[1] < 1 || k[0] > Integer.MAX_VALUE || k[1] > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("its kernel_shape " + Arrays.toString(k) + " is not a 2-d window");
        }
        int[] stride = pair(n, "strides", 1);
        int[] padding = padding(n);
        if (2 * padding[0] > k[0] || 2 * padding[1] > k[1]) {
            throw new IllegalArgumentException("its padding " + Arrays.toString(padding) + " is more than half its window "
                    + Arrays.toString(k) + "; cnn4j's pooling takes at most half (as PyTorch)");
        }
        Pool2dSpec spec = new Pool2dSpec((int) k[0], (int) k[1], stride[0], stride[1], padding[0], padding[1],
                n.intAttribute("ceil_mode", 0) != 0);
        return average ? new AvgPool2d(spec, n.intAttribute("count_include_pad", 0) != 0) : new MaxPool2d(spec);
    }

    private static Module lastAxis(OnnxNode n, Shape in, Module layer) {
        allowOnly(n, "axis");
        long axis = n.intAttribute("axis", -1);
        if (in.rank() != 2 || axis != 1 && axis != -1) {
            throw new IllegalArgumentException("it works along axis " + axis + " of an input of shape " + in
                    + "; cnn4j's " + layer + " works along the classes of [N, classes] (axis 1)");
        }
        return layer;
    }

    private static Module plain(OnnxNode n, Module layer) {
        allowOnly(n);
        return layer;
    }

    /** Refuses an attribute the layer has no counterpart of, naming it. */
    private static void allowOnly(OnnxNode n, String... names) {
        Set<String> known = Set.of(names);
        for (OnnxAttribute a : n.attributes()) {
            if (!known.contains(a.name())) {
                throw new IllegalArgumentException("it has the attribute '" + a.name() + "', which cnn4j's layer has no"
                        + " counterpart of" + (names.length == 0 ? "" : " (it reads " + String.join(", ", names) + ")"));
            }
        }
    }

    private static void requireNoAutoPad(OnnxNode n) {
        String autoPad = n.stringAttribute("auto_pad", "NOTSET");
        if (!autoPad.equals("NOTSET") && !autoPad.equals("VALID")) {
            throw new IllegalArgumentException("its auto_pad is " + autoPad + "; cnn4j imports explicit pads (auto_pad"
                    + " NOTSET, as PyTorch writes)");
        }
    }

    /** An INTS attribute of two values, the rows' and the columns' ({@code otherwise} for both when absent). */
    private static int[] pair(OnnxNode n, String name, int otherwise) {
        long[] values = n.intsAttribute(name, new long[]{otherwise, otherwise});
        if (values.length != 2 || values[0] < 1 || values[1] < 1 || values[0] > Integer.MAX_VALUE || values[1] > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("its " + name + " " + Arrays.toString(values) + " are not two values >= 1");
        }
        return new int[] {(int) values[0], (int) values[1]};
    }

    /** Pads [top, left, bottom, right] as the rows' and the columns' padding, each side alike. */
    private static int[] padding(OnnxNode n) {
        long[] p = n.intsAttribute("pads", new long[]{0, 0, 0, 0});
        if (p.length != 4 || p[0] != p[2] || p[1] != p[3]) {
            throw new IllegalArgumentException("its pads " + Arrays.toString(p) + " differ between opposite sides;"
                    + " cnn4j pads the top as the bottom and the left as the right");
        }
        if (p[0] < 0 || p[1] < 0 || p[0] > Integer.MAX_VALUE || p[1] > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("its pads " + Arrays.toString(p) + " are out of range");
        }
        return new int[] {(int) p[0], (int) p[1]};
    }

    /** The one value an INTS attribute repeats for every spatial side ({@code otherwise} when absent). */
    private static int same(OnnxNode n, String name, int otherwise) {
        long[] values = n.intsAttribute(name, new long[]{otherwise});
        for (long v : values) {
            if (v != values[0]) {
                throw new IllegalArgumentException("its " + name + " " + Arrays.toString(values) + " differ between sides;"
                        + " cnn4j's layers take the same on every side");
            }
        }
        if (values.length == 0 || values[0] < 0 || values[0] > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("its " + name + " " + Arrays.toString(values) + " are out of range");
        }
        return (int) values[0];
    }

    static void requireRank(Shape in, int rank, String form) {
        if (in.rank() != rank) {
            throw new IllegalArgumentException("its input has shape " + in + "; the layer takes " + form);
        }
    }

    private static OnnxTensor constant(List<OnnxTensor> c, int index, String what) {
        OnnxTensor t = index < c.size() ? c.get(index) : null;
        if (t == null) {
            throw new IllegalArgumentException("it has no " + what + " input");
        }
        return t;
    }

    /** Copies {@code from}'s values into {@code to}, whose element count it must have. */
    static void copy(OnnxTensor from, Tensor to) {
        if (from.elementCount() != to.size()) {
            throw new IllegalArgumentException("its input '" + from.name() + "' has dims " + Arrays.toString(from.dims())
                    + ", but the layer holds " + to.shape() + " there");
        }
        float[] values = from.floats();
        System.arraycopy(values, 0, to.data(), 0, values.length);
    }
}
