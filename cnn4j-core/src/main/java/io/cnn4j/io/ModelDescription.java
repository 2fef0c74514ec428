package io.cnn4j.io;

import com.google.gson.stream.JsonWriter;
import io.cnn4j.limits.Counts;
import io.cnn4j.limits.MemoryBudget;
import io.cnn4j.limits.TextFiles;
import io.cnn4j.limits.TooLargeException;
import io.cnn4j.nn.LayerConfig;
import io.cnn4j.nn.LayerRegistry;
import io.cnn4j.nn.Module;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A model's architecture as JSON, the form a model file's metadata carries and {@code --model-config}
 * reads: each layer is {@code {"type": ..., "args": {...}, "children": [...]}}, with {@code args} and
 * {@code children} left out when empty.
 *
 * {@snippet lang=json :
 * {"type": "Sequential", "children": [
 *   {"type": "Conv2d", "args": {"in_channels": 1, "out_channels": 32, "kernel_size": 5}},
 *   {"type": "ReLU"},
 *   {"type": "MaxPool2d", "args": {"kernel_size": 2}},
 *   {"type": "Flatten"},
 *   {"type": "Linear", "args": {"in_features": 4608, "out_features": 10}}]}
 * }
 *
 * <p>Parsing checks the description against what each layer type takes and reports the first problem
 * with its place in the JSON: {@code "children[3].args.kernel_size must be a whole number, got 2.5"}.
 * Whole-number arguments come back as {@code Integer} and other numbers as {@code Double}, the types
 * {@link Module#config()} uses, so a model's config survives {@code toJson} and {@code parse} unchanged.
 *
 * <p>The layer types a description may use are those of a {@link LayerRegistry}: cnn4j's own unless
 * the overload that takes one is given a registry that also holds the caller's.
 */
public final class ModelDescription {
    /**
     * The most values, parameters and buffers together, that {@link #build} makes a model of: one billion,
     * 4 GB as float32. A description is a few bytes whatever it claims, so its claim is checked first.
     */
    public static final long MAX_VALUES = 1_000_000_000L;
    /** The largest description file {@link #read} takes: real ones are a few kilobytes. */
    public static final long MAX_FILE_BYTES = 16_000_000;

    private ModelDescription() {
    }

    /** The architecture described by {@code json}; throws IllegalArgumentException naming where it is wrong. */
    public static LayerConfig parse(String json) {
        return parse(json, LayerRegistry.builtIn());
    }

    /** Like {@link #parse(String)}, for a description that may use the layer types of {@code layers}. */
    public static LayerConfig parse(String json, LayerRegistry layers) {
        Object root;
        try {
            root = StrictJson.parse(json);
        } catch (StrictJson.DuplicateKeyException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the model description is " + e.getMessage(), e);
        }
        return new DescriptionParser(layers).layer(root, "");
    }

    /**
     * Reads a model description file; a problem in it is reported with the file's name first. A file that
     * is not a regular file (a FIFO would block, a device never end), is larger than
     * {@link #MAX_FILE_BYTES} or is not UTF-8 text gives an {@link io.cnn4j.limits.InputFileException}
     * that says which; a UTF-8 byte-order mark is skipped.
     */
    public static LayerConfig read(Path file) throws IOException {
        return read(file, LayerRegistry.builtIn());
    }

    /** Like {@link #read(Path)}, for a description that may use the layer types of {@code layers}. */
    public static LayerConfig read(Path file, LayerRegistry layers) throws IOException {
        String json = TextFiles.readUtf8(file, "model description", MAX_FILE_BYTES);
        try {
            return parse(json, layers);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Writes the description of {@code config} as indented JSON, replacing the file atomically. */
    public static void write(Path file, LayerConfig config) throws IOException {
        OutputFiles.replace(file, (toPrettyJson(config) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Compact JSON, one line: the form stored in a model file. */
    public static String toJson(LayerConfig config) {
        return toJson(config, "");
    }

    /** JSON indented by two spaces, for a file people read and edit. */
    public static String toPrettyJson(LayerConfig config) {
        return toJson(config, "  ");
    }

    /**
     * Builds the described model, as {@link LayerRegistry#build} does (its weights not yet drawn: give it
     * {@code initialize(rng)}, or load them), but reports a layer that cannot be built with its place in
     * the description:
     * {@code "children[0] (Conv2d): Conv2d: groups=3 must divide in_channels=1 and out_channels=32"}.
     *
     * <p>Before anything is allocated the model's parameters and buffers are counted from the description
     * and checked against {@link #MAX_VALUES} and the memory the JVM has left; a model over either is refused
     * with a {@link TooLargeException} that names its largest layer:
     * {@code "the model described (2,116,046,010 parameters and buffer values, 2,116,046,000 of them in
     * children[4] (Linear)) would need 8.5 GB, more than the 4.0 GB (1,000,000,000 values) cnn4j builds a
     * model of"}.
     */
    public static Module build(LayerConfig config) {
        return build(config, LayerRegistry.builtIn());
    }

    /** Like {@link #build(LayerConfig)}, for a description that may use the layer types of {@code layers}. */
    public static Module build(LayerConfig config, LayerRegistry layers) {
        requireRoom(config, check(config, layers), layers);
        try {
            return layers.build(config);
        } catch (IllegalArgumentException e) {
            // The registry says what is wrong but not where. Checking the layers one at a time finds the culprit.
            throw locate(config, e, layers);
        }
    }

    /**
     * Checks every layer's arguments as {@link #build} would, without building anything, and returns the
     * number of parameters and buffer values the model would hold ({@link Long#MAX_VALUE} if more than a
     * long counts). The first problem is reported with its place in the description, as build reports it.
     */
    public static long check(LayerConfig config) {
        return check(config, LayerRegistry.builtIn());
    }

    /** Like {@link #check(LayerConfig)}, for a description that may use the layer types of {@code layers}. */
    public static long check(LayerConfig config, LayerRegistry layers) {
        try {
            return values(config, layers);
        } catch (IllegalArgumentException e) {
            throw locate(config, e, layers);
        }
    }

    private static long values(LayerConfig config, LayerRegistry layers) {
        return Counts.sum(layers.parameterCount(config), layers.bufferCount(config));
    }

    private static void requireRoom(LayerConfig config, long values, LayerRegistry layers) {
        long bytes = MemoryBudget.floats(values);
        if (values <= MAX_VALUES && bytes <= MemoryBudget.available()) {
            return;
        }
        Largest largest = largest(config, "", layers);
        String what = String.format(Locale.ROOT, "the model described (%,d parameters and buffer values, %,d of them in %s (%s))",
                values, largest.values, name(largest.path), largest.type);
        if (values > MAX_VALUES) {
            throw new TooLargeException(String.format(Locale.ROOT, "%s would need %s, more than the %s (%,d values) cnn4j"
                    + " builds a model of", what, MemoryBudget.format(bytes), MemoryBudget.format(MemoryBudget.floats(MAX_VALUES)),
                    MAX_VALUES));
        }
        MemoryBudget.require(bytes, what);
    }

    /** The leaf layer with the most parameters and buffer values, and where it is. */
    private record Largest(String path, String type, long values) {
    }

    private static Largest largest(LayerConfig config, String path, LayerRegistry layers) {
        if (config.children().isEmpty()) {
            return new Largest(path, config.type(), values(config, layers));
        }
        Largest most = null;
        for (int i = 0; i < config.children().size(); i++) {
            Largest child = largest(config.children().get(i), at(path, "children[" + i + "]"), layers);
            if (most == null || child.values > most.values) {
                most = child;
            }
        }
        return most;
    }

    private static IllegalArgumentException locate(LayerConfig config, IllegalArgumentException original, LayerRegistry layers) {
        Failure failure = firstFailure(config, "", layers);
        if (failure == null) {
            return original;
        }
        return new IllegalArgumentException(name(failure.path) + " (" + failure.type + "): "
                + failure.error.getMessage(), original);
    }

    private record Failure(String path, String type, IllegalArgumentException error) {
    }

    private static Failure firstFailure(LayerConfig config, String path, LayerRegistry layers) {
        for (int i = 0; i < config.children().size(); i++) {
            Failure f = firstFailure(config.children().get(i), at(path, "children[" + i + "]"), layers);
            if (f != null) {
                return f;
            }
        }
        // The children are sound, so a failure here is this layer's own (a container's too: a wrong number of
        // children). Counting checks what building would check, and allocates nothing.
        try {
            layers.parameterCount(config);
        } catch (IllegalArgumentException e) {
            return new Failure(path, config.type(), e);
        }
        return null;
    }

    // ---- writing ------------------------------------------------------------------------------------

    private static String toJson(LayerConfig config, String indent) {
        StringWriter text = new StringWriter();
        try (JsonWriter json = new JsonWriter(text)) {
            json.setHtmlSafe(false);
            json.setIndent(indent);
            write(json, config, "");
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to a string", e);
        }
        return text.toString();
    }

    private static void write(JsonWriter json, LayerConfig config, String path) throws IOException {
        json.beginObject();
        json.name("type").value(config.type());
        if (!config.args().isEmpty()) {
            json.name("args").beginObject();
            for (var e : config.args().entrySet()) {
                json.name(e.getKey());
                value(json, e.getValue(), at(path, "args." + e.getKey()));
            }
            json.endObject();
        }
        if (!config.children().isEmpty()) {
            json.name("children").beginArray();
            for (int i = 0; i < config.children().size(); i++) {
                write(json, config.children().get(i), at(path, "children[" + i + "]"));
            }
            json.endArray();
        }
        json.endObject();
    }

    private static void value(JsonWriter json, Object value, String where) throws IOException {
        switch (value) {
            case Boolean b -> json.value(b);
            case String s -> json.value(s);
            case Double d when !Double.isFinite(d) -> throw notJson(where, value);
            case Float f when !Float.isFinite(f) -> throw notJson(where, value);
            case Number n -> json.value(n);
            case List<?> items -> {
                json.beginArray();
                for (int i = 0; i < items.size(); i++) {
                    value(json, items.get(i), where + "[" + i + "]");
                }
                json.endArray();
            }
            case null -> json.nullValue(); // only an argument that takes null holds it: see LayerType.optionalOrNull
            default -> throw notJson(where, value);
        }
    }

    private static IllegalArgumentException notJson(String where, Object value) {
        return new IllegalArgumentException(where + " is " + value + " (" + value.getClass().getSimpleName() + ")"
                + ", which a model description cannot hold");
    }

    private static String at(String path, String key) {
        return DescriptionParser.at(path, key);
    }

    private static String name(String path) {
        return DescriptionParser.name(path);
    }
}
