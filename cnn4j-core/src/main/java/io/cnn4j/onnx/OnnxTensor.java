package io.cnn4j.onnx;

import io.cnn4j.limits.Counts;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A constant tensor of an ONNX model (an initializer, a Constant node's value, a tensor attribute): its
 * name, element type, dims and data, held as ONNX's {@code raw_data} holds it, little-endian. The data's
 * length always equals the dims' product times the element size; {@link #of} refuses anything else.
 */
public final class OnnxTensor {
    private final String name;
    private final TensorType type;
    private final long[] dims;
    private final byte[] data;

    private OnnxTensor(String name, TensorType type, long[] dims, byte[] data) {
        this.name = name;
        this.type = type;
        this.dims = dims;
        this.data = data;
    }

    /**
     * A tensor over {@code data}, which it keeps (callers hand over the array). Dims must be >= 0 and
     * their product times the element size must be the data's length.
     */
    public static OnnxTensor of(String name, TensorType type, long[] dims, byte[] data) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        long count = elementCount(name, dims);
        long expected = Counts.product(count, type.bytes());
        if (expected != data.length) {
            throw new IllegalArgumentException("tensor '" + name + "' of dims " + Arrays.toString(dims) + " and type "
                    + type + " needs " + expected + " bytes of data, got " + data.length);
        }
        return new OnnxTensor(name, type, dims.clone(), data);
    }

    /** The number of elements dims describe, refusing negative dims; saturates rather than overflowing. */
    static long elementCount(String name, long[] dims) {
        for (long d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has a negative dim in " + Arrays.toString(dims));
            }
        }
        return Counts.product(dims);
    }

    public static OnnxTensor ofFloats(String name, float[] values, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(values.length, 4)).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return of(name, TensorType.FLOAT, dims, b.array());
    }

    public static OnnxTensor ofLongs(String name, long[] values, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(values.length, 8)).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return of(name, TensorType.INT64, dims, b.array());
    }

    public String name() {
        return name;
    }

    public TensorType type() {
        return type;
    }

    public long[] dims() {
        return dims.clone();
    }

    public int rank() {
        return dims.length;
    }

    public long elementCount() {
        return data.length / type.bytes();
    }

    /** The data as ONNX's raw_data holds it, little-endian; a read-only view, not a copy. */
    public ByteBuffer rawData() {
        return ByteBuffer.wrap(data).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The elements as floats: FLOAT as they are, DOUBLE and FLOAT16 converted; other types are refused. */
    public float[] floats() {
        ByteBuffer b = rawData();
        float[] out = new float[(int) elementCount()];
        switch (type) {
            case FLOAT -> b.asFloatBuffer().get(out);
            case DOUBLE -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) b.getDouble(8 * i);
                }
            }
            case FLOAT16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = Float.float16ToFloat(b.getShort(2 * i));
                }
            }
            default -> throw new IllegalArgumentException("tensor '" + name + "' holds " + type + ", not floating-point values");
        }
        return out;
    }

    /** The elements as longs: any integer type, widened; floating-point types are refused. */
    public long[] longs() {
        ByteBuffer b = rawData();
        long[] out = new long[(int) elementCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (type) {
                case INT64, UINT64 -> b.getLong(8 * i);
                case INT32 -> b.getInt(4 * i);
                case UINT32 -> Integer.toUnsignedLong(b.getInt(4 * i));
                case INT16 -> b.getShort(2 * i);
                case UINT16 -> Short.toUnsignedInt(b.getShort(2 * i));
                case INT8 -> b.get(i);
                case UINT8, BOOL -> Byte.toUnsignedInt(b.get(i));
                default -> throw new IllegalArgumentException("tensor '" + name + "' holds " + type + ", not integers");
            };
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OnnxTensor t && name.equals(t.name) && type == t.type && Arrays.equals(dims, t.dims)
                && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, Arrays.hashCode(dims), Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "OnnxTensor[" + name + ", " + type + ", " + Arrays.toString(dims) + "]";
    }
}
