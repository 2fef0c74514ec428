package io.cnn4j.onnx;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Protocol Buffers' wire format, written into a growing byte array: one message. A nested message is
 * written into a writer of its own and then added whole, its length known.
 */
final class ProtoWriter {
    private byte[] bytes = new byte[64];
    private int size;

    void varint(int field, long value) {
        tag(field, ProtoReader.VARINT);
        rawVarint(value);
    }

    void float32(int field, float value) {
        tag(field, ProtoReader.FIXED32);
        int bits = Float.floatToRawIntBits(value);
        ensure(4);
        for (int i = 0; i < 4; i++) {
            bytes[size++] = (byte) (bits >>> 8 * i);
        }
    }

    void string(int field, String value) {
        bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    void bytes(int field, byte[] value) {
        bytes(field, value, value.length);
    }

    void message(int field, ProtoWriter inner) {
        bytes(field, inner.bytes, inner.size);
    }

    private void bytes(int field, byte[] value, int length) {
        tag(field, ProtoReader.LENGTH_DELIMITED);
        rawVarint(length);
        ensure(length);
        System.arraycopy(value, 0, bytes, size, length);
        size += length;
    }

    private void tag(int field, int wireType) {
        rawVarint((long) field << 3 | wireType);
    }

    private void rawVarint(long value) {
        ensure(10);
        while ((value & ~0x7FL) != 0) {
            bytes[size++] = (byte) (value & 0x7F | 0x80);
            value >>>= 7;
        }
        bytes[size++] = (byte) value;
    }

    private void ensure(int more) {
        long needed = (long) size + more;
        if (needed > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the model is larger than one ONNX file can hold (2 GB)");
        }
        if (needed > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, 2L * bytes.length)));
        }
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }
}
