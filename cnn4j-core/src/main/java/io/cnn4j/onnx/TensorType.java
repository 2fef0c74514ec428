package io.cnn4j.onnx;

/**
 * The element types of ONNX tensors that cnn4j reads, with their codes in the format and their sizes in
 * bytes. Others (strings, 4- and 8-bit floats, complex numbers) are refused by name where a tensor has one.
 */
public enum TensorType {
    FLOAT(1, 4),
    UINT8(2, 1),
    INT8(3, 1),
    UINT16(4, 2),
    INT16(5, 2),
    INT32(6, 4),
    INT64(7, 8),
    BOOL(9, 1),
    FLOAT16(10, 2),
    DOUBLE(11, 8),
    UINT32(12, 4),
    UINT64(13, 8),
    BFLOAT16(16, 2);

    private final int code;
    private final int bytes;

    TensorType(int code, int bytes) {
        this.code = code;
        this.bytes = bytes;
    }

    public int code() {
        return code;
    }

    /** Bytes per element in {@code raw_data}, little-endian. */
    public int bytes() {
        return bytes;
    }

    /** The type with this code, or null for a code cnn4j does not read. */
    public static TensorType of(int code) {
        for (TensorType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }

    /** A name for messages, also for codes cnn4j does not read: {@code "FLOAT"}, {@code "STRING (8)"}. */
    public static String describe(int code) {
        TensorType t = of(code);
        if (t != null) {
            return t.name();
        }
        return switch (code) {
            case 0 -> "UNDEFINED (0)";
            case 8 -> "STRING (8)";
            case 14 -> "COMPLEX64 (14)";
            case 15 -> "COMPLEX128 (15)";
            default -> "type " + code;
        };
    }
}
