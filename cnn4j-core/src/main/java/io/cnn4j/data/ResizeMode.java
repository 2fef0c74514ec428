package io.cnn4j.data;

import java.util.Locale;

/**
 * How a picture of another aspect ratio is fitted to a model's input size: {@code STRETCH} resizes to the
 * size and distorts the picture; {@code CROP} resizes the shorter side to fit and cuts the centre out of
 * the longer one (torchvision's {@code Resize(size)} then {@code CenterCrop(size)}); {@code PAD} resizes the
 * longer side to fit and centres the picture on black.
 */
public enum ResizeMode {
    STRETCH,
    CROP,
    PAD;

    /** {@code "stretch"}, {@code "crop"} or {@code "pad"}, in any case. */
    public static ResizeMode parse(String name) {
        for (ResizeMode m : values()) {
            if (m.id().equals(name.strip().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("resize mode '" + name + "' must be stretch, crop or pad");
    }

    /** The name {@link #parse} reads. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
