package io.cnn4j.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One change a fuzzer makes to a file's bytes. Positions and lengths are taken modulo the size of what
 * they apply to, so any mutation applies to any file and jqwik can shrink them freely.
 */
public sealed interface Mutation {
    byte[] apply(byte[] in);

    /** Applies {@code mutations} in order. */
    static byte[] applyAll(byte[] in, List<Mutation> mutations) {
        byte[] out = in;
        for (Mutation m : mutations) {
            out = m.apply(out);
        }
        return out;
    }

    /** Flips one bit. */
    record FlipBit(int position, int bit) implements Mutation {
        public byte[] apply(byte[] in) {
            if (in.length == 0) {
                return in;
            }
            byte[] out = in.clone();
            out[position % in.length] ^= (byte) (1 << (bit & 7));
            return out;
        }
    }

    /** Sets one byte, often to a telling value: 0, 0xFF, 0x7F, 0x80. */
    record SetByte(int position, byte value) implements Mutation {
        public byte[] apply(byte[] in) {
            if (in.length == 0) {
                return in;
            }
            byte[] out = in.clone();
            out[position % in.length] = value;
            return out;
        }

        @Override
        public String toString() {
            return "SetByte[" + position + ", 0x" + HexFormat.of().toHexDigits(value) + "]";
        }
    }

    /** Keeps the first {@code length} bytes (modulo the size plus one, so any length from empty to whole). */
    record Truncate(int length) implements Mutation {
        public byte[] apply(byte[] in) {
            return Arrays.copyOf(in, length % (in.length + 1));
        }
    }

    /** Inserts bytes at a position. */
    record Insert(int position, byte[] bytes) implements Mutation {
        public byte[] apply(byte[] in) {
            int at = position % (in.length + 1);
            byte[] out = new byte[in.length + bytes.length];
            System.arraycopy(in, 0, out, 0, at);
            System.arraycopy(bytes, 0, out, at, bytes.length);
            System.arraycopy(in, at, out, at + bytes.length, in.length - at);
            return out;
        }

        @Override
        public String toString() {
            return "Insert[" + position + ", " + HexFormat.of().formatHex(bytes) + "]";
        }
    }

    /** Deletes up to {@code count} bytes from a position. */
    record Delete(int position, int count) implements Mutation {
        public byte[] apply(byte[] in) {
            if (in.length == 0) {
                return in;
            }
            int at = position % in.length;
            int n = Math.min(count, in.length - at);
            byte[] out = new byte[in.length - n];
            System.arraycopy(in, 0, out, 0, at);
            System.arraycopy(in, at + n, out, at, in.length - at - n);
            return out;
        }
    }

    /** Copies a range of the file to another place in it: repeated chunks, members, layers. */
    record Duplicate(int from, int count, int to) implements Mutation {
        public byte[] apply(byte[] in) {
            if (in.length == 0) {
                return in;
            }
            int start = from % in.length;
            byte[] chunk = Arrays.copyOfRange(in, start, Math.min(in.length, start + count));
            return new Insert(to, chunk).apply(in);
        }
    }

    /** Overwrites 1, 2, 4 or 8 bytes with a value, big- or little-endian: a lying length or dimension field. */
    record PutNumber(int position, long value, int width, boolean bigEndian) implements Mutation {
        public byte[] apply(byte[] in) {
            if (in.length < width) {
                return in;
            }
            byte[] out = in.clone();
            int at = position % (in.length - width + 1);
            for (int i = 0; i < width; i++) {
                int shift = 8 * (bigEndian ? width - 1 - i : i);
                out[at + i] = (byte) (value >>> shift);
            }
            return out;
        }
    }

    /**
     * Replaces the text of one JSON string (its {@code occurrence}-th, counting from 0 and wrapping) by
     * {@code word}: a layer type swapped for another, an argument renamed, a dtype changed.
     */
    record ReplaceString(int occurrence, String word) implements Mutation {
        private static final Pattern STRING = Pattern.compile("\"([^\"\\\\]*)\"");

        public byte[] apply(byte[] in) {
            String text = new String(in, StandardCharsets.ISO_8859_1);
            List<int[]> found = STRING.matcher(text).results().map(r -> new int[] {r.start(1), r.end(1)}).toList();
            if (found.isEmpty()) {
                return in;
            }
            int[] at = found.get(occurrence % found.size());
            return (text.substring(0, at[0]) + word + text.substring(at[1])).getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * Replaces one number written in a text format (a run of digits, with sign, fraction and exponent)
     * by another, such as {@code 46000} or {@code 1e400}: the lying sizes of JSON headers and descriptions.
     */
    record ReplaceNumber(int occurrence, String number) implements Mutation {
        private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?");

        public byte[] apply(byte[] in) {
            String text = new String(in, StandardCharsets.ISO_8859_1); // one char per byte: offsets stay
            Matcher m = NUMBER.matcher(text);
            int count = 0;
            while (m.find()) {
                count++;
            }
            if (count == 0) {
                return in;
            }
            m.reset();
            for (int i = 0; i <= occurrence % count; i++) {
                m.find();
            }
            String out = text.substring(0, m.start()) + number + text.substring(m.end());
            return out.getBytes(StandardCharsets.ISO_8859_1);
        }
    }
}
