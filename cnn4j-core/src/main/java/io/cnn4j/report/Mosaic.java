package io.cnn4j.report;

import io.cnn4j.explain.Viridis;

import java.util.Arrays;
import java.util.List;

/**
 * Small pictures of one size laid out in a grid with a one-pixel white gap, as one PNG: a layer's
 * filters or feature maps in one picture rather than dozens of tiny files.
 */
final class Mosaic {
    private static final int GAP = 1;
    private static final int WHITE = 0xFFFFFF;
    /** Viridis in 256 steps, packed RGB: finer than the eye can tell, and a look-up per pixel. */
    private static final int[] VIRIDIS = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            float[] c = Viridis.rgb(i / 255f);
            VIRIDIS[i] = Math.round(c[0]) << 16 | Math.round(c[1]) << 8 | Math.round(c[2]);
        }
    }

    private Mosaic() {
    }

    /** The tiles (packed RGB, each {@code width x height}) in rows of {@code columns}. */
    static Picture of(List<int[]> tiles, int width, int height, int columns) {
        int cols = Math.min(columns, tiles.size());
        int rows = (tiles.size() + cols - 1) / cols;
        int w = cols * width + (cols - 1) * GAP;
        int h = rows * height + (rows - 1) * GAP;
        int[] out = new int[w * h];
        Arrays.fill(out, WHITE);
        for (int t = 0; t < tiles.size(); t++) {
            int x0 = (t % cols) * (width + GAP);
            int y0 = (t / cols) * (height + GAP);
            int[] tile = tiles.get(t);
            for (int y = 0; y < height; y++) {
                System.arraycopy(tile, y * width, out, (y0 + y) * w + x0, width);
            }
        }
        return new Picture(w, h, out);
    }

    /** {@code values[offset .. offset + n)} scaled from their own range to [0, 1] and coloured by {@link Viridis}. */
    static int[] viridis(float[] values, int offset, int n) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            min = Math.min(min, values[offset + i]);
            max = Math.max(max, values[offset + i]);
        }
        float scale = max > min ? 255f / (max - min) : 0f;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = VIRIDIS[(int) ((values[offset + i] - min) * scale + 0.5f)];
        }
        return out;
    }

    /** A picture as packed RGB. */
    record Picture(int width, int height, int[] rgb) {
        String dataUri() {
            return Png.dataUri(Png.encode(width, height, rgb));
        }

        /**
         * The picture made smaller, each side at most {@code maxSide} pixels, by an integer factor, each new
         * pixel the mean of the block it covers: a page of 224 x 224 photos would otherwise pass any size a
         * browser loads comfortably. A picture small enough is returned as it is.
         */
        Picture shrunk(int maxSide) {
            int factor = (Math.max(width, height) + maxSide - 1) / maxSide;
            if (factor <= 1) {
                return this;
            }
            int w = width / factor;
            int h = height / factor;
            int[] out = new int[w * h];
            int area = factor * factor;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int r = 0;
                    int g = 0;
                    int b = 0;
                    for (int dy = 0; dy < factor; dy++) {
                        for (int dx = 0; dx < factor; dx++) {
                            int v = rgb[(y * factor + dy) * width + x * factor + dx];
                            r += v >> 16 & 0xFF;
                            g += v >> 8 & 0xFF;
                            b += v & 0xFF;
                        }
                    }
                    out[y * w + x] = (r + area / 2) / area << 16 | (g + area / 2) / area << 8 | (b + area / 2) / area;
                }
            }
            return new Picture(w, h, out);
        }
    }
}
