package io.cnn4j.nn;

/** A layer without parameters or arguments, described by its type name alone. */
abstract class StatelessLayer extends Module {
    private final String type;

    StatelessLayer(String type) {
        this.type = type;
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
