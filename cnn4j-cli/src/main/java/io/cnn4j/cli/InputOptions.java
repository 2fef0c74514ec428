package io.cnn4j.cli;

import io.cnn4j.data.InputSpec;
import io.cnn4j.data.Normalize;
import io.cnn4j.data.ResizeMode;
import io.cnn4j.tensor.Shape;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a model built from weights alone takes and tells apart ({@code --input}, {@code --classes},
 * {@code --normalize}): a weights file records no input, so these say it, or the file's metadata does
 * when it records one.
 */
final class InputOptions {
    @Option(names = "--input", paramLabel = "CxHxW", description = "The shape of the images the model takes, e.g."
            + " 3x32x32: a built-in model is built for them, and pictures are resized to them (default: what the"
            + " weights' file records; summary assumes 1x28x28).")
    String shape;

    @Option(names = "--classes", paramLabel = "N|NAMES", description = "The classes the model tells apart: their number"
            + " (named 0, 1, ...) or their names, comma-separated, e.g. cat,dog (default: what the file records, or"
            + " as many as the weights' last layer gives; 10 for a built-in model alone).")
    String classes;

    @Option(names = "--normalize", paramLabel = "MEAN:STD", description = "For weights alone, the per-channel"
            + " normalisation the model was trained with, e.g. 0.485,0.456,0.406:0.229,0.224,0.225 (default: none).")
    String normalize;

    boolean given() {
        return shape != null || classes != null || normalize != null;
    }

    /** The first of these options given, for messages that refuse them. */
    String first() {
        return shape != null ? "--input" : classes != null ? "--classes" : "--normalize";
    }

    /** The image shape --input gives, or null. */
    Shape shape() {
        if (shape == null) {
            return null;
        }
        try {
            return InputSpec.parseShape(shape);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--input " + shape + ": give the shape of one image as CxHxW, C being 1 or"
                    + " 3, e.g. 3x32x32", e);
        }
    }

    /** The class names --classes gives (a number N names them 0 to N - 1), or null. */
    List<String> classNames() {
        if (classes == null) {
            return null;
        }
        String text = classes.strip();
        if (!text.isEmpty() && text.length() < 10 && text.chars().allMatch(Character::isDigit)) {
            int n = Integer.parseInt(text);
            Bounds.between("--classes", n, 2, InputSpec.MAX_CLASSES);
            return numbered(n);
        }
        List<String> names = List.of(text.split(",", -1)).stream().map(String::strip).toList();
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (name.isEmpty() || !seen.add(name)) {
                throw new IllegalArgumentException("--classes " + classes + ": give a number of classes or their names,"
                        + " comma-separated, each once" + (name.isEmpty() ? "" : " ('" + name + "' is named twice)"));
            }
        }
        if (names.size() < 2) {
            throw new IllegalArgumentException("--classes " + classes + ": a classifier tells apart at least 2 classes;"
                    + " give their number or their names, comma-separated");
        }
        return names;
    }

    /**
     * What a model built from the weights in {@code file} takes: the shape --input gives, else the one its
     * {@code metadata} records, else {@code fallback} (null: refused, naming --input); the classes --classes
     * gives, else those recorded, else {@code inferred} many (refused, naming --classes, when it gives 0);
     * the normalisation --normalize gives, else the one recorded.
     */
    InputSpec resolve(Path file, Map<String, String> metadata, Shape fallback, ClassCount inferred) throws IOException {
        boolean records = metadata.containsKey(InputSpec.SHAPE_KEY);
        InputSpec recorded;
        try {
            recorded = InputSpec.fromMetadata(metadata);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        Shape image = shape() != null ? shape() : records ? recorded.shape() : fallback;
        if (image == null) {
            throw new IllegalArgumentException(file + " holds weights alone, which do not say the size of the pictures"
                    + " the model takes: give it as --input CxHxW (such as 3x224x224)");
        }
        List<String> names = classNames() != null ? classNames() : records ? recorded.classNames() : null;
        if (names == null) {
            int n = inferred.of(image);
            if (n == 0) {
                throw new IllegalArgumentException(file + " holds weights alone, whose layers do not show how many classes"
                        + " the model tells apart: give them as --classes N or --classes NAME,NAME,...");
            }
            names = numbered(n);
        }
        Normalize norm = recorded.normalize();
        if (normalize != null) {
            try {
                norm = Normalize.parse(normalize);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--normalize " + normalize + ": " + e.getMessage(), e);
            }
        }
        try {
            return InputSpec.of(image, names, ResizeMode.STRETCH, norm);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException((normalize != null ? "--normalize " + normalize : file.toString()) + ": "
                    + e.getMessage(), e);
        }
    }

    /** How many classes the model for images of {@code image} tells apart, 0 when its weights do not show it. */
    interface ClassCount {
        int of(Shape image) throws IOException;
    }

    private static List<String> numbered(int n) {
        List<String> names = new ArrayList<>(n);
        for (int c = 0; c < n; c++) {
            names.add(Integer.toString(c));
        }
        return names;
    }
}
