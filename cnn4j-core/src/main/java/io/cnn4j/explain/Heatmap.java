package io.cnn4j.explain;

import java.util.Arrays;

/** A map of importance over a picture's rows and columns, {@code [height, width]}, row-major. */
public final class Heatmap {
    private final int height;
    private final int width;
    private final float[] values;

    /** Takes {@code values} (row-major, {@code height * width} of them) without copying. */
    public Heatmap(int height, int width, float[] values) {
        if (height < 1 || width < 1 || (long) height * width != values.length) {
            throw new IllegalArgumentException("heatmap: " + values.length + " values for a " + height + " x " + width + " map");
        }
        this.height = height;
        this.width = width;
        this.values = values;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public float get(int y, int x) {
        return values[y * width + x];
    }

    /** A copy of the values, row-major. */
    public float[] values() {
        return values.clone();
    }

    /**
     * The map resized to {@code height x width} by bilinear interpolation with pixel centres aligned as
     * PyTorch's {@code F.interpolate(mode='bilinear', align_corners=False)} aligns them, to lay it over
     * the picture it explains.
     */
    public Heatmap upsampled(int newHeight, int newWidth) {
        if (newHeight < 1 || newWidth < 1) {
            throw new IllegalArgumentException("heatmap: cannot resize to " + newHeight + " x " + newWidth);
        }
        float[] out = new float[newHeight * newWidth];
        for (int y = 0; y < newHeight; y++) {
            float sy = source(y, height, newHeight);
            int y0 = (int) sy;
            int y1 = Math.min(y0 + 1, height - 1);
            float ly = sy - y0;
            for (int x = 0; x < newWidth; x++) {
                float sx = source(x, width, newWidth);
                int x0 = (int) sx;
                int x1 = Math.min(x0 + 1, width - 1);
                float lx = sx - x0;
                out[y * newWidth + x] = (1 - ly) * ((1 - lx) * get(y0, x0) + lx * get(y0, x1))
                        + ly * ((1 - lx) * get(y1, x0) + lx * get(y1, x1));
            }
        }
        return new Heatmap(newHeight, newWidth, out);
    }

    /** Where output pixel {@code i}'s centre falls in the input, clamped at the first pixel as PyTorch clamps it. */
    private static float source(int i, int in, int out) {
        float scale = (float) in / out;
        return Math.max(scale * (i + 0.5f) - 0.5f, 0f);
    }

    /** The map divided by its largest value, so it spans [0, 1] for a non-negative map; an all-zero map stays zero. */
    public Heatmap normalised() {
        float max = 0f;
        for (float v : values) {
            max = Math.max(max, v);
        }
        float[] out = values.clone();
        if (max > 0f) {
            for (int i = 0; i < out.length; i++) {
                out[i] /= max;
            }
        }
        return new Heatmap(height, width, out);
    }

    @Override
    public String toString() {
        return "Heatmap[" + height + " x " + width + "]" + (values.length <= 16 ? " " + Arrays.toString(values) : "");
    }
}
