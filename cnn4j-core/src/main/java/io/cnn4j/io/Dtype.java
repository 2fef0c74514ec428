package io.cnn4j.io;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * The element types a safetensors header may name, with their size in bytes. cnn4j computes in float32;
 * the floating-point types PyTorch users export ({@code F16}, {@code BF16}, {@code F64}) and the integer
 * types of counters ({@code I64}, as batch norm's {@code num_batches_tracked}, and {@code I32}) are
 * converted on reading (integers exactly up to 2^24), the others are known only so a header that uses
 * them can still be listed and checked.
 */
public enum Dtype {
    BOOL(1), U8(1), I8(1), F8_E5M2(1), F8_E4M3(1), I16(2), U16(2), F16(2), BF16(2),
    I32(4), U32(4), F32(4), F64(8), I64(8), U64(8);

    private final int size;

    Dtype(int size) {
        this.size = size;
    }

    /** Bytes per element. */
    public int size() {
        return size;
    }

    /** Whether {@link SafeTensors#read} can turn this type into float32 values. */
    public boolean loadable() {
        return this == F32 || this == F16 || this == BF16 || this == F64 || this == I64 || this == I32;
    }

    /** The types cnn4j reads, for messages. */
    public static List<Dtype> loadableTypes() {
        return Arrays.stream(values()).filter(Dtype::loadable).toList();
    }

    /** The type with this exact name (as in a header: {@code "F32"}), or null when there is none. */
    static Dtype byName(String name) {
        for (Dtype d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    /**
     * Converts {@code count} elements from {@code src} (little-endian, at its position) into
     * {@code dst[offset..]} as float32, and advances {@code src} past them.
     */
    void decode(ByteBuffer src, float[] dst, int offset, int count) {
        switch (this) {
            case F32 -> src.asFloatBuffer().get(dst, offset, count);
            case F64 -> {
                DoubleBuffer d = src.asDoubleBuffer();
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = (float) d.get(i);
                }
            }
            case F16 -> {
                ShortBuffer h = src.asShortBuffer();
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = Float.float16ToFloat(h.get(i));
                }
            }
            case BF16 -> {
                // bfloat16 is the top half of a float32, so widening is exact.
                ShortBuffer h = src.asShortBuffer();
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = Float.intBitsToFloat((h.get(i) & 0xFFFF) << 16);
                }
            }
            case I64 -> {
                LongBuffer l = src.asLongBuffer();
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = (float) l.get(i);
                }
            }
            case I32 -> {
                IntBuffer n = src.asIntBuffer();
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = (float) n.get(i);
                }
            }
            default -> throw new IllegalStateException(this + " is not a loadable dtype");
        }
        src.position(src.position() + count * size);
    }
}
