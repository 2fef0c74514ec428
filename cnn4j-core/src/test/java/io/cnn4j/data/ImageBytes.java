package io.cnn4j.data;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/** Small pictures encoded by ImageIO, and their headers rewritten to lie about their size, for tests. */
final class ImageBytes {
    /** Where a PNG keeps its width and height (big-endian ints in the IHDR chunk, after its type). */
    static final int PNG_WIDTH = 16;
    static final int PNG_HEIGHT = 20;
    /** Where a BMP keeps its width and height (little-endian ints in the info header). */
    static final int BMP_WIDTH = 18;
    static final int BMP_HEIGHT = 22;

    private ImageBytes() {
    }

    /** A {@code w x h} image of {@code type} with a gradient in it, so that no two neighbours are equal. */
    static BufferedImage gradient(int w, int h, int type) {
        BufferedImage image = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, 0x80000000 | (x * 40 % 256) << 16 | (y * 50 % 256) << 8 | (x + y) * 20 % 256);
            }
        }
        return image;
    }

    static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format + " of this image type");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Where a baseline JPEG keeps its height (big-endian, in the frame header; the width follows it). */
    static int jpegHeight(byte[] jpeg) {
        for (int i = 2; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xff) == 0xFF && (jpeg[i + 1] & 0xff) == 0xC0) {
                return i + 5; // marker, length (2), precision (1)
            }
        }
        throw new IllegalArgumentException("no baseline frame header in this JPEG");
    }

    /** The PNG {@code png} with a header that claims {@code w x h}, checksum and all: only the data disagrees. */
    static byte[] pngClaiming(byte[] png, int w, int h) {
        byte[] out = png.clone();
        ByteBuffer b = ByteBuffer.wrap(out);
        b.putInt(PNG_WIDTH, w).putInt(PNG_HEIGHT, h);
        CRC32 crc = new CRC32();
        crc.update(out, 12, 17); // the chunk type and its 13 bytes of data
        b.putInt(29, (int) crc.getValue());
        return out;
    }
}
