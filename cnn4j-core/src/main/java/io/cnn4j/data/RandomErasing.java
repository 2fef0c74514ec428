package io.cnn4j.data;

import io.cnn4j.tensor.Rng;

import java.util.Arrays;

/**
 * torchvision's {@code RandomErasing(p, scale, ratio, value)} (Zhong et al., 2020): with probability
 * {@code p}, fills a random rectangle of every channel with {@code value}. Up to ten tries draw an area
 * (a fraction of the image, uniform in {@code [scaleMin, scaleMax]}) and an aspect ratio (log-uniform in
 * {@code [ratioMin, ratioMax]}), round them to a height and width the way Python's {@code round} does,
 * and take the first rectangle that fits strictly inside, at a uniformly random place; if none fits the
 * image is left alone. Applied after normalisation, {@code value} 0 is the mean pixel.
 */
public record RandomErasing(double p, double scaleMin, double scaleMax, double ratioMin, double ratioMax, float value)
        implements ImageTransform {
    private static final int ATTEMPTS = 10;

    public RandomErasing {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("random erasing: probability must be in [0, 1], got " + p);
        }
        if (!(scaleMin > 0 && scaleMin <= scaleMax && scaleMax <= 1)) {
            throw new IllegalArgumentException("random erasing: scale must satisfy 0 < min <= max <= 1, got ["
                    + scaleMin + ", " + scaleMax + "]");
        }
        if (!(ratioMin > 0 && ratioMin <= ratioMax)) {
            throw new IllegalArgumentException("random erasing: ratio must satisfy 0 < min <= max, got ["
                    + ratioMin + ", " + ratioMax + "]");
        }
    }

    /** torchvision's defaults: scale [0.02, 0.33], ratio [0.3, 3.3], value 0. */
    public static RandomErasing of(double p) {
        return new RandomErasing(p, 0.02, 0.33, 0.3, 3.3, 0f);
    }

    @Override
    public void apply(float[] pixels, int offset, int channels, int height, int width, Rng rng) {
        if (!(rng.nextDouble() < p)) {
            return;
        }
        double area = (double) height * width;
        double logMin = Math.log(ratioMin);
        double logMax = Math.log(ratioMax);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            double eraseArea = area * (scaleMin + (scaleMax - scaleMin) * rng.nextDouble());
            double aspect = Math.exp(logMin + (logMax - logMin) * rng.nextDouble());
            int h = (int) Math.rint(Math.sqrt(eraseArea * aspect));
            int w = (int) Math.rint(Math.sqrt(eraseArea / aspect));
            if (h < height && w < width) {
                int top = rng.nextInt(height - h + 1);
                int left = rng.nextInt(width - w + 1);
                fill(pixels, offset, channels, height, width, top, left, h, w);
                return;
            }
        }
    }

    private void fill(float[] pixels, int offset, int channels, int height, int width, int top, int left, int h, int w) {
        for (int c = 0; c < channels; c++) {
            for (int y = top; y < top + h; y++) {
                int row = offset + (c * height + y) * width;
                Arrays.fill(pixels, row + left, row + left + w, value);
            }
        }
    }
}
