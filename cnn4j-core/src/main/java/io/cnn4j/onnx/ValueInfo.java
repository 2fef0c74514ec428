package io.cnn4j.onnx;

import java.util.List;
import java.util.Objects;

/**
 * A graph input, output or intermediate value: its name, element type ({@link TensorType}'s code) and
 * dims. A dim is a size, or a name such as {@code "batch"} for a size fixed only when the model runs.
 */
public record ValueInfo(String name, int elementType, List<Dim> dims) {

    /** One dimension: {@code size} when known (>= 0), otherwise -1 and, where the file names it, {@code param}. */
    public record Dim(long size, String param) {
        public static Dim of(long size) {
            return new Dim(size, null);
        }

        public static Dim named(String param) {
            return new Dim(-1, Objects.requireNonNull(param, "param"));
        }

        public boolean isKnown() {
            return size >= 0;
        }
    }

    public ValueInfo {
        Objects.requireNonNull(name, "name");
        dims = dims == null ? null : List.copyOf(dims);
    }

    /** A float tensor value of the given dims. */
    public static ValueInfo floats(String name, Dim... dims) {
        return new ValueInfo(name, TensorType.FLOAT.code(), List.of(dims));
    }

    /** Whether the file gave a shape at all (a value may be declared with its type only). */
    public boolean hasShape() {
        return dims != null;
    }
}
