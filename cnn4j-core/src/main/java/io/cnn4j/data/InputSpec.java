package io.cnn4j.data;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import io.cnn4j.tensor.Shape;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a model takes and gives, recorded in its file so that a raw photo can be turned into exactly the
 * input training made: the shape of one image {@code [C, H, W]} (or of one clip, {@code [C, T, H, W]}), the names of the classes (by label), the
 * {@link Preprocessing} that turns a picture file into pixels (its colour and size always resolved to the
 * shape's), and the per-channel {@link Normalize} applied after (null: plain pixels in [0, 1]).
 *
 * <p>A model file without these keys predates them: it is a Fashion-MNIST model ({@link #FASHION_MNIST}).
 */
public record InputSpec(Shape shape, List<String> classNames, Preprocessing preprocessing, Normalize normalize) {
    /** Metadata key of the image shape, {@code CxHxW} such as {@code 3x32x32}, or a clip's {@code CxTxHxW}. */
    public static final String SHAPE_KEY = "cnn4j.input_shape";
    /** Metadata key of the class names, a JSON array of strings. */
    public static final String CLASSES_KEY = "cnn4j.class_names";
    /** Metadata key of the preprocessing, {@link Preprocessing#spec()}. */
    public static final String PREPROCESSING_KEY = "cnn4j.preprocessing";
    /** Metadata key of the normalisation, {@link Normalize#spec()}, e.g. {@code 0.286:0.353}. */
    public static final String NORMALIZE_KEY = "cnn4j.normalize";
    /** More classes than any classifier has; a longer list is a damaged file. */
    public static final int MAX_CLASSES = 1_000_000;
    /** Fashion-MNIST's input: 28x28 gray pictures, stretched to fit, ten classes, no normalisation. */
    public static final InputSpec FASHION_MNIST = new InputSpec(Shape.of(1, 28, 28), Datasets.FASHION_MNIST_CLASSES,
            new Preprocessing(ColorMode.GRAY, 28, 28, ResizeMode.STRETCH), null);

    private static final Pattern SHAPE = Pattern.compile("(\\d{1,2})x(?:(\\d{1,5})x)?(\\d{1,5})x(\\d{1,5})");
    /** More frames than any clip a model takes; a longer one is a damaged file. */
    public static final int MAX_FRAMES = 4096;

    public InputSpec {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(preprocessing, "preprocessing");
        classNames = List.copyOf(classNames);
        if (shape.rank() != 3 && shape.rank() != 4) {
            throw new IllegalArgumentException("an input shape is [C, H, W], or [C, T, H, W] for clips, got " + shape);
        }
        int height = shape.dim(shape.rank() - 2);
        int width = shape.dim(shape.rank() - 1);
        ColorMode color = ColorMode.ofChannels(shape.dim(0));
        if (classNames.size() < 2 || classNames.size() > MAX_CLASSES) {
            throw new IllegalArgumentException("a classifier has from 2 to " + MAX_CLASSES + " classes, got " + classNames.size());
        }
        if (preprocessing.color() != color || preprocessing.height() != height || preprocessing.width() != width) {
            throw new IllegalArgumentException("preprocessing '" + preprocessing.spec() + "' does not make images of the"
                    + " input shape " + format(shape) + " (it must say color=" + color.id() + " size=" + height + "x"
                    + width + ")");
        }
        if (normalize != null && normalize.channels() != shape.dim(0)) {
            throw new IllegalArgumentException("normalisation " + normalize.spec() + " is for " + normalize.channels()
                    + " channel(s), but the input has " + shape.dim(0));
        }
    }

    /**
     * The spec of a model trained on images of {@code shape} with {@code classNames}: the preprocessing that
     * made them, its colour and size resolved to the shape's, fitting the aspect ratio by {@code resize}.
     */
    public static InputSpec of(Shape shape, List<String> classNames, ResizeMode resize, Normalize normalize) {
        Preprocessing preprocessing = new Preprocessing(ColorMode.ofChannels(shape.dim(0)), shape.dim(shape.rank() - 2),
                shape.dim(shape.rank() - 1), resize);
        return new InputSpec(shape, classNames, preprocessing, normalize);
    }

    /** This spec with {@code normalize} instead. */
    public InputSpec withNormalize(Normalize other) {
        return new InputSpec(shape, classNames, preprocessing, other);
    }

    /** Whether the model takes clips, {@code [C, T, H, W]}, rather than pictures. */
    public boolean isClip() {
        return shape.rank() == 4;
    }

    public int classes() {
        return classNames.size();
    }

    /** Adds this spec's keys to a model file's {@code metadata}. */
    public void toMetadata(Map<String, String> metadata) {
        metadata.put(SHAPE_KEY, format(shape));
        metadata.put(CLASSES_KEY, new Gson().toJson(classNames));
        metadata.put(PREPROCESSING_KEY, preprocessing.spec());
        if (normalize != null) {
            metadata.put(NORMALIZE_KEY, normalize.spec());
        }
    }

    /**
     * The spec a model file's {@code metadata} records; {@link #FASHION_MNIST} (with the file's normalisation,
     * if any) for a file that records none.
     *
     * @throws IllegalArgumentException naming the key whose value is missing or damaged
     */
    public static InputSpec fromMetadata(Map<String, String> metadata) {
        Normalize normalize = normalize(metadata.get(NORMALIZE_KEY));
        List<String> keys = List.of(SHAPE_KEY, CLASSES_KEY, PREPROCESSING_KEY);
        if (keys.stream().noneMatch(metadata::containsKey)) {
            return FASHION_MNIST.withNormalize(normalize);
        }
        for (String key : keys) {
            if (metadata.get(key) == null) {
                throw new IllegalArgumentException("the model's metadata records its input only in part: '" + key
                        + "' is missing");
            }
        }
        Shape shape = parseShape(metadata.get(SHAPE_KEY));
        List<String> classes = parseClasses(metadata.get(CLASSES_KEY));
        Preprocessing preprocessing;
        try {
            preprocessing = Preprocessing.parse(metadata.get(PREPROCESSING_KEY));
        } catch (IllegalArgumentException e) {
            throw invalid(PREPROCESSING_KEY, metadata.get(PREPROCESSING_KEY), e.getMessage(), e);
        }
        try {
            return new InputSpec(shape, classes, preprocessing, normalize);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the model's metadata describes an input that does not hold together: "
                    + e.getMessage(), e);
        }
    }

    /** {@code CxHxW}, the form {@link #SHAPE_KEY} holds; {@code CxTxHxW} for a clip's {@code [C, T, H, W]}. */
    public static String format(Shape image) {
        StringBuilder s = new StringBuilder();
        for (int d : image.dims()) {
            s.append(s.isEmpty() ? "" : "x").append(d);
        }
        return s.toString();
    }

    /**
     * Reads {@code CxHxW} (C = 1 or 3, sides up to {@link Preprocessing#MAX_SIDE}), or a clip's
     * {@code CxTxHxW} (T from 1 to {@link #MAX_FRAMES}).
     */
    public static Shape parseShape(String text) {
        Matcher m = SHAPE.matcher(text.strip());
        if (!m.matches()) {
            throw invalid(SHAPE_KEY, text, "expected CxHxW such as 3x32x32, or CxTxHxW for clips such as 1x8x32x32", null);
        }
        int c = Integer.parseInt(m.group(1));
        int h = Integer.parseInt(m.group(3));
        int w = Integer.parseInt(m.group(4));
        if (c != 1 && c != 3 || h < 1 || w < 1 || h > Preprocessing.MAX_SIDE || w > Preprocessing.MAX_SIDE) {
            throw invalid(SHAPE_KEY, text, "images have 1 or 3 channels and sides from 1 to " + Preprocessing.MAX_SIDE, null);
        }
        if (m.group(2) == null) {
            return Shape.of(c, h, w);
        }
        int t = Integer.parseInt(m.group(2));
        if (t < 1 || t > MAX_FRAMES) {
            throw invalid(SHAPE_KEY, text, "clips have from 1 to " + MAX_FRAMES + " frames", null);
        }
        return Shape.of(c, t, h, w);
    }

    private static List<String> parseClasses(String json) {
        String[] names;
        try {
            names = new Gson().fromJson(json, String[].class);
        } catch (JsonParseException | IllegalStateException e) {
            throw invalid(CLASSES_KEY, json, "expected a JSON array of strings", e);
        }
        if (names == null || Arrays.asList(names).contains(null)) {
            throw invalid(CLASSES_KEY, json, "expected a JSON array of strings", null);
        }
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!seen.add(name)) {
                throw invalid(CLASSES_KEY, json, "class '" + name + "' is named twice", null);
            }
        }
        return List.of(names);
    }

    private static Normalize normalize(String spec) {
        try {
            return spec == null ? null : Normalize.parse(spec);
        } catch (IllegalArgumentException e) {
            throw invalid(NORMALIZE_KEY, spec, e.getMessage(), e);
        }
    }

    /** A damaged value, quoted at most in part, and why (which may quote it too): metadata may be long or hostile. */
    private static IllegalArgumentException invalid(String key, String value, String why, Throwable cause) {
        return new IllegalArgumentException("the model's metadata '" + key + "' is damaged ('" + shortened(value, 80)
                + "'): " + shortened(why, 200), cause);
    }

    private static String shortened(String text, int most) {
        return text.length() > most ? text.substring(0, most) + "..." : text;
    }
}
