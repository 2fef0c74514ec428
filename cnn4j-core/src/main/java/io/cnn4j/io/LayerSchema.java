package io.cnn4j.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The arguments each layer type takes in a model description, and of what kind: what lets a parser say
 * {@code "children[3].args.kernel_size must be a whole number"} or catch a misspelt {@code "strid"},
 * which {@link io.cnn4j.nn.Layers#fromConfig} would silently ignore. It mirrors the constructors that
 * {@code Layers.fromConfig} calls; a type missing here is still accepted, only unchecked.
 */
record LayerSchema(String type, Map<String, Kind> args, Set<String> required, int minChildren, int maxChildren,
                   String childrenRule) {

    /** What an argument's value may be. */
    enum Kind {
        WHOLE("a whole number"),
        NUMBER("a number"),
        BOOLEAN("true or false"),
        PADDING("a whole number, \"same\" or \"valid\"");

        final String expected;

        Kind(String expected) {
            this.expected = expected;
        }
    }

    private static final Map<String, LayerSchema> KNOWN = new LinkedHashMap<>();

    static {
        add(container("Sequential", 0, Integer.MAX_VALUE, "any number of layers, applied in order"));
        add(container("Residual", 1, 2, "1 or 2 layers: the body, then an optional shortcut (the identity without one)"));
        add(container("Concat", 1, Integer.MAX_VALUE, "one layer or more: the branches whose outputs are concatenated"));
        add(layer("Conv2d", List.of("in_channels", "out_channels", "kernel_size"),
                "in_channels", Kind.WHOLE, "out_channels", Kind.WHOLE, "kernel_size", Kind.WHOLE, "stride", Kind.WHOLE,
                "padding", Kind.PADDING, "dilation", Kind.WHOLE, "groups", Kind.WHOLE, "bias", Kind.BOOLEAN));
        add(layer("Linear", List.of("in_features", "out_features"),
                "in_features", Kind.WHOLE, "out_features", Kind.WHOLE, "bias", Kind.BOOLEAN));
        for (String type : List.of("BatchNorm1d", "BatchNorm2d")) {
            add(layer(type, List.of("num_features"), "num_features", Kind.WHOLE, "eps", Kind.NUMBER, "momentum", Kind.NUMBER,
                    "affine", Kind.BOOLEAN, "track_running_stats", Kind.BOOLEAN));
        }
        for (String type : List.of("ReLU", "Sigmoid", "Tanh", "Softmax", "LogSoftmax", "Flatten", "Identity")) {
            add(layer(type, List.of()));
        }
        add(layer("LeakyReLU", List.of(), "negative_slope", Kind.NUMBER));
        add(layer("MaxPool2d", List.of("kernel_size"),
                "kernel_size", Kind.WHOLE, "stride", Kind.WHOLE, "padding", Kind.WHOLE));
        add(layer("AvgPool2d", List.of("kernel_size"),
                "kernel_size", Kind.WHOLE, "stride", Kind.WHOLE, "padding", Kind.WHOLE, "count_include_pad", Kind.BOOLEAN));
        add(layer("AdaptiveAvgPool2d", List.of("output_size"), "output_size", Kind.WHOLE));
        add(layer("Dropout", List.of(), "p", Kind.NUMBER));
        add(layer("Dropout2d", List.of(), "p", Kind.NUMBER));
    }

    /** The schema of {@code type}, or null for a type this table does not describe. */
    static LayerSchema of(String type) {
        return KNOWN.get(type);
    }

    static Set<String> knownTypes() {
        return KNOWN.keySet();
    }

    private static void add(LayerSchema schema) {
        KNOWN.put(schema.type(), schema);
    }

    /** Whether the type holds child layers. */
    boolean container() {
        return maxChildren > 0;
    }

    /** A container without arguments that holds {@code min} to {@code max} children, as {@code rule} says. */
    private static LayerSchema container(String type, int min, int max, String rule) {
        return new LayerSchema(type, Map.of(), Set.of(), min, max, rule);
    }

    /** A leaf layer's schema from alternating argument names and kinds, in the order messages list them. */
    private static LayerSchema layer(String type, List<String> required, Object... namesAndKinds) {
        Map<String, Kind> args = new LinkedHashMap<>();
        for (int i = 0; i < namesAndKinds.length; i += 2) {
            args.put((String) namesAndKinds[i], (Kind) namesAndKinds[i + 1]);
        }
        return new LayerSchema(type, Collections.unmodifiableMap(args), Set.copyOf(required), 0, 0, "");
    }
}
