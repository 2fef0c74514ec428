package io.cnn4j.onnx;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A node's attribute: a name and one value of one of ONNX's attribute types. Graph-valued and other
 * attributes cnn4j does not read keep their type, so that an importer can name them when it refuses them.
 */
public final class OnnxAttribute {

    /** ONNX's AttributeType, with its code in the format. */
    public enum Type {
        UNDEFINED(0), FLOAT(1), INT(2), STRING(3), TENSOR(4), GRAPH(5), FLOATS(6), INTS(7), STRINGS(8),
        TENSORS(9), GRAPHS(10), SPARSE_TENSOR(11), SPARSE_TENSORS(12), TYPE_PROTO(13), TYPE_PROTOS(14);

        private final int code;

        Type(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        static Type of(long code) {
            for (Type t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            return UNDEFINED;
        }
    }

    private final String name;
    private final Type type;
    private final Object value;

    private OnnxAttribute(String name, Type type, Object value) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = type;
        this.value = value;
    }

    public static OnnxAttribute of(String name, long value) {
        return new OnnxAttribute(name, Type.INT, value);
    }

    public static OnnxAttribute of(String name, float value) {
        return new OnnxAttribute(name, Type.FLOAT, value);
    }

    public static OnnxAttribute of(String name, String value) {
        return new OnnxAttribute(name, Type.STRING, Objects.requireNonNull(value, "value"));
    }

    public static OnnxAttribute of(String name, OnnxTensor value) {
        return new OnnxAttribute(name, Type.TENSOR, Objects.requireNonNull(value, "value"));
    }

    public static OnnxAttribute ofInts(String name, long... values) {
        return new OnnxAttribute(name, Type.INTS, values.clone());
    }

    public static OnnxAttribute ofFloats(String name, float... values) {
        return new OnnxAttribute(name, Type.FLOATS, values.clone());
    }

    public static OnnxAttribute ofStrings(String name, List<String> values) {
        return new OnnxAttribute(name, Type.STRINGS, List.copyOf(values));
    }

    /** An attribute of a type cnn4j keeps no value of (a graph, a sparse tensor, a type). */
    static OnnxAttribute unread(String name, Type type) {
        return new OnnxAttribute(name, type, null);
    }

    public String name() {
        return name;
    }

    public Type type() {
        return type;
    }

    public long intValue() {
        return (Long) valueOf(Type.INT);
    }

    public float floatValue() {
        return (Float) valueOf(Type.FLOAT);
    }

    public String stringValue() {
        return (String) valueOf(Type.STRING);
    }

    public OnnxTensor tensorValue() {
        return (OnnxTensor) valueOf(Type.TENSOR);
    }

    public long[] ints() {
        return ((long[]) valueOf(Type.INTS)).clone();
    }

    public float[] floats() {
        return ((float[]) valueOf(Type.FLOATS)).clone();
    }

    @SuppressWarnings("unchecked")
    public List<String> strings() {
        return (List<String>) valueOf(Type.STRINGS);
    }

    private Object valueOf(Type wanted) {
        if (type != wanted) {
            throw new IllegalArgumentException("attribute '" + name + "' is " + type + ", not " + wanted);
        }
        return value;
    }

    /** The value, for the codec: a Long, Float, String, OnnxTensor, long[], float[], List of String, or null. */
    Object value() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OnnxAttribute a && name.equals(a.name) && type == a.type
                && Arrays.deepEquals(new Object[]{value}, new Object[]{a.value});
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, Arrays.deepHashCode(new Object[]{value}));
    }

    @Override
    public String toString() {
        String shown = switch (value) {
            case long[] l -> Arrays.toString(l);
            case float[] f -> Arrays.toString(f);
            case null -> "(not read)";
            default -> String.valueOf(value);
        };
        return name + "=" + shown;
    }
}
