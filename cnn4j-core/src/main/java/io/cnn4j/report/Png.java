package io.cnn4j.report;

import io.cnn4j.tensor.Tensor;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * PNG files written directly (signature, IHDR, one zlib IDAT, IEND; 8-bit RGB, no filter): a report
 * writes dozens of small pictures after every epoch, and this costs microseconds where the first use of
 * ImageIO loads AWT and its codec registry, a noticeable share of a short training run.
 */
public final class Png {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private Png() {
    }

    /**
     * A PNG of {@code width x height} pixels given as packed {@code 0xRRGGBB} values, row-major.
     *
     * @throws IllegalArgumentException when the sizes are not positive or do not match the pixels
     */
    public static byte[] encode(int width, int height, int[] rgb) {
        if (width < 1 || height < 1 || (long) width * height != rgb.length) {
            throw new IllegalArgumentException("png: " + rgb.length + " pixels for a " + width + " x " + height + " picture");
        }
        byte[] raw = new byte[height * (1 + 3 * width)];
        int o = 0;
        for (int y = 0; y < height; y++) {
            raw[o++] = 0; // filter type: none
            for (int x = 0; x < width; x++) {
                int v = rgb[y * width + x];
                raw[o++] = (byte) (v >> 16);
                raw[o++] = (byte) (v >> 8);
                raw[o++] = (byte) v;
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 2 + 64);
        out.writeBytes(SIGNATURE);
        ByteBuffer header = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", header.array());
        chunk(out, "IDAT", deflate(raw));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    /** The picture {@code [1, C, H, W]} (values in [0, 1], gray or colour) as a PNG. */
    public static byte[] of(Tensor picture) {
        return encode(picture.dim(3), picture.dim(2), rgb(picture));
    }

    /** {@code png} as a {@code data:} URI, to inline in a page. */
    public static String dataUri(byte[] png) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    }

    /** The picture {@code [1, C, H, W]} in [0, 1] as packed RGB; a gray picture repeats its channel. */
    static int[] rgb(Tensor picture) {
        int channels = picture.dim(1);
        int plane = picture.dim(2) * picture.dim(3);
        float[] p = picture.data();
        int[] out = new int[plane];
        for (int i = 0; i < plane; i++) {
            int v = 0;
            for (int c = 0; c < 3; c++) {
                v = (v << 8) | Math.round(Math.clamp(p[Math.min(c, channels - 1) * plane + i], 0f, 1f) * 255f);
            }
            out[i] = v;
        }
        return out;
    }

    private static byte[] deflate(byte[] raw) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        try {
            deflater.setInput(raw);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 2 + 64);
            byte[] buffer = new byte[8192];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] name = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(name);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
