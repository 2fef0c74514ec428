package io.cnn4j.io;

import io.cnn4j.nn.LayerConfig;
import io.cnn4j.nn.LayerRegistry;
import io.cnn4j.nn.LayerType;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns parsed JSON into a {@link LayerConfig}, checking each layer against what its {@link LayerType}
 * takes and naming the place of the first problem: {@code children[3].args.kernel_size}. A misspelt
 * argument ({@code "strid"}), which building would silently ignore, is caught here.
 */
final class DescriptionParser {
    private static final List<String> LAYER_KEYS = List.of("type", "args", "children");

    private final LayerRegistry registry;

    DescriptionParser(LayerRegistry registry) {
        this.registry = registry;
    }

    /** The layer described by {@code node}, which sits at {@code path} ("" for the top level). */
    LayerConfig layer(Object node, String path) {
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
        LayerType type = type(fields.get("type"), path);
        Map<String, Object> args = args(fields.get("args"), at(path, "args"), type);
        List<LayerConfig> children = children(fields.get("children"), path, type);
        return new LayerConfig(type.name(), args, children);
    }

    private LayerType type(Object value, String path) {
        String where = at(path, "type");
        if (value == null) {
            throw new IllegalArgumentException(where + " is missing: every layer needs one of " + registry.names());
        }
        if (!(value instanceof String name)) {
            throw new IllegalArgumentException(where + " must be a string, got " + StrictJson.describe(value));
        }
        return registry.find(name).orElseThrow(() -> new IllegalArgumentException(where + " '" + StrictJson.printable(name)
                + "' is not a layer type; known types: " + registry.names()));
    }

    private static Map<String, Object> args(Object value, String path, LayerType type) {
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
            LayerType.Argument declared = type.argument(arg);
            if (declared == null) {
                throw new IllegalArgumentException(where + " is not an argument of " + type + "; "
                        + (type.arguments().isEmpty() ? type + " takes none" : "it takes " + names(type.arguments())));
            }
            args.put(arg, e.getValue() == null && declared.nullable() ? null : typed(e.getValue(), declared.kind(), where));
        }
        for (LayerType.Argument declared : type.arguments()) {
            if (declared.required() && !args.containsKey(declared.name())) {
                throw new IllegalArgumentException(path + " needs '" + declared.name() + "' (" + type + " requires "
                        + names(type.arguments().stream().filter(LayerType.Argument::required).toList()) + ")");
            }
        }
        return args;
    }

    private static String names(List<LayerType.Argument> arguments) {
        return String.join(", ", arguments.stream().map(LayerType.Argument::name).toList());
    }

    private List<LayerConfig> children(Object value, String path, LayerType type) {
        String where = at(path, "children");
        if (value == null) {
            value = List.of();
        }
        if (!(value instanceof List<?> items)) {
            throw new IllegalArgumentException(where + " must be a list of layers, got " + StrictJson.describe(value));
        }
        if (!items.isEmpty() && !type.isContainer()) {
            throw new IllegalArgumentException(where + ": " + type + " is not a container and cannot have children");
        }
        if (type.isContainer() && (items.size() < type.minChildren() || items.size() > type.maxChildren())) {
            throw new IllegalArgumentException(where + " holds " + items.size() + " layer" + (items.size() == 1 ? "" : "s")
                    + " but " + type + " takes " + type.childrenRule());
        }
        List<LayerConfig> children = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            children.add(layer(items.get(i), at(path, "children[" + i + "]")));
        }
        return children;
    }

    private static Object typed(Object value, LayerType.Kind kind, String where) {
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
            case WORD -> {
                if (value instanceof String s) {
                    return s;
                }
            }
            case SIZES -> {
                if (value instanceof BigDecimal n && StrictJson.isWhole(n)) {
                    return intValue(n, where);
                }
                if (value instanceof List<?> items && !items.isEmpty()
                        && items.stream().allMatch(i -> i instanceof BigDecimal n && StrictJson.isWhole(n))) {
                    List<Integer> sizes = new ArrayList<>();
                    for (int i = 0; i < items.size(); i++) {
                        sizes.add(intValue((BigDecimal) items.get(i), where + "[" + i + "]"));
                    }
                    return List.copyOf(sizes);
                }
            }
            case PADDING -> {
                if (value instanceof BigDecimal n && StrictJson.isWhole(n)) {
                    return intValue(n, where);
                }
                if (value instanceof List<?> items && !items.isEmpty()
                        && items.stream().allMatch(i -> i instanceof BigDecimal n && StrictJson.isWhole(n))) {
                    List<Integer> pads = new ArrayList<>();
                    for (int i = 0; i < items.size(); i++) {
                        pads.add(intValue((BigDecimal) items.get(i), where + "[" + i + "]"));
                    }
                    return List.copyOf(pads);
                }
                if (value instanceof String s) {
                    String word = s.trim().toLowerCase(Locale.ROOT);
                    if (word.equals("same") || word.equals("valid")) {
                        return word;
                    }
                }
            }
        }
        throw new IllegalArgumentException(where + " must be " + kind.expected() + ", got " + StrictJson.describe(value));
    }

    private static int intValue(BigDecimal n, String where) {
        try {
            return n.intValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(where + " is " + StrictJson.number(n)
                    + ", outside the range of a whole-number argument");
        }
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
