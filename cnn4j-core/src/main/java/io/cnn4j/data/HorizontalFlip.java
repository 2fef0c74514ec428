package io.cnn4j.data;

import io.cnn4j.tensor.Rng;

/** torchvision's {@code RandomHorizontalFlip(p)}: mirrors the image left to right with probability {@code p}. */
public record HorizontalFlip(double p) implements ImageTransform {
    public HorizontalFlip {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("horizontal flip: probability must be in [0, 1], got " + p);
        }
    }

    @Override
    public void apply(float[] pixels, int offset, int channels, int height, int width, Rng rng) {
        if (!(rng.nextDouble() < p)) {
            return;
        }
        mirror(pixels, offset, channels, height, width);
    }

    /** Mirrors one image at {@code offset} left to right, in place. */
    public static void mirror(float[] pixels, int offset, int channels, int height, int width) {
        for (int row = 0; row < channels * height; row++) {
            int left = offset + row * width;
            for (int a = left, b = left + width - 1; a < b; a++, b--) {
                float t = pixels[a];
                pixels[a] = pixels[b];
                pixels[b] = t;
            }
        }
    }
}
