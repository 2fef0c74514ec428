package io.cnn4j.nn;

import io.cnn4j.onnx.OnnxAttribute;
import io.cnn4j.tensor.Shape;

import java.util.List;
import java.util.function.Function;

/**
 * The output size of an adaptive pooling layer, which pools {@code [N, C, H, W]} to
 * {@code [N, C, height, width]} whatever H and W are; one number in a description when square, as in
 * PyTorch's {@code output_size}.
 */
record AdaptiveSize(String type, int height, int width) {

    AdaptiveSize {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException(type + ": output_size must be >= 1, got " + this);
        }
    }

    static AdaptiveSize of(String type, LayerConfig c) {
        int[] size = c.pairArg("output_size");
        return new AdaptiveSize(type, size[0], size[1]);
    }

    /** The type of the adaptive pooling layer {@code type} that {@code factory} builds. */
    static LayerType type(String type, Function<AdaptiveSize, Module> factory) {
        return LayerType.of(type, c -> factory.apply(of(type, c))).require("output_size", LayerType.Kind.SIZES);
    }

    Shape outputShape(Module layer, Shape input) {
        if (input.rank() != 4) {
            throw new IllegalArgumentException(layer + " expects input [N, C, H, W], got " + input);
        }
        return Shape.of(input.dim(0), input.dim(1), height, width);
    }

    LayerConfig config(LayerType layerType) {
        return layerType.config("output_size", height == width ? (Object) height : List.of(height, width));
    }

    /**
     * The ONNX form of pooling {@code input} to this size: {@code global} (GlobalAveragePool, GlobalMaxPool)
     * to 1x1, else {@code windowed} (AveragePool, MaxPool) over the equal windows the input's size makes,
     * which is exact for that size alone (the exported model takes pictures of one size); refused where the
     * windows are not equal.
     */
    String toOnnx(OnnxScope onnx, String x, String global, String windowed) {
        if (height == 1 && width == 1) {
            return onnx.node(global, List.of(x));
        }
        Shape input = onnx.inputShape();
        if (input.dim(2) % height != 0 || input.dim(3) % width != 0) {
            throw onnx.unsupported("its windows over a " + input.dim(2) + "x" + input.dim(3) + " input differ in size, which"
                    + " ONNX's pooling cannot express; choose an output size that divides the input's");
        }
        long kh = input.dim(2) / height;
        long kw = input.dim(3) / width;
        return onnx.node(windowed, List.of(x), OnnxAttribute.ofInts("kernel_shape", kh, kw), OnnxAttribute.ofInts("strides", kh, kw));
    }

    @Override
    public String toString() {
        return height == width ? Integer.toString(height) : "(" + height + ", " + width + ")";
    }
}
