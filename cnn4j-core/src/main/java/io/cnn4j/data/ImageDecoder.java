package io.cnn4j.data;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Decodes a picture file into the unsigned-byte {@code [C, H, W]} a data set holds, converted and resized
 * as a {@link Preprocessing} says.
 */
public final class ImageDecoder {
    private ImageDecoder() {
    }

    /** The picture in {@code file}, preprocessed by {@code preprocessing}. */
    public static Picture read(Path file, Preprocessing preprocessing) throws DataFileException {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new DataFileException(file.toString(), file + " cannot be decoded as an image: " + DataFileException.reason(e), e);
        }
        if (image == null) {
            throw new DataFileException(file.toString(), file + " is not an image in a format this Java can read");
        }
        if (preprocessing.resizes() && (image.getHeight() != preprocessing.height() || image.getWidth() != preprocessing.width())) {
            throw new DataFileException(file.toString(), file + " is " + image.getWidth() + "x" + image.getHeight()
                    + ", and resizing is not available yet");
        }
        Raster raster = image.getRaster();
        boolean gray = raster.getNumBands() < 3;
        ColorMode mode = preprocessing.color() != null ? preprocessing.color() : gray ? ColorMode.GRAY : ColorMode.RGB;
        int h = image.getHeight();
        int w = image.getWidth();
        byte[] out = new byte[mode.channels() * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = raster.getSample(x, y, 0);
                int g = gray ? r : raster.getSample(x, y, 1);
                int b = gray ? r : raster.getSample(x, y, 2);
                int i = y * w + x;
                if (mode == ColorMode.GRAY) {
                    out[i] = (byte) ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
                } else {
                    out[i] = (byte) r;
                    out[h * w + i] = (byte) g;
                    out[2 * h * w + i] = (byte) b;
                }
            }
        }
        return new Picture(out, mode.channels(), h, w);
    }
}
