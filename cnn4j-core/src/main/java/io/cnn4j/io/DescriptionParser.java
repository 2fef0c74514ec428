package io.cnn4j.io;

import io.cnn4j.nn.LayerConfig;
import io.cnn4j.nn.Layers;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns parsed JSON into a {@link LayerConfig}, checking each layer against its {@link LayerSchema} and
 * naming the place of the first problem: {@code children[3].args.kernel_size}.
 */
final class DescriptionParser {
    private static final List<String> LAYER_KEYS = List.of("type", "args", "children");

    private DescriptionParser() {
    }

    /** The layer described by {@code node}, which sits at {@code path} ("" for the top level). */
    static LayerConfig layer(Object node, String path) {
        if (!(node instanceof Map<?, ?> fields)) {
            throw new IllegalArgumentException(name(path) + " must be an object with a \"type\", got "
                    + StrictJson.describe(node));
        }
        for (Object key : fields.keySet()) {
            if (!LAYER_KEYS.contains(key)) {
                throw new IllegalArgumentException(at(path, (String) key) + " is not part of a layer description"
                        + " (a layer has " + String.join(", ", LAYER_KEYS) + ")");
            }
        }
        String type = type(fields.get("type"), path);
        LayerSchema schema = LayerSchema.of(type);
        Map<String, Object> args = args(fields.get("args"), at(path, "args"), type, schema);
        List<LayerConfig> children = children(fields.get("children"), path, type, schema);
        return new LayerConfig(type, args, children);
    }

    private static String type(Object value, String path) {
        String where = at(path, "type");
        if (value == null) {
            throw new IllegalArgumentException(where + " is missing: every layer needs one of " + Layers.types());
        }
        if (!(value instanceof String type)) {
            throw new IllegalArgumentException(where + " must be a string, got " + StrictJson.describe(value));
        }
        if (!Layers.types().contains(type)) {
            throw new IllegalArgumentException(where + " '" + StrictJson.printable(type) + "' is not a layer type;"
                    + " known types: " + Layers.types());
        }
        return type;
    }

    private static Map<String, Object> args(Object value, String path, String type, LayerSchema schema) {
        if (value == null) {
            value = Map.of();
        }
        if (!(value instanceof Map<?, ?> given)) {
            throw new IllegalArgumentException(path + " must be an object, got " + StrictJson.describe(value));
        }
        Map<String, Object> args = new LinkedHashMap<>();
        for (var e : given.entrySet()) {
            String arg = (String) e.getKey();
            String where = at(path, arg);
            if (schema == null) {
                args.put(arg, untyped(e.getValue(), where));
                continue;
            }
            LayerSchema.Kind kind = schema.args().get(arg);
            if (kind == null) {
                throw new IllegalArgumentException(where + " is not an argument of " + type + "; "
                        + (schema.args().isEmpty() ? type + " takes none" : "it takes " + String.join(", ", schema.args().keySet())));
            }
            args.put(arg, typed(e.getValue(), kind, where));
        }
        if (schema != null) {
            for (String arg : schema.args().keySet()) {
                if (schema.required().contains(arg) && !args.containsKey(arg)) {
                    throw new IllegalArgumentException(path + " needs '" + arg + "' (" + type + " requires "
                            + String.join(", ", schema.args().keySet().stream().filter(schema.required()::contains).toList())
                            + ")");
                }
            }
        }
        return args;
    }

    private static List<LayerConfig> children(Object value, String path, String type, LayerSchema schema) {
        String where = at(path, "children");
        if (value == null) {
            value = List.of();
        }
        if (!(value instanceof List<?> items)) {
            throw new IllegalArgumentException(where + " must be a list of layers, got " + StrictJson.describe(value));
        }
        if (!items.isEmpty() && schema != null && !schema.container()) {
            throw new IllegalArgumentException(where + ": " + type + " is not a container and cannot have children");
        }
        if (schema != null && schema.container() && (items.size() < schema.minChildren() || items.size() > schema.maxChildren())) {
            throw new IllegalArgumentException(where + " holds " + items.size() + " layer" + (items.size() == 1 ? "" : "s")
                    + " but " + type + " takes " + schema.childrenRule());
        }
        List<LayerConfig> children = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            children.add(layer(items.get(i), at(path, "children[" + i + "]")));
        }
        return children;
    }

    private static Object typed(Object value, LayerSchema.Kind kind, String where) {
        switch (kind) {
            case WHOLE -> {
                if (value instanceof BigDecimal n && StrictJson.isWhole(n)) {
                    return intValue(n, where);
                }
            }
            case NUMBER -> {
                if (value instanceof BigDecimal n) {
                    double d = n.doubleValue();
                    if (Double.isInfinite(d)) {
                        throw new IllegalArgumentException(where + " is " + StrictJson.number(n) + ", too large for a number");
                    }
                    return d;
                }
            }
            case BOOLEAN -> {
                if (value instanceof Boolean b) {
                    return b;
                }
            }
            case PADDING -> {
                if (value instanceof BigDecimal n && StrictJson.isWhole(n)) {
                    return intValue(n, where);
                }
                if (value instanceof String s) {
                    String word = s.trim().toLowerCase(Locale.ROOT);
                    if (word.equals("same") || word.equals("valid")) {
                        return word;
                    }
                }
            }
        }
        throw new IllegalArgumentException(where + " must be " + kind.expected + ", got " + StrictJson.describe(value));
    }

    private static int intValue(BigDecimal n, String where) {
        try {
            return n.intValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(where + " is " + StrictJson.number(n)
                    + ", outside the range of a whole-number argument");
        }
    }

    /** An argument of a layer type the schema does not know: kept as close to the JSON as Java allows. */
    private static Object untyped(Object value, String where) {
        return switch (value) {
            case BigDecimal n when StrictJson.isWrittenWhole(n) && n.abs().compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0 ->
                    n.intValueExact();
            case BigDecimal n -> n.doubleValue();
            case String s -> s;
            case Boolean b -> b;
            case List<?> items -> {
                List<Object> out = new ArrayList<>();
                for (int i = 0; i < items.size(); i++) {
                    out.add(untyped(items.get(i), where + "[" + i + "]"));
                }
                yield List.copyOf(out);
            }
            case null, default -> throw new IllegalArgumentException(where + " must be a number, string, boolean or list, got "
                    + StrictJson.describe(value));
        };
    }

    /** {@code path.key}, or {@code key} at the top level; a key from a file is made printable, an empty one "". */
    static String at(String path, String key) {
        String shown = key.isEmpty() ? "\"\"" : StrictJson.printable(key);
        return path.isEmpty() ? shown : path + "." + shown;
    }

    /** A path as the subject of a message. */
    static String name(String path) {
        return path.isEmpty() ? "the model description" : path;
    }
}
