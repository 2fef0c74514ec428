package io.cnn4j.nn;

import io.cnn4j.tensor.Shape;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;

/**
 * Everything cnn4j knows of a kind of layer, in one value declared beside the layer: the name a model
 * description gives it, the arguments it takes (their kinds, which are required, the defaults of the
 * others), how a {@link LayerConfig} becomes a module, how the layer's sizes are known before it is
 * built, and how it is exported to ONNX ({@link #exportsTo}). Each built-in layer declares its {@code TYPE};
 * a {@link LayerRegistry} lists the types a description may use.
 *
 * <p>A layer written outside cnn4j declares one the same way and is registered with
 * {@link LayerRegistry#with}; its {@link Module#config()} names the type and gives its arguments, made
 * with {@link #config}, so that a model holding it saves, loads and describes itself:
 *
 * {@snippet :
 * public final class Scale extends Module {
 *     public static final LayerType TYPE = LayerType.of("Scale", c -> new Scale(c.intArg("features")))
 *             .require("features", LayerType.Kind.WHOLE)
 *             .exportsTo(Scale.class, (layer, onnx, x) -> onnx.node("Mul", List.of(x, onnx.parameter("weight", layer.weight))));
 *     // ... a parameter "weight" of [features], compute(), toString()
 *     public LayerConfig config() {
 *         return TYPE.config("features", features);
 *     }
 * }
 * LayerRegistry layers = LayerRegistry.builtIn().with(Scale.TYPE);
 * ModelFile.save(path, model, Map.of(), layers);
 * Module again = ModelFile.load(path, layers);
 * OnnxExport.of(again, input).withLayers(layers).write(Path.of("model.onnx"));
 * }
 *
 * <p>The factory receives the description with every absent optional argument set to its default, so
 * it reads each argument without a default of its own. Sizes: a type can say how many parameters and
 * buffer values a description of it makes, and its output shape, without building it ({@link #sizedBy});
 * one that does not is built and measured, which is right for a layer whose size does not depend on its
 * arguments, and allocates what a description claims for one that does.
 *
 * <p>Its ONNX mapping ({@link #exportsTo}) adds the layer's nodes through an {@link OnnxScope}: the one
 * above multiplies the input by the layer's weight, exported as the initializer {@code <path>.weight}.
 *
 * <p>A LayerType is immutable: {@link #require}, {@link #optional}, {@link #sizedBy} and {@link #exportsTo}
 * return a new one.
 */
public final class LayerType {

    /** What an argument's value may be, in a description and in a {@link LayerConfig}. */
    public enum Kind {
        /** An {@code Integer}; in JSON a number with no fraction. */
        WHOLE("a whole number", "an Integer"),
        /** A {@code Double} (any number in JSON). */
        NUMBER("a number", "a Double"),
        /** A {@code Boolean}. */
        BOOLEAN("true or false", "a Boolean"),
        /** A convolution's padding: an {@code Integer}, or the word {@code "same"} or {@code "valid"}. */
        PADDING("a whole number, a list of them, \"same\" or \"valid\"", "an Integer, a List of Integers, \"same\" or \"valid\""),
        /** A {@code String}: one of the words a layer's factory accepts (GELU's {@code "none"} or {@code "tanh"}). */
        WORD("a string", "a String"),
        /** Sizes: an {@code Integer}, or a {@code List} of them (LayerNorm's {@code [64, 7, 7]}). */
        SIZES("a whole number or a list of whole numbers", "an Integer or a List of Integers");

        private final String expected;
        private final String javaType;

        Kind(String expected, String javaType) {
            this.expected = expected;
            this.javaType = javaType;
        }

        /** What a value must be, for messages: {@code "a whole number"}. */
        public String expected() {
            return expected;
        }

        /** Whether a config may hold {@code value} for an argument of this kind. */
        boolean accepts(Object value) {
            return switch (this) {
                case WHOLE -> value instanceof Integer;
                case NUMBER -> value instanceof Double;
                case BOOLEAN -> value instanceof Boolean;
                case WORD -> value instanceof String;
                case SIZES -> value instanceof Integer || value instanceof List<?> l && !l.isEmpty()
                        && l.stream().allMatch(Integer.class::isInstance);
                case PADDING -> value instanceof Integer || value instanceof List<?> l && !l.isEmpty()
                        && l.stream().allMatch(Integer.class::isInstance) || value instanceof String s
                        && (s.toLowerCase(Locale.ROOT).equals("same") || s.toLowerCase(Locale.ROOT).equals("valid"));
            };
        }
    }

