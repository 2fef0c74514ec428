package io.cnn4j.cli;

import io.cnn4j.data.ColorMode;
import io.cnn4j.data.Preprocessing;
import io.cnn4j.data.ResizeMode;
import picocli.CommandLine.Option;

/**
 * How picture files become a model's input: {@code --color}, {@code --image-size} and {@code --resize}. A
 * trained model records what they resolved to, so only training chooses them (and evaluation of a model
 * that records none).
 */
final class PictureOptions {

    @Option(names = "--color", paramLabel = "MODE",
            description = "rgb or gray: convert every picture to it (gray by luma, as PIL). Default: follow the data"
                    + " (gray pictures stay gray, any other becomes RGB).")
    String color;

    @Option(names = "--image-size", paramLabel = "H[xW]",
            description = "Resize every picture to H x W pixels (64 is 64x64), antialiased as PIL and torchvision do."
                    + " Default: the pictures' own size, which they must share.")
    String imageSize;

    @Option(names = "--resize", paramLabel = "MODE",
            description = "With --image-size, how a picture of another aspect ratio is fitted: stretch (default), crop"
                    + " (the centre) or pad (with black).")
    String resize;

    /** Whether any of the options was given. */
    boolean given() {
        return color != null || imageSize != null || resize != null;
    }

    /** The options as given, before the data says what "own" colour and size are; checked. */
    Preprocessing preprocessing() {
        if (resize != null && imageSize == null) {
            throw new IllegalArgumentException("--resize " + resize + " says how pictures are fitted to --image-size,"
                    + " and none is given");
        }
        ColorMode mode = color == null ? null : parse("--color", () -> ColorMode.parse(color));
        ResizeMode fit = resize == null ? ResizeMode.STRETCH : parse("--resize", () -> ResizeMode.parse(resize));
        if (imageSize == null) {
            return new Preprocessing(mode, 0, 0, fit);
        }
        int[] size = parse("--image-size", () -> Preprocessing.parseSize(imageSize));
        return new Preprocessing(mode, size[0], size[1], fit);
    }

    private static <T> T parse(String option, java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }
}
