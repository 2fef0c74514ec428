package io.cnn4j.data;

import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Turns a decoded raster into a planar byte {@link Picture} by reading its samples as stored: gray or RGB
 * bands (with alpha, if any), or palette indices expanded through the palette. Samples of other depths are
 * scaled to 8 bits by rounding {@code v * 255 / max}; alpha is composited over black. Rasters of bytes laid
 * out pixel by pixel (what PNG, JPEG and BMP decode to) are read straight from their buffer; any other
 * through {@link Raster#getPixels}, a row at a time. One instance reads one raster.
 */
final class RasterSamples {
    private final int colours;
    private final int bands;
    private final int[] max;
    private final int alpha;
    private final boolean premultiplied;
    /** A palette's red, green, blue and alpha by index, or null. */
    private final int[][] palette;
    private boolean transparent;

    private RasterSamples(int colours, int bands, int[] max, int alpha, boolean premultiplied, int[][] palette) {
        this.colours = colours;
        this.bands = bands;
        this.max = max;
        this.alpha = alpha;
        this.premultiplied = premultiplied;
        this.palette = palette;
    }

    /** For a palette: one channel if it holds only grays, else three. */
    static RasterSamples palette(IndexColorModel cm) {
        int size = Math.max(cm.getMapSize(), 1 << Math.min(16, cm.getPixelSize()));
        int[][] table = new int[4][size];
        boolean gray = true;
        for (int i = 0; i < cm.getMapSize(); i++) {
            table[0][i] = cm.getRed(i);
            table[1][i] = cm.getGreen(i);
            table[2][i] = cm.getBlue(i);
            table[3][i] = cm.getAlpha(i);
            gray &= table[0][i] == table[1][i] && table[1][i] == table[2][i];
        }
        return new RasterSamples(gray ? 1 : 3, 1, null, -1, false, table);
    }

    /** For gray or RGB bands, in the colour model's order, alpha last if there is one. */
    static RasterSamples direct(ColorModel cm, int bands) {
        int[] max = new int[bands];
        for (int b = 0; b < bands; b++) {
            max[b] = (1 << cm.getComponentSize(b)) - 1;
        }
        int colours = cm.getNumColorComponents();
        return new RasterSamples(colours, bands, max, cm.hasAlpha() ? colours : -1, cm.isAlphaPremultiplied(), null);
    }

    /** Whether the last raster read had a pixel that was not opaque. */
    boolean transparent() {
        return transparent;
    }

    Picture read(Raster raster) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        byte[] out = new byte[colours * h * w];
        int[] row = new int[w * bands];
        ComponentSampleModel bytes = byteInterleaved(raster);
        byte[] data = bytes == null ? null : ((DataBufferByte) raster.getDataBuffer()).getData();
        int[] offsets = bytes == null ? null : bytes.getBandOffsets();
        if (bytes != null && palette == null && alpha < 0 && eightBit()) {
            copyPlanes(data, raster.getDataBuffer().getOffset(), bytes, offsets, out, h, w);
            return new Picture(out, colours, h, w);
        }
        for (int y = 0; y < h; y++) {
            if (bytes == null) {
                raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
            } else {
                int at = raster.getDataBuffer().getOffset() + y * bytes.getScanlineStride();
                int step = bytes.getPixelStride();
                for (int x = 0, i = 0; x < w; x++, at += step) {
                    for (int b = 0; b < bands; b++) {
                        row[i++] = data[at + offsets[b]] & 0xff;
                    }
                }
            }
            if (palette != null) {
                expand(row, out, y * w, w * h);
            } else {
                scale(row, out, y * w, w * h);
            }
        }
        return new Picture(out, colours, h, w);
    }

    private boolean eightBit() {
        for (int m : max) {
            if (m != 255) {
                return false;
            }
        }
        return true;
    }

    /** The common case (opaque bytes, as PNG, JPEG and BMP decode to), without the generic path's work per sample. */
    private void copyPlanes(byte[] data, int origin, ComponentSampleModel sm, int[] offsets, byte[] out, int h, int w) {
        int step = sm.getPixelStride();
        int stride = sm.getScanlineStride();
        for (int c = 0; c < colours; c++) {
            int plane = c * h * w;
            for (int y = 0; y < h; y++) {
                int from = origin + y * stride + offsets[c];
                int to = plane + y * w;
                for (int x = 0; x < w; x++) {
                    out[to + x] = data[from + x * step];
                }
            }
        }
    }

    /** The sample model of a raster of bytes, one bank, pixel after pixel, at the buffer's origin; or null. */
    private static ComponentSampleModel byteInterleaved(Raster raster) {
        if (raster.getSampleModel() instanceof ComponentSampleModel sm && raster.getDataBuffer() instanceof DataBufferByte
                && raster.getDataBuffer().getNumBanks() == 1 && raster.getSampleModelTranslateX() == 0
                && raster.getSampleModelTranslateY() == 0) {
            for (int bank : sm.getBankIndices()) {
                if (bank != 0) {
                    return null;
                }
            }
            return sm;
        }
        return null;
    }

    private void expand(int[] row, byte[] out, int at, int plane) {
        int[] r = palette[0];
        int[] g = palette[1];
        int[] b = palette[2];
        int[] a = palette[3];
        boolean seeThrough = false;
        for (int x = 0; x < row.length; x++) {
            int i = row[x];
            int opacity = a[i];
            seeThrough |= opacity < 255;
            out[at + x] = over(r[i], opacity);
            if (colours == 3) {
                out[plane + at + x] = over(g[i], opacity);
                out[2 * plane + at + x] = over(b[i], opacity);
            }
        }
        transparent |= seeThrough;
    }

    private void scale(int[] row, byte[] out, int at, int plane) {
        int n = bands;
        int w = row.length / n;
        int a = alpha;
        boolean seeThrough = false;
        for (int x = 0; x < w; x++) {
            int opacity = a < 0 ? 255 : eight(row[x * n + a], max[a]);
            seeThrough |= opacity < 255;
            if (premultiplied) {
                opacity = 255; // the colours are composited over black already
            }
            for (int c = 0; c < colours; c++) {
                out[c * plane + at + x] = over(eight(row[x * n + c], max[c]), opacity);
            }
        }
        transparent |= seeThrough;
    }

    /** {@code v} of {@code [0, max]} as a byte value, rounded. */
    private static int eight(int v, int max) {
        return max == 255 ? v : (int) ((v * 510L + max) / (2L * max));
    }

    /** {@code v} composited over black at {@code opacity} of 255, rounded. */
    private static byte over(int v, int opacity) {
        return (byte) (opacity == 255 ? v : (v * opacity + 127) / 255);
    }
}
