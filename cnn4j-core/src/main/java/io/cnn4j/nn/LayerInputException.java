package io.cnn4j.nn;

import java.util.function.Supplier;

/**
 * An input that does not fit a layer, with the layer's position in the model: {@code "layer 4:
 * Linear(4608, 10) expects input [N, 4608], got [64, 3136] ..."}. Nested containers extend the path
 * ({@code "layer 2.0"}).
 */
public final class LayerInputException extends IllegalArgumentException {
    private final String path;
    private final String detail;

    LayerInputException(String path, String detail, Throwable cause) {
        super("layer " + path + ": " + detail, cause);
        this.path = path;
        this.detail = detail;
    }

    /** Dotted position of the failing layer, the same names as its parameters carry. */
    public String path() {
        return path;
    }

    /**
     * Runs {@code step}, the part of a container's work done by its child {@code name} (a forward pass or
     * an output shape); an input the child rejects is reported with that name in the layer path.
     */
    static <T> T within(String name, Supplier<T> step) {
        try {
            return step.get();
        } catch (IllegalArgumentException e) {
            throw wrap(name, e);
        }
    }

    static LayerInputException wrap(String name, IllegalArgumentException e) {
        if (e instanceof LayerInputException inner) {
            return new LayerInputException(name + "." + inner.path, inner.detail, e.getCause());
        }
        return new LayerInputException(name, e.getMessage(), e);
    }
}
