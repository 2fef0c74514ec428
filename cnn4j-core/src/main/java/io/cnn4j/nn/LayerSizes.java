package io.cnn4j.nn;

import io.cnn4j.tensor.Shape;

import java.util.function.UnaryOperator;

/**
 * What a leaf layer's description says of its sizes before it is built: the layer as code would construct
 * it ({@code Linear(4608, 10)}), how many parameters and buffer values it would hold, and the shape of
 * its output for an input shape (throwing as its forward pass would). Making one allocates nothing and
 * draws no random numbers, whatever sizes the description claims.
 */
record LayerSizes(String layer, long parameters, long buffers, UnaryOperator<Shape> shape) {

    /**
     * The sizes of {@code c}, a leaf layer (not a container); throws IllegalArgumentException as
     * {@link Layers#fromConfig} would.
     */
    static LayerSizes of(LayerConfig c) {
        return switch (c.type()) {
            case "Conv2d" -> Conv2d.sizes(c);
            case "Linear" -> Linear.sizes(c);
            case "BatchNorm1d", "BatchNorm2d" -> BatchNorm.sizes(c);
            case "Dropout", "Dropout2d" -> DropoutLayer.sizes(c);
            default -> {
                // Layers without weights or random generators cost nothing to build.
                Module layer = Layers.fromConfig(c);
                yield new LayerSizes(layer.toString(), 0, 0, layer::outputShape);
            }
        };
    }
}
