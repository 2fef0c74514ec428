package io.cnn4j.nn;

import io.cnn4j.tensor.Shape;

/**
 * A layer without parameters or arguments, described by its type name alone. Most work element by
 * element and so keep the input's shape, which is what {@link #outputShape} says unless a layer overrides it.
 */
abstract class StatelessLayer extends Module {
    private final String type;

    StatelessLayer(String type) {
        this.type = type;
    }

    @Override
    public Shape outputShape(Shape input) {
        return input;
    }

    /** {@code input} when it is {@code [N, C]}, the class scores softmax works on; otherwise throws naming this layer. */
    final Shape requireClassScores(Shape input) {
        if (input.rank() != 2) {
            throw new IllegalArgumentException(this + " expects input [N, C], got " + input);
        }
        return input;
    }

    @Override
    public final LayerConfig config() {
        return LayerConfig.of(type);
    }

    @Override
    public final String toString() {
        return type + "()";
    }
}
