package io.cnn4j.cli;

import io.cnn4j.data.Augmentation;
import io.cnn4j.data.ColorJitter;
import io.cnn4j.data.Dataset;
import io.cnn4j.data.HorizontalFlip;
import io.cnn4j.data.ImageTransform;
import io.cnn4j.data.Normalize;
import io.cnn4j.data.RandomCrop;
import io.cnn4j.data.RandomErasing;
import io.cnn4j.data.RandomResizedCrop;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code cnn4j train}'s augmentation and normalisation options. Training images go through them in
 * torchvision's usual order: random resized crop, random crop, flip, colour jitter (on pixels in [0, 1]),
 * normalise, random erasing (so erased pixels are 0 after normalisation, the mean).
 */
final class AugmentationOptions {
    /** The first check, before the images' size is known; {@link #checkFits} then holds it to the images. */
    private static final int MAX_PADDING = 4096;
    /** A colour jitter strength above this is a typing mistake: 1 already allows factors from 0 to 2. */
    private static final double MAX_JITTER = 10;

    @Option(names = "--resized-crop", paramLabel = "MIN_SCALE", defaultValue = "none",
            description = "Random resized crop: cut out a random window of MIN_SCALE to all of the image's area (aspect 3/4"
                    + " to 4/3) and resize it back to the image's size (torchvision RandomResizedCrop, e.g. 0.08); 0 or"
                    + " none: off (default).")
    String resizedCrop;

    @Option(names = "--crop-padding", paramLabel = "N", defaultValue = "0",
            description = "Random crop: pad training images with N zero pixels and cut out a random window of the original"
                    + " size, shifting them by up to N pixels (torchvision RandomCrop); 0: off (default).")
    int cropPadding;

    @Option(names = "--hflip", negatable = true, description = "Mirror half of the training images left to right (RandomHorizontalFlip).")
    boolean hflip;

    @Option(names = "--color-jitter", paramLabel = "B[,C[,S]]", defaultValue = "none",
            description = "Colour jitter: scale brightness, contrast and saturation by random factors from 1-x to 1+x"
                    + " (torchvision ColorJitter), e.g. 0.4 or 0.4,0.4,0.2; a missing one is 0, off; none: off (default).")
    String colorJitter;

    @Option(names = "--random-erasing", paramLabel = "P", defaultValue = "0",
            description = "Blank a random rectangle (2-33%% of the image, aspect 0.3-3.3) of each training image with"
                    + " probability P (torchvision RandomErasing, value 0); 0: off (default).")
    double erasing;

    @Option(names = "--normalize", paramLabel = "SPEC", defaultValue = "none",
            description = "Per-channel normalisation of all images: none (default), dataset (the training images' mean and"
                    + " std) or MEAN:STD, comma-separated per channel, e.g. 0.286:0.353. Saved with the model for eval and"
                    + " predict.")
    String normalize;

    /** Checks the values before any data is read. */
    void validate() {
        minScale();
        jitter();
        Bounds.between("--crop-padding", cropPadding, 0, MAX_PADDING);
        if (!(erasing >= 0 && erasing <= 1)) {
            throw new IllegalArgumentException("--random-erasing must be a probability in [0, 1], got " + erasing);
        }
        if (!normalize.equals("none") && !normalize.equals("dataset")) {
            parse();
        }
    }

    /** Refuses a crop that would leave none of an image of {@code height} x {@code width} pixels. */
    void checkFits(int height, int width) {
        int max = Math.min(height, width) - 1;
        if (cropPadding > max) {
            throw new IllegalArgumentException("--crop-padding " + cropPadding + " shifts the " + width + "x" + height
                    + " images so far that a crop could hold none of the picture; give at most " + max);
        }
    }

