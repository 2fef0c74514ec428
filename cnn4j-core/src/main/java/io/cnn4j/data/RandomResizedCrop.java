package io.cnn4j.data;

import io.cnn4j.tensor.Rng;

/**
 * torchvision's {@code RandomResizedCrop(size, scale, ratio)} at the image's own size (a batch's images
 * all have one size): cuts out a random window and resizes it back to the whole image.
 *
 * <p>Up to ten attempts draw an area (a fraction of the image, uniform in {@code [scaleMin, scaleMax]}) and
 * an aspect ratio width/height (log-uniform in {@code [ratioMin, ratioMax]}), round them to a width and a
 * height as Python's {@code round} does (half to even), and take the first window that fits, its top then
 * its left uniformly drawn. If none fits, the centre window of the whole image with its aspect ratio
 * clamped to the range is taken. The window is resized by bilinear interpolation of the floats with pixel
 * centres aligned ({@code align_corners=False}, no antialiasing), as torchvision does to a tensor.
 */
public record RandomResizedCrop(double scaleMin, double scaleMax, double ratioMin, double ratioMax)
        implements ImageTransform {
    private static final int ATTEMPTS = 10;

    public RandomResizedCrop {
        if (!(scaleMin > 0 && scaleMin <= scaleMax && scaleMax <= 1)) {
            throw new IllegalArgumentException("random resized crop: scale must satisfy 0 < min <= max <= 1, got ["
                    + scaleMin + ", " + scaleMax + "]");
        }
        if (!(ratioMin > 0 && ratioMin <= ratioMax && ratioMax < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("random resized crop: ratio must satisfy 0 < min <= max, got ["
                    + ratioMin + ", " + ratioMax + "]");
        }
    }

    /** torchvision's defaults but the smallest area: scale {@code [scaleMin, 1]}, ratio {@code [3/4, 4/3]}. */
    public static RandomResizedCrop of(double scaleMin) {
        return new RandomResizedCrop(scaleMin, 1, 3.0 / 4, 4.0 / 3);
    }

    @Override
    public void apply(float[] pixels, int offset, int channels, int height, int width, Rng rng) {
        int[] window = window(height, width, rng);
        resize(pixels, offset, channels, height, width, window[0], window[1], window[2], window[3]);
    }

    /** The window {@code {top, left, height, width}}, drawn as torchvision's {@code get_params} draws it. */
    int[] window(int height, int width, Rng rng) {
        double area = (double) height * width;
        double logMin = Math.log(ratioMin);
        double logMax = Math.log(ratioMax);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            double target = area * (scaleMin + (scaleMax - scaleMin) * rng.nextDouble());
            double aspect = Math.exp(logMin + (logMax - logMin) * rng.nextDouble());
            int w = (int) Math.rint(Math.sqrt(target * aspect));
            int h = (int) Math.rint(Math.sqrt(target / aspect));
            if (w > 0 && w <= width && h > 0 && h <= height) {
                int top = rng.nextInt(height - h + 1);
                int left = rng.nextInt(width - w + 1);
                return new int[] {top, left, h, w};
            }
        }
        double ratio = (double) width / height;
        int w = width;
        int h = height;
        if (ratio < ratioMin) {
            h = (int) Math.rint(w / ratioMin);
        } else if (ratio > ratioMax) {
            w = (int) Math.rint(h * ratioMax);
        }
        return new int[] {(height - h) / 2, (width - w) / 2, h, w};
    }

    /**
     * Replaces the image by its window {@code (top, left, h, w)} resized to {@code height x width}: PyTorch's
     * bilinear {@code interpolate}, source coordinates computed in float as it computes them.
     */
    static void resize(float[] pixels, int offset, int channels, int height, int width, int top, int left, int h, int w) {
        if (h == height && w == width) {
            return; // the whole image: top and left are 0
        }
        int[] y0 = new int[height];
        int[] y1 = new int[height];
        float[] ty = new float[height];
        taps(h, height, y0, y1, ty);
        int[] x0 = new int[width];
        int[] x1 = new int[width];
        float[] tx = new float[width];
        taps(w, width, x0, x1, tx);
        float[] out = new float[channels * height * width];
        for (int c = 0; c < channels; c++) {
            int plane = offset + (c * height + top) * width + left;
            for (int y = 0; y < height; y++) {
                int r0 = plane + y0[y] * width;
                int r1 = plane + y1[y] * width;
                float b = ty[y];
                float a = 1 - b;
                for (int x = 0; x < width; x++) {
                    float d = tx[x];
                    float e = 1 - d;
                    out[(c * height + y) * width + x] = a * (e * pixels[r0 + x0[x]] + d * pixels[r0 + x1[x]])
                            + b * (e * pixels[r1 + x0[x]] + d * pixels[r1 + x1[x]]);
                }
            }
        }
        System.arraycopy(out, 0, pixels, offset, out.length);
    }

    /** For each of {@code out} positions, the two inputs of {@code in} it reads and the second's weight. */
    private static void taps(int in, int out, int[] first, int[] second, float[] weight) {
        float scale = (float) in / out;
        for (int o = 0; o < out; o++) {
            float source = Math.max(0f, scale * (o + 0.5f) - 0.5f);
            int i = (int) source;
            first[o] = i;
            second[o] = i < in - 1 ? i + 1 : i;
            weight[o] = source - i;
        }
    }
}
