package io.cnn4j.data;

import io.cnn4j.tensor.Rng;

import java.util.Arrays;

/**
 * Moves the picture by a fixed number of pixels, zeros filling what it leaves: output pixel {@code (y, x)}
 * is input pixel {@code (y + dy, x + dx)}. It is {@link RandomCrop}'s move with the offsets given, the
 * view that test-time augmentation averages over.
 */
public record Shift(int dy, int dx) implements ImageTransform {

    /** Draws nothing from {@code rng}, which may be null. */
    @Override
    public void apply(float[] pixels, int offset, int channels, int height, int width, Rng rng) {
        move(pixels, offset, channels, height, width, dy, dx);
    }

    /** Moves one image at {@code offset} in place; a copy of it is taken first only when the move is not zero. */
    static void move(float[] pixels, int offset, int channels, int height, int width, int dy, int dx) {
        if (dy == 0 && dx == 0) {
            return;
        }
        float[] source = Arrays.copyOfRange(pixels, offset, offset + channels * height * width);
        int o = offset;
        for (int c = 0; c < channels; c++) {
            int plane = c * height * width;
            for (int y = 0; y < height; y++) {
                int sy = y + dy;
                for (int x = 0; x < width; x++) {
                    int sx = x + dx;
                    boolean inside = sy >= 0 && sy < height && sx >= 0 && sx < width;
                    pixels[o++] = inside ? source[plane + sy * width + sx] : 0f;
                }
            }
        }
    }
}
