package io.cnn4j.data;

import java.util.Objects;

/**
 * A decoded picture as a model's data holds it: {@code channels * height * width} unsigned bytes,
 * row-major {@code [C, H, W]} (planar, as a tensor is, not interleaved as a file is), C = 1 or 3.
 */
public record Picture(byte[] pixels, int channels, int height, int width) {
    public Picture {
        Objects.requireNonNull(pixels, "pixels");
        if (channels < 1 || height < 1 || width < 1 || (long) channels * height * width != pixels.length) {
            throw new IllegalArgumentException("a picture of [" + channels + ", " + height + ", " + width + "] needs "
                    + (long) channels * height * width + " bytes, got " + pixels.length);
        }
    }
}