    /** The normalisation to apply, computed from {@code train} for "dataset"; null for none. */
    Normalize normalization(Dataset train) {
        return switch (normalize) {
            case "none" -> null;
            case "dataset" -> Normalize.of(train);
            default -> {
                Normalize n = parse();
                if (n.channels() != train.channels()) {
                    throw new IllegalArgumentException("--normalize " + normalize + " gives " + n.channels()
                            + " channel(s) but the images have " + train.channels());
                }
                yield n;
            }
        };
    }

    /** The smallest area of a random resized crop, or 0 for none. */
    private double minScale() {
        String text = resizedCrop.strip();
        if (text.equals("none")) {
            return 0;
        }
        double scale;
        try {
            scale = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--resized-crop '" + resizedCrop + "' must be the smallest fraction of the"
                    + " image's area a window may have, e.g. 0.08, or 0 or none for off", e);
        }
        if (scale != 0) {
            Bounds.between("--resized-crop", scale, 0, 1);
        }
        return scale;
    }

    /** The colour jitter's brightness, contrast and saturation strengths, or null for none. */
    private double[] jitter() {
        String text = colorJitter.strip();
        if (text.equals("none")) {
            return null;
        }
        String[] parts = text.split(",", -1);
        if (parts.length > 3) {
            throw new IllegalArgumentException("--color-jitter '" + colorJitter + "' has " + parts.length
                    + " values; give brightness[,contrast[,saturation]], e.g. 0.4,0.4,0.2");
        }
        String[] names = {"brightness", "contrast", "saturation"};
        double[] strengths = new double[3];
        for (int i = 0; i < parts.length; i++) {
            try {
                strengths[i] = Double.parseDouble(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--color-jitter '" + colorJitter + "': the " + names[i] + " strength '"
                        + parts[i].strip() + "' is not a number; give brightness[,contrast[,saturation]], e.g. 0.4,0.4,0.2", e);
            }
            Bounds.between("--color-jitter " + names[i], strengths[i], 0, MAX_JITTER);
        }
        return strengths[0] == 0 && strengths[1] == 0 && strengths[2] == 0 ? null : strengths;
    }

    private Normalize parse() {
        try {
            return Normalize.parse(normalize);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--normalize: " + e.getMessage() + "; or give none or dataset", e);
        }
    }

    /** The training transforms with their own {@code seed}, or null when there are none. */
    Augmentation build(long seed, Normalize normalization) {
        List<ImageTransform> transforms = new ArrayList<>();
        if (minScale() > 0) {
            transforms.add(RandomResizedCrop.of(minScale()));
        }
        if (cropPadding > 0) {
            transforms.add(new RandomCrop(cropPadding));
        }
        if (hflip) {
            transforms.add(new HorizontalFlip(0.5));
        }
        double[] jitter = jitter();
        if (jitter != null) {
            transforms.add(new ColorJitter(jitter[0], jitter[1], jitter[2]));
        }
        if (normalization != null) {
            transforms.add(normalization);
        }
        if (erasing > 0) {
            transforms.add(RandomErasing.of(erasing));
        }
        return transforms.isEmpty() ? null : new Augmentation(seed, transforms);
    }

    /** One line for the run's header, or null when training images are used as they are. */
    String describe(Normalize normalization) {
        List<String> parts = new ArrayList<>();
        if (minScale() > 0) {
            parts.add(String.format(Locale.ROOT, "random resized crop (scale %s to 1, ratio 3/4 to 4/3)", minScale()));
        }
        if (cropPadding > 0) {
            parts.add("random crop (padding " + cropPadding + ")");
        }
        if (hflip) {
            parts.add("horizontal flip");
        }
        double[] jitter = jitter();
        if (jitter != null) {
            parts.add(String.format(Locale.ROOT, "colour jitter (brightness %s, contrast %s, saturation %s)",
                    jitter[0], jitter[1], jitter[2]));
        }
        if (normalization != null) {
            parts.add("normalise " + normalization.spec());
        }
        if (erasing > 0) {
            parts.add(String.format(Locale.ROOT, "random erasing (p %s)", erasing));
        }
        return parts.isEmpty() ? null : String.join(", ", parts);
    }
}