    /**
     * An argument: its name, its kind, its default (null when the argument is required or its factory works
     * the default out), and whether null is one of its values ({@link #optionalOrNull}).
     */
    public record Argument(String name, Kind kind, Object defaultValue, boolean required, boolean nullable) {
    }

    /** What a container holds and what it makes of its children; null for a leaf layer. */
    record Composition(int minChildren, int maxChildren, String rule, IntFunction<String> childName,
                       BiFunction<List<UnaryOperator<Shape>>, Shape, Shape> outputShape, boolean newOutput) {
    }

    private final String name;
    private final List<Argument> arguments;
    private final BiFunction<LayerConfig, List<Module>, Module> factory;
    private final Function<LayerConfig, LayerSizes> sizes;
    private final Composition composition;
    private final OnnxMapping<Module> onnx;

    private LayerType(String name, List<Argument> arguments, BiFunction<LayerConfig, List<Module>, Module> factory,
                      Function<LayerConfig, LayerSizes> sizes, Composition composition, OnnxMapping<Module> onnx) {
        this.name = name;
        this.arguments = List.copyOf(arguments);
        this.factory = factory;
        this.sizes = sizes;
        this.composition = composition;
        this.onnx = onnx;
    }

    /**
     * A layer type called {@code name} (the {@code "type"} of a description) that {@code factory} builds
     * from a description, taking no arguments until {@link #require} or {@link #optional} adds them.
     */
    public static LayerType of(String name, Function<LayerConfig, ? extends Module> factory) {
        Objects.requireNonNull(factory, "factory");
        return new LayerType(checkName(name), List.of(), (c, children) -> factory.apply(c), null, null, null);
    }

    /** A container type, whose factory receives its children built. */
    static LayerType container(String name, Composition composition, BiFunction<LayerConfig, List<Module>, Module> factory) {
        return new LayerType(checkName(name), List.of(), factory, null, composition, null);
    }

