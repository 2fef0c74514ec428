package io.cnn4j.data;

import java.util.Locale;

/**
 * How a picture of another aspect ratio is fitted to a model's input size {@code H x W}; every resize is
 * PIL's antialiased bilinear one.
 * <ul>
 * <li>{@code STRETCH} resizes to {@code H x W}, distorting the picture when the ratios differ.
 * <li>{@code CROP} scales the picture so that it covers {@code H x W} (by the larger of {@code H / h} and
 * {@code W / w}; the other side's length truncated as torchvision truncates it) and cuts out the centre,
 * the offset rounded as torchvision's {@code CenterCrop} rounds it: for a square size, exactly
 * torchvision's {@code Resize(size)} then {@code CenterCrop(size)}. Nothing is distorted; the edges of the
 * longer side are lost.
 * <li>{@code PAD} scales the picture so that it fits inside {@code H x W} (by the smaller factor) and
 * centres it on black. Nothing is distorted or lost; the bands beside it are black.
 * </ul>
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
