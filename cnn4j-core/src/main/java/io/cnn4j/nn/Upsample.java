package io.cnn4j.nn;

import io.cnn4j.autograd.Functional;
import io.cnn4j.onnx.OnnxAttribute;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Resizes {@code [N, C, H, W]} by whole-number scale factors or to a fixed size, PyTorch's
 * {@code nn.Upsample}: mode {@code "nearest"} (each output pixel copies the input pixel it falls in) or
 * {@code "bilinear"} (with {@code align_corners} the corner pixels of input and output coincide; without,
 * PyTorch's default, their centres are aligned). The decoder half of an autoencoder or a U-Net.
 */
public final class Upsample extends Module {
    public static final LayerType TYPE = LayerType.of("Upsample", Upsample::of)
            .optional("size", LayerType.Kind.SIZES, null).optional("scale_factor", LayerType.Kind.SIZES, null)
            .optional("mode", LayerType.Kind.WORD, "nearest").optional("align_corners", LayerType.Kind.BOOLEAN, null)
            .exportsTo(Upsample.class, Upsample::toOnnx);

    private final int[] size;
    private final int[] scaleFactor;
    private final boolean bilinear;
    private final Boolean alignCorners;

    /**
     * Exactly one of {@code size} and {@code scaleFactor} (each one number or two, rows and columns) is
     * given, the other null; {@code alignCorners} is null for nearest and defaults to false for bilinear.
     */
    public Upsample(int[] size, int[] scaleFactor, String mode, Boolean alignCorners) {
        if ((size == null) == (scaleFactor == null)) {
            throw new IllegalArgumentException("Upsample: give either size or scale_factor, not " + (size == null ? "neither"
                    : "both"));
        }
        this.size = pair("size", size);
        this.scaleFactor = pair("scale_factor", scaleFactor);
        this.bilinear = switch (mode) {
            case "nearest" -> false;
            case "bilinear" -> true;
            default -> throw new IllegalArgumentException("Upsample: mode must be \"nearest\" or \"bilinear\", got \"" + mode + "\"");
        };
        if (!bilinear && alignCorners != null) {
            throw new IllegalArgumentException("Upsample: align_corners applies to mode \"bilinear\" only (as in PyTorch)");
        }
        this.alignCorners = alignCorners;
    }

    /** Scales by a whole number both ways, nearest. */
    public static Upsample scaled(int scaleFactor) {
        return new Upsample(null, new int[] {scaleFactor}, "nearest", null);
    }

    private static Upsample of(LayerConfig c) {
        Object alignCorners = c.args().get("align_corners");
        return new Upsample(c.args().get("size") == null ? null : c.pairArg("size"),
                c.args().get("scale_factor") == null ? null : c.pairArg("scale_factor"), c.stringArg("mode"),
                (Boolean) alignCorners);
    }

    private static int[] pair(String name, int[] values) {
        if (values == null) {
            return null;
        }
        if (values.length < 1 || values.length > 2 || values[0] < 1 || values[values.length - 1] < 1) {
            throw new IllegalArgumentException("Upsample: " + name + " takes one whole number >= 1 or two, got "
                    + Arrays.toString(values));
        }
        return new int[] {values[0], values[values.length - 1]};
    }

    @Override
    protected Tensor compute(Tensor input) {
        Shape out = outputShape(input.shape());
        return Functional.upsample(input, out.dim(2), out.dim(3), bilinear, Boolean.TRUE.equals(alignCorners),
                scaleFactor == null ? 0 : scaleFactor[0], scaleFactor == null ? 0 : scaleFactor[1]);
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() != 4) {
            throw new IllegalArgumentException(this + " expects input [N, C, H, W], got " + input);
        }
        long h = size != null ? size[0] : (long) input.dim(2) * scaleFactor[0];
        long w = size != null ? size[1] : (long) input.dim(3) * scaleFactor[1];
        if ((long) input.dim(1) * h * w > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(this + ": an output of " + h + "x" + w + " per channel is too large for a tensor");
        }
        return Shape.of(input.dim(0), input.dim(1), (int) h, (int) w);
    }

    /**
     * ONNX's Resize with the coordinate rule PyTorch's export writes: floor-of-asymmetric for nearest,
     * pytorch_half_pixel or align_corners for bilinear; by scales, which ONNX multiplies out as PyTorch does
     * for whole-number factors. A size the input's does not divide into whole factors is refused.
     */
    private String toOnnx(OnnxScope onnx, String x) {
        Shape in = onnx.inputShape();
        Shape out = outputShape(in);
        if (out.dim(2) % in.dim(2) != 0 || out.dim(3) % in.dim(3) != 0) {
            throw onnx.unsupported("a size of " + out.dim(2) + "x" + out.dim(3) + " from " + in.dim(2) + "x" + in.dim(3)
                    + " is no whole-number scale, which is how the export writes Resize");
        }
        float[] scales = {1f, 1f, (float) (out.dim(2) / in.dim(2)), (float) (out.dim(3) / in.dim(3))};
        String roi = onnx.constant("roi", Tensor.zeros(0));
        String scale = onnx.constant("scales", Tensor.of(scales, 4));
        List<OnnxAttribute> attributes = new ArrayList<>();
        if (bilinear) {
            attributes.add(OnnxAttribute.of("mode", "linear"));
            attributes.add(OnnxAttribute.of("coordinate_transformation_mode",
                    Boolean.TRUE.equals(alignCorners) ? "align_corners" : "pytorch_half_pixel"));
        } else {
            attributes.add(OnnxAttribute.of("mode", "nearest"));
            attributes.add(OnnxAttribute.of("coordinate_transformation_mode", "asymmetric"));
            attributes.add(OnnxAttribute.of("nearest_mode", "floor"));
        }
        return onnx.node("Resize", List.of(x, roi, scale), attributes.toArray(OnnxAttribute[]::new));
    }

    @Override
    public LayerConfig config() {
        List<Object> args = new ArrayList<>();
        if (size != null) {
            args.addAll(List.of("size", value(size)));
        } else {
            args.addAll(List.of("scale_factor", value(scaleFactor)));
        }
        args.addAll(List.of("mode", bilinear ? "bilinear" : "nearest"));
        if (alignCorners != null) {
            args.addAll(List.of("align_corners", alignCorners));
        }
        return TYPE.config(args.toArray());
    }

    private static Object value(int[] pair) {
        return pair[0] == pair[1] ? (Object) pair[0] : List.of(pair[0], pair[1]);
    }

    @Override
    public String toString() {
        String what = size != null ? "size=" + text(size) : "scale_factor=" + text(scaleFactor);
        return "Upsample(" + what + ", mode='" + (bilinear ? "bilinear" : "nearest") + "'"
                + (alignCorners != null ? ", align_corners=" + (alignCorners ? "True" : "False") : "") + ")";
    }

    private static String text(int[] pair) {
        return pair[0] == pair[1] ? Integer.toString(pair[0]) : "(" + pair[0] + ", " + pair[1] + ")";
    }
}