    private static String checkName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a layer type needs a name, got " + (name == null ? "null" : "'" + name + "'"));
        }
        return name;
    }

    /** This type with a required argument. Arguments are listed in messages in the order they are added. */
    public LayerType require(String argument, Kind kind) {
        return with(new Argument(argument, kind, null, true, false));
    }

    /**
     * This type with an optional argument: {@code defaultValue} of {@code kind} when it has a fixed
     * default, or null when the factory works it out (a pooling stride defaults to the window).
     */
    public LayerType optional(String argument, Kind kind, Object defaultValue) {
        if (defaultValue != null && !kind.accepts(defaultValue)) {
            throw new IllegalArgumentException(name + ": the default of '" + argument + "' must be " + kind.javaType
                    + ", got " + defaultValue + " (" + defaultValue.getClass().getSimpleName() + ")");
        }
        return with(new Argument(argument, kind, defaultValue, false, false));
    }

    /**
     * This type with an optional argument that also takes null as a value of its own, where PyTorch gives
     * {@code None} a meaning (BatchNorm's {@code momentum=None}: a cumulative average): a description that
     * leaves it out gets {@code defaultValue}; one that gives {@code null} (JSON's {@code null}) keeps it. Any
     * other argument refuses null.
     */
    public LayerType optionalOrNull(String argument, Kind kind, Object defaultValue) {
        if (defaultValue == null || !kind.accepts(defaultValue)) {
            throw new IllegalArgumentException(name + ": the default of '" + argument + "' must be " + kind.javaType
                    + " (null is its other value), got " + defaultValue);
        }
        return with(new Argument(argument, kind, defaultValue, false, true));
    }

    private LayerType with(Argument argument) {
        Objects.requireNonNull(argument.kind(), "kind");
        if (argument(argument.name()) != null) {
            throw new IllegalArgumentException(name + ": argument '" + argument.name() + "' is declared twice");
        }
        List<Argument> more = new ArrayList<>(arguments);
        more.add(argument);
        return new LayerType(name, more, factory, sizes, composition, onnx);
    }

    /**
     * This type with its sizes worked out from a description (the layer as code would construct it, its
     * parameter and buffer counts, its output shape for an input shape) rather than by building the layer
     * and measuring it. {@code sizes} receives the description as the factory does, and must refuse what
     * the factory refuses, with the same message, and allocate nothing.
     */
    public LayerType sizedBy(Function<LayerConfig, LayerSizes> sizes) {
        if (composition != null) {
            throw new IllegalStateException(name + " is a container: its sizes are its children's");
        }
        return new LayerType(name, arguments, factory, Objects.requireNonNull(sizes, "sizes"), composition, onnx);
    }

    /**
     * This type with its ONNX form: how {@code mapping} turns a layer of class {@code layerClass} into ONNX
     * nodes when a model holding it is exported. A layer whose type declares none is refused by export,
     * naming it.
     */
    public <M extends Module> LayerType exportsTo(Class<M> layerClass, OnnxMapping<? super M> mapping) {
        Objects.requireNonNull(layerClass, "layerClass");
        Objects.requireNonNull(mapping, "mapping");
        OnnxMapping<Module> checked = (layer, onnx, input) -> {
            if (!layerClass.isInstance(layer)) {
                throw onnx.unsupported("its type '" + name + "' exports layers of class " + layerClass.getName()
                        + ", not " + layer.getClass().getName());
            }
            return mapping.export(layerClass.cast(layer), onnx, input);
        };
        return new LayerType(name, arguments, factory, sizes, composition, checked);
    }

    public String name() {
        return name;
    }

    /** The arguments, in the order messages list them. */
    public List<Argument> arguments() {
        return arguments;
    }

    /** The argument called {@code name}, or null when this type takes none of that name. */
    public Argument argument(String name) {
        for (Argument a : arguments) {
            if (a.name().equals(name)) {
                return a;
            }
        }
        return null;
    }

    /** Whether the type holds child layers (Sequential, Residual, Concat). */
    public boolean isContainer() {
        return composition != null;
    }

    /** The fewest children a description of this type may give: 0 for a leaf layer. */
    public int minChildren() {
        return composition == null ? 0 : composition.minChildren();
    }

    /** The most children a description of this type may give: 0 for a leaf layer. */
    public int maxChildren() {
        return composition == null ? 0 : composition.maxChildren();
    }

    /** What the children of a container are, for messages: {@code "1 or 2 layers: the body, then ..."}. */
    public String childrenRule() {
        return composition == null ? "no layers" : composition.rule();
    }

    /**
     * The description of a layer of this type, from alternating argument names and values: what
     * {@link Module#config()} returns. Each name must be one of this type's arguments, with a value of its
     * kind, so that the description parses back.
     */
    public LayerConfig config(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException(name + ".config needs name/value pairs");
        }
        Map<String, Object> args = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            String arg = (String) namesAndValues[i];
            Object value = namesAndValues[i + 1];
            Argument declared = argument(arg);
            if (declared == null || !(value == null && declared.nullable()) && !declared.kind().accepts(value)) {
                throw new IllegalArgumentException(name + ".config: " + (declared == null
                        ? "'" + arg + "' is not one of its arguments " + arguments.stream().map(Argument::name).toList()
                        : "'" + arg + "' must be " + declared.kind().javaType + ", got " + value
                        + (value == null ? "" : " (" + value.getClass().getSimpleName() + ")")));
            }
            args.put(arg, value);
        }
        return new LayerConfig(name, args, List.of());
    }

    /** The description of a container of this type holding {@code children}. */
    LayerConfig config(List<LayerConfig> children) {
        return new LayerConfig(name, Map.of(), children);
    }

    /** Builds the layer {@code c} describes, its children already built. */
    Module build(LayerConfig c, List<Module> children) {
        return factory.apply(withDefaults(c), children);
    }

    /** The sizes of the leaf layer {@code c} describes, worked out or measured. */
    LayerSizes sizes(LayerConfig c) {
        if (sizes != null) {
            return sizes.apply(withDefaults(c));
        }
        Module layer = build(c, List.of());
        long values = 0;
        for (var t : layer.stateDict().values()) {
            values += t.size();
        }
        return new LayerSizes(layer.toString(), layer.parameterCount(), values - layer.parameterCount(), layer::outputShape);
    }

    Composition composition() {
        return composition;
    }

    /** How a layer of this type is exported to ONNX, or null when it cannot be. */
    OnnxMapping<Module> onnxMapping() {
        return onnx;
    }

    /** {@code c} with each absent argument that has a default set to it; null counts as absent unless it is a value of the argument. */
    private LayerConfig withDefaults(LayerConfig c) {
        Map<String, Object> args = null;
        for (Argument a : arguments) {
            boolean absent = a.nullable() ? !c.args().containsKey(a.name()) : c.args().get(a.name()) == null;
            if (a.defaultValue() != null && absent) {
                if (args == null) {
                    args = new LinkedHashMap<>(c.args());
                }
                args.put(a.name(), a.defaultValue());
            }
        }
        return args == null ? c : new LayerConfig(c.type(), args, c.children());
    }

    @Override
    public String toString() {
        return name;
    }
}
