package io.cnn4j.onnx;

import java.nio.charset.StandardCharsets;

/**
 * Protocol Buffers' wire format, read from a byte array: one message's span of it. Every length is
 * checked against what the span has left before anything is read or allocated, so a truncated file or
 * a length that lies fails with a sentence naming the file and the byte, never an exception from deep
 * inside or an allocation of what the length claims.
 */
final class ProtoReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final byte[] bytes;
    private final String what;
    private int position;
    private final int end;

    ProtoReader(byte[] bytes, String what) {
        this(bytes, what, 0, bytes.length);
    }

    private ProtoReader(byte[] bytes, String what, int position, int end) {
        this.bytes = bytes;
        this.what = what;
        this.position = position;
        this.end = end;
    }

    boolean hasMore() {
        return position < end;
    }

    /** Where the next read starts, for messages. */
    int position() {
        return position;
    }

    /** A field's key: its number shifted left by 3, or'ed with its wire type. */
    int readTag() throws OnnxFormatException {
        int at = position;
        long tag = readVarint();
        if (tag >>> 3 == 0 || tag >>> 3 > 0x1FFF_FFFF) {
            throw broken("a field at byte " + at + " has the invalid number " + (tag >>> 3));
        }
        return (int) tag;
    }

    long readVarint() throws OnnxFormatException {
        int at = position;
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= end) {
                throw truncated("a number at byte " + at + " runs past the end of its message");
            }
            byte b = bytes[position++];
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw broken("a number at byte " + at + " is longer than 10 bytes");
    }

    int readFixed32() throws OnnxFormatException {
        require(4, "a 4-byte value");
        int v = (bytes[position] & 0xFF) | (bytes[position + 1] & 0xFF) << 8 | (bytes[position + 2] & 0xFF) << 16
                | (bytes[position + 3] & 0xFF) << 24;
        position += 4;
        return v;
    }

    long readFixed64() throws OnnxFormatException {
        long low = Integer.toUnsignedLong(readFixed32());
        return low | (long) readFixed32() << 32;
    }

    float readFloat() throws OnnxFormatException {
        return Float.intBitsToFloat(readFixed32());
    }

    /** The span of a length-delimited field, as a reader of its own; this reader moves past it. */
    ProtoReader readMessage() throws OnnxFormatException {
        int length = readLength();
        ProtoReader inner = new ProtoReader(bytes, what, position, position + length);
        position += length;
        return inner;
    }

    byte[] readBytes() throws OnnxFormatException {
        int length = readLength();
        byte[] out = new byte[length];
        System.arraycopy(bytes, position, out, 0, length);
        position += length;
        return out;
    }

    String readString() throws OnnxFormatException {
        int length = readLength();
        String s = new String(bytes, position, length, StandardCharsets.UTF_8);
        position += length;
        return s;
    }

    private int readLength() throws OnnxFormatException {
        int at = position;
        long length = readVarint();
        if (length < 0 || length > end - position) {
            throw truncated("a length at byte " + at + " claims " + Long.toUnsignedString(length) + " bytes but only "
                    + (end - position) + " remain in its message");
        }
        return (int) length;
    }

    /** Passes over a field of this wire type that cnn4j does not read. */
    void skip(int wireType) throws OnnxFormatException {
        switch (wireType) {
            case VARINT -> readVarint();
            case FIXED64 -> {
                require(8, "an 8-byte value");
                position += 8;
            }
            case LENGTH_DELIMITED -> position += readLength();
            case FIXED32 -> {
                require(4, "a 4-byte value");
                position += 4;
            }
            default -> throw broken("a field before byte " + position + " has wire type " + wireType
                    + ", which ONNX files do not use");
        }
    }

    /** Reads one value of a repeated varint field into {@code into}, or all of them where the field is packed. */
    void readVarints(int wireType, LongList into) throws OnnxFormatException {
        if (wireType == LENGTH_DELIMITED) {
            ProtoReader packed = readMessage();
            while (packed.hasMore()) {
                into.add(packed.readVarint());
            }
        } else {
            expect(wireType, VARINT);
            into.add(readVarint());
        }
    }

    /**
     * Reads one value of a repeated 4- or 8-byte field (float, double, fixed64) into {@code into} as its
     * bits, or all of them where the field is packed.
     */
    void readFixed(int wireType, int width, LongList into) throws OnnxFormatException {
        if (wireType == LENGTH_DELIMITED) {
            ProtoReader packed = readMessage();
            if ((packed.end - packed.position) % width != 0) {
                throw broken("a packed list before byte " + position + " is not a whole number of " + width + "-byte values long");
            }
            while (packed.hasMore()) {
                into.add(width == 4 ? Integer.toUnsignedLong(packed.readFixed32()) : packed.readFixed64());
            }
        } else {
            expect(wireType, width == 4 ? FIXED32 : FIXED64);
            into.add(width == 4 ? Integer.toUnsignedLong(readFixed32()) : readFixed64());
        }
    }

    void expect(int wireType, int wanted) throws OnnxFormatException {
        if (wireType != wanted) {
            throw broken("a field before byte " + position + " has wire type " + wireType + " where " + wanted + " belongs");
        }
    }

    private void require(int count, String value) throws OnnxFormatException {
        if (end - position < count) {
            throw truncated(value + " at byte " + position + " runs past the end of its message");
        }
    }

    OnnxFormatException truncated(String detail) {
        return new OnnxFormatException(what + " is not a complete ONNX file (truncated, or a length in it is wrong): " + detail + ".");
    }

    OnnxFormatException broken(String detail) {
        return new OnnxFormatException(what + " is not a valid ONNX file: " + detail + ".");
    }
}
