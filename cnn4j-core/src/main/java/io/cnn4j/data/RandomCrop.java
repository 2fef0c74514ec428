package io.cnn4j.data;

import io.cnn4j.tensor.Rng;

/**
 * torchvision's {@code RandomCrop(size, padding)} at the image's own size: pads {@code padding} zero
 * pixels on every side and cuts a window of the original size at a uniformly random place, so the
 * picture moves by up to {@code padding} pixels each way and zeros fill what it leaves. The top offset
 * is drawn before the left one, each uniform in {@code [0, 2 * padding]}.
 */
public record RandomCrop(int padding) implements ImageTransform {
    public RandomCrop {
        if (padding < 0) {
            throw new IllegalArgumentException("random crop: padding must be >= 0, got " + padding);
        }
    }

    @Override
    public void apply(float[] pixels, int offset, int channels, int height, int width, Rng rng) {
        int dy = rng.nextInt(2 * padding + 1) - padding;
        int dx = rng.nextInt(2 * padding + 1) - padding;
        Shift.move(pixels, offset, channels, height, width, dy, dx);
    }
}
