package io.cnn4j.data;

/**
 * Reads netpbm gray and colour maps, which the JDK's ImageIO does not: PGM ({@code P5} binary, {@code P2}
 * text) and PPM ({@code P6} binary, {@code P3} text), with a maxval up to 65535 (two bytes per sample,
 * most significant first, above 255). Samples are scaled to bytes by rounding {@code v * 255 / maxval};
 * a PGM gives one channel, a PPM three.
 */
final class Netpbm {
    private static final int MAX_VALUE = 65535;

    private final byte[] bytes;
    private final String source;
    private int at = 2;

    private Netpbm(byte[] bytes, String source) {
        this.bytes = bytes;
        this.source = source;
    }

    /** Whether {@code bytes} start as a netpbm file does: {@code P1} to {@code P6} and a blank. */
    static boolean matches(byte[] bytes) {
        return bytes.length >= 3 && bytes[0] == 'P' && bytes[1] >= '1' && bytes[1] <= '6' && blank(bytes[2]);
    }

    /** The picture in a file that {@link #matches}, after its size is checked by {@link ImageDecoder#checkSize}. */
    static Picture read(byte[] bytes, String source) throws DataFileException {
        return new Netpbm(bytes, source).read();
    }

    private Picture read() throws DataFileException {
        char kind = (char) bytes[1];
        if (kind == '1' || kind == '4') {
            throw new DataFileException(source, source + " is a PBM bitmap (P" + kind + "), which cnn4j does not read;"
                    + " save it as PGM, PNG or another gray format");
        }
        int width = header("width", 1, Integer.MAX_VALUE);
        int height = header("height", 1, Integer.MAX_VALUE);
        ImageDecoder.checkSize(source, width, height);
        int max = header("maxval", 1, MAX_VALUE);
        boolean text = kind == '2' || kind == '3';
        int channels = kind == '2' || kind == '5' ? 1 : 3;
        int plane = height * width;
        // Checked before allocating, so that a short file cannot claim a large picture: a text sample takes at
        // least a digit and a blank, a binary one one or two bytes after the header's last blank.
        int size = max > 255 ? 2 : 1;
        long samples = (long) plane * channels;
        if (text ? 2 * samples - 1 > bytes.length - at : samples * size > bytes.length - at - 1) {
            throw truncated();
        }
        byte[] planar = new byte[channels * plane];
        if (text) {
            for (int i = 0; i < plane; i++) {
                for (int c = 0; c < channels; c++) {
                    planar[c * plane + i] = scale(header("sample", 0, max), max);
                }
            }
            return new Picture(planar, channels, height, width);
        }
        at++; // the single blank that ends the header
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < channels; c++) {
                int v = bytes[at++] & 0xff;
                if (size == 2) {
                    v = v << 8 | bytes[at++] & 0xff;
                }
                if (v > max) {
                    throw new DataFileException(source, source + " has a sample of " + v + ", above its maxval of " + max);
                }
                planar[c * plane + i] = scale(v, max);
            }
        }
        return new Picture(planar, channels, height, width);
    }

    private static byte scale(int v, int max) {
        return (byte) (max == 255 ? v : (v * 510L + max) / (2L * max));
    }

    /** The next decimal number, after blanks and {@code #} comments, that must lie in {@code [min, max]}. */
    private int header(String what, int min, int max) throws DataFileException {
        while (at < bytes.length && (blank(bytes[at]) || bytes[at] == '#')) {
            if (bytes[at] == '#') {
                while (at < bytes.length && bytes[at] != '\n' && bytes[at] != '\r') {
                    at++;
                }
            } else {
                at++;
            }
        }
        if (at >= bytes.length) {
            throw truncated();
        }
        long v = 0;
        int start = at;
        while (at < bytes.length && bytes[at] >= '0' && bytes[at] <= '9' && v <= max) {
            v = v * 10 + bytes[at++] - '0';
        }
        if (at == start || v < min || v > max || at < bytes.length && !blank(bytes[at])) {
            throw new DataFileException(source, source + " is not a valid netpbm file: its " + what
                    + " must be a number from " + min + " to " + max);
        }
        return (int) v;
    }

    private DataFileException truncated() {
        return new DataFileException(source, source + " is truncated: it ends before its image data does");
    }

    private static boolean blank(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == 0x0B || b == 0x0C;
    }
}
