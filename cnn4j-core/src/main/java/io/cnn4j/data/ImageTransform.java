package io.cnn4j.data;

import io.cnn4j.tensor.Rng;

/**
 * Changes one image in place, like a torchvision transform: the {@code channels * height * width} floats
 * of {@code pixels} from {@code offset}, row-major {@code [C, H, W]}. Random transforms draw from
 * {@code rng} in a fixed order, so the same generator state gives the same result.
 */
@FunctionalInterface
public interface ImageTransform {
    void apply(float[] pixels, int offset, int channels, int height, int width, Rng rng);
}
