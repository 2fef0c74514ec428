package io.cnn4j.data;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What is done to a picture file before a model sees it: the colour mode it is converted to, and the size
 * it is resized to (with antialiasing) and how its aspect ratio is fitted. A null colour keeps the
 * picture's own (gray stays gray, anything else becomes RGB); a size of 0 keeps the picture's size.
 *
 * <p>Training records the preprocessing it used in the model file ({@link #spec()}), so evaluation and
 * prediction turn a raw photo into exactly the tensor training would have made of it.
 */
public record Preprocessing(ColorMode color, int height, int width, ResizeMode resize) {
    /** The picture as it is: own colours, own size. */
    public static final Preprocessing NONE = new Preprocessing(null, 0, 0, ResizeMode.STRETCH);

    private static final Pattern SIZE = Pattern.compile("(\\d{1,5})(?:[xX](\\d{1,5}))?");
    /** Larger sides than this are a typing mistake, not a model input. */
    public static final int MAX_SIDE = 16384;

    public Preprocessing {
        Objects.requireNonNull(resize, "resize");
        if ((height == 0) != (width == 0) || height < 0 || width < 0 || height > MAX_SIDE || width > MAX_SIDE) {
            throw new IllegalArgumentException("image size " + height + "x" + width + " must be two sides from 1 to "
                    + MAX_SIDE + ", or 0x0 to keep each picture's size");
        }
    }

    /** Whether pictures are resized. */
    public boolean resizes() {
        return height > 0;
    }

    /** This preprocessing converting to {@code mode}. */
    public Preprocessing withColor(ColorMode mode) {
        return new Preprocessing(mode, height, width, resize);
    }

    /** This preprocessing resizing to {@code h x w} by {@code mode}. */
    public Preprocessing withSize(int h, int w, ResizeMode mode) {
        return new Preprocessing(color, h, w, mode);
    }

    /**
     * Reads {@code H} or {@code HxW} (height first, as torchvision's {@code Resize((h, w))}), the form of
     * {@code --image-size}: {@code 64} is 64x64, {@code 48x64} is 48 high and 64 wide.
     */
    public static int[] parseSize(String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("image size '" + text + "' must be H or HxW in pixels, e.g. 64 or 48x64");
        }
        int h = Integer.parseInt(m.group(1));
        int w = m.group(2) == null ? h : Integer.parseInt(m.group(2));
        if (h < 1 || w < 1 || h > MAX_SIDE || w > MAX_SIDE) {
            throw new IllegalArgumentException("image size '" + text + "' must have sides from 1 to " + MAX_SIDE);
        }
        return new int[] {h, w};
    }

    /**
     * A one-line form for a model file's metadata and a cache's key, read back by {@link #parse}:
     * {@code color=rgb size=64x64 resize=crop}, with {@code color=own} and {@code size=own} for what is kept.
     */
    public String spec() {
        return "color=" + (color == null ? "own" : color.id()) + " size=" + (resizes() ? height + "x" + width : "own")
                + " resize=" + resize.id();
    }

    /** Reads {@link #spec()}'s form. */
    public static Preprocessing parse(String spec) {
        ColorMode color = null;
        int[] size = {0, 0};
        ResizeMode resize = ResizeMode.STRETCH;
        for (String part : spec.strip().split("\\s+")) {
            int eq = part.indexOf('=');
            String key = eq < 0 ? part : part.substring(0, eq);
            String value = eq < 0 ? "" : part.substring(eq + 1);
            switch (key) {
                case "color" -> color = value.equals("own") ? null : ColorMode.parse(value);
                case "size" -> size = value.equals("own") ? new int[] {0, 0} : parseSize(value);
                case "resize" -> resize = ResizeMode.parse(value);
                default -> throw new IllegalArgumentException("preprocessing '" + spec + "': unknown part '" + part
                        + "' (expected color=, size= and resize=)");
            }
        }
        return new Preprocessing(color, size[0], size[1], resize);
    }
}
