package io.cnn4j.nn;

import io.cnn4j.tensor.Shape;

/**
 * What {@link AdaptiveAvgPool2d} and {@link AdaptiveMaxPool2d} share: the output size, their shapes, their
 * descriptions. They differ in what a window gives.
 */
abstract sealed class AdaptivePool2d extends Module permits AdaptiveAvgPool2d, AdaptiveMaxPool2d {
    final AdaptiveSize size;

    AdaptivePool2d(AdaptiveSize size) {
        this.size = size;
    }

    /** The layer's type, whose name is the layer's. */
    abstract LayerType type();

    @Override
    public final Shape outputShape(Shape input) {
        return size.outputShape(this, input);
    }

    @Override
    public final LayerConfig config() {
        return size.config(type());
    }

    @Override
    public final String toString() {
        return size.type() + "(output_size=" + size + ")";
    }
}
