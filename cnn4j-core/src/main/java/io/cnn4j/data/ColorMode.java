package io.cnn4j.data;

import java.util.Locale;

/** The channels a picture becomes: three (red, green, blue) or one (gray, by ITU-R 601-2 luma as PIL's {@code convert("L")}). */
public enum ColorMode {
    RGB(3),
    GRAY(1);

    private final int channels;

    ColorMode(int channels) {
        this.channels = channels;
    }

    public int channels() {
        return channels;
    }

    /** The mode of {@code channels} channels: 1 is gray, 3 is RGB. */
    public static ColorMode ofChannels(int channels) {
        return switch (channels) {
            case 1 -> GRAY;
            case 3 -> RGB;
            default -> throw new IllegalArgumentException("images of " + channels + " channels are neither gray (1) nor RGB (3)");
        };
    }

    /** {@code "rgb"} or {@code "gray"} (also {@code "grey"}), in any case. */
    public static ColorMode parse(String name) {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "rgb" -> RGB;
            case "gray", "grey" -> GRAY;
            default -> throw new IllegalArgumentException("colour mode '" + name + "' must be rgb or gray");
        };
    }

    /** The name {@link #parse} reads. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
