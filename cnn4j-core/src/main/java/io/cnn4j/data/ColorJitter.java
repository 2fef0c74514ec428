package io.cnn4j.data;

import io.cnn4j.tensor.Rng;

import java.util.Arrays;

/**
 * torchvision's {@code ColorJitter(brightness, contrast, saturation)} on images in [0, 1]: each image gets
 * factors drawn uniformly from {@code [max(0, 1 - x), 1 + x]} for each non-zero {@code x}, and the
 * adjustments applied in an order drawn per image (a random permutation, drawn before the factors, as
 * torchvision draws them). Each adjustment blends the image with another and clamps to [0, 1]:
 * {@code f * image + (1 - f) * other}, where the other is black for brightness, the mean of the image's
 * grayscale version for contrast, and the grayscale version itself for saturation (gray is
 * {@code 0.2989 R + 0.587 G + 0.114 B}, torchvision's {@code rgb_to_grayscale}). Saturation leaves a
 * one-channel image as it is, as torchvision does.
 *
 * <p>Meant to run before normalisation, on pixels in [0, 1].
 */
public record ColorJitter(double brightness, double contrast, double saturation) implements ImageTransform {
    static final int BRIGHTNESS = 0;
    static final int CONTRAST = 1;
    static final int SATURATION = 2;

    public ColorJitter {
        check("brightness", brightness);
        check("contrast", contrast);
        check("saturation", saturation);
    }

    private static void check(String what, double x) {
        if (!(x >= 0 && x < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("colour jitter: " + what + " must be a finite number >= 0, got " + x);
        }
    }

    @Override
    public void apply(float[] pixels, int offset, int channels, int height, int width, Rng rng) {
        int[] order = rng.permutation(3);
        double[] factors = {factor(brightness, rng), factor(contrast, rng), factor(saturation, rng)};
        for (int op : order) {
            if (!Double.isNaN(factors[op])) {
                adjust(op, factors[op], pixels, offset, channels, height, width);
            }
        }
    }

    /** A factor uniform in {@code [max(0, 1 - x), 1 + x]}, or NaN (and nothing drawn) for {@code x = 0}. */
    private static double factor(double x, Rng rng) {
        if (x == 0) {
            return Double.NaN;
        }
        double lo = Math.max(0, 1 - x);
        return lo + (1 + x - lo) * rng.nextDouble();
    }

    /** torchvision's {@code adjust_brightness}, {@code adjust_contrast} or {@code adjust_saturation} by {@code f}. */
    static void adjust(int op, double f, float[] pixels, int offset, int channels, int height, int width) {
        int plane = height * width;
        int n = channels * plane;
        if (op == SATURATION && channels == 1) {
            return;
        }
        if (op != BRIGHTNESS && channels != 1 && channels != 3) {
            throw new IllegalArgumentException("colour jitter: contrast and saturation need gray (1 channel) or RGB"
                    + " (3 channels) images, got " + channels + " channels");
        }
        float[] gray = op == BRIGHTNESS ? null : channels == 3 ? gray(pixels, offset, plane)
                : Arrays.copyOfRange(pixels, offset, offset + plane);
        float mean = 0;
        if (op == CONTRAST) {
            double sum = 0;
            for (float v : gray) {
                sum += v;
            }
            mean = (float) (sum / plane);
        }
        float ratio = (float) f;
        float rest = (float) (1.0 - f);
        for (int i = 0; i < n; i++) {
            float other = switch (op) {
                case BRIGHTNESS -> 0f;
                case CONTRAST -> mean;
                default -> gray[i % plane];
            };
            float v = ratio * pixels[offset + i] + rest * other;
            pixels[offset + i] = v < 0 ? 0 : v > 1 ? 1 : v;
        }
    }

    private static float[] gray(float[] pixels, int offset, int plane) {
        float[] gray = new float[plane];
        for (int i = 0; i < plane; i++) {
            gray[i] = 0.2989f * pixels[offset + i] + 0.587f * pixels[offset + plane + i] + 0.114f * pixels[offset + 2 * plane + i];
        }
        return gray;
    }
}
