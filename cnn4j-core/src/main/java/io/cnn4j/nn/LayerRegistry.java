package io.cnn4j.nn;

import io.cnn4j.limits.Counts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * The layer types a model description may use, by name: what builds a module from a {@link LayerConfig}
 * (the inverse of {@link Module#config()}) and counts what it would hold before building it.
 *
 * <p>A registry is an immutable value, not a global table: {@link #builtIn()} holds cnn4j's layers, and
 * {@link #with} returns a new registry that also holds a layer type of the caller's, which is then
 * passed to what reads or writes descriptions ({@code ModelFile.load(path, registry)},
 * {@code ModelDescription.parse(json, registry)}, {@link ModelFootprint#of(LayerConfig,
 * io.cnn4j.tensor.Shape, LayerRegistry)}). Two parts of one program can so use different layers without
 * seeing each other's.
 *
 * {@snippet :
 * LayerRegistry layers = LayerRegistry.builtIn().with(Swish.TYPE);
 * Module model = layers.build(ModelDescription.parse(json, layers));
 * }
 */
public final class LayerRegistry {
    private static final LayerRegistry BUILT_IN = new LayerRegistry(List.of(Sequential.TYPE, Residual.TYPE, Concat.TYPE,
            Conv2d.TYPE, Linear.TYPE, BatchNorm1d.TYPE, BatchNorm2d.TYPE, ReLU.TYPE, LeakyReLU.TYPE, Sigmoid.TYPE, Tanh.TYPE,
            GELU.TYPE, SiLU.TYPE, ELU.TYPE, Hardswish.TYPE, LayerNorm.TYPE, GroupNorm.TYPE, InstanceNorm2d.TYPE, Softmax.TYPE,
            LogSoftmax.TYPE, MaxPool2d.TYPE, AvgPool2d.TYPE, AdaptiveAvgPool2d.TYPE, AdaptiveMaxPool2d.TYPE, Flatten.TYPE,
            Identity.TYPE, Dropout.TYPE, Dropout2d.TYPE, Upsample.TYPE, Conv1d.TYPE, Conv3d.TYPE, MaxPool1d.TYPE,
            AvgPool1d.TYPE, MaxPool3d.TYPE, AvgPool3d.TYPE, AdaptiveAvgPool1d.TYPE, AdaptiveMaxPool1d.TYPE,
            AdaptiveAvgPool3d.TYPE, AdaptiveMaxPool3d.TYPE, Unflatten.TYPE, ConvTranspose2d.TYPE));

    private final Map<String, LayerType> types;
    private final List<String> names;

    private LayerRegistry(List<LayerType> types) {
        Map<String, LayerType> byName = new LinkedHashMap<>();
        types.forEach(t -> byName.put(t.name(), t));
        this.types = byName;
        this.names = List.copyOf(byName.keySet());
    }

    /** cnn4j's own layer types. */
    public static LayerRegistry builtIn() {
        return BUILT_IN;
    }

    /** A registry holding this one's types and {@code type}, whose name none of them may have. */
    public LayerRegistry with(LayerType type) {
        Objects.requireNonNull(type, "type");
        if (types.containsKey(type.name())) {
            throw new IllegalArgumentException("'" + type.name() + "' is already a layer type of this registry;"
                    + " give the new one another name");
        }
        List<LayerType> more = new ArrayList<>(types.values());
        more.add(type);
        return new LayerRegistry(more);
    }

    /** The names of the layer types, cnn4j's first, then the others in the order they were added. */
    public List<String> names() {
        return names;
    }

    /** The layer type called {@code name}, if this registry has one. */
    public Optional<LayerType> find(String name) {
        return Optional.ofNullable(types.get(name));
    }

    /**
     * Builds the module {@code c} describes, its children first; throws IllegalArgumentException for an
     * unknown type or arguments the layer refuses, saying what is wrong (ModelDescription.build also says where).
     */
    public Module build(LayerConfig c) {
        LayerType type = type(c);
        List<Module> children = new ArrayList<>();
        if (type.isContainer()) {
            checkChildren(type, c);
            c.children().forEach(child -> children.add(build(child)));
        }
        return type.build(c, children);
    }

    /**
     * The number of parameters the described model would have, counted from the description's arguments
     * alone, without building anything of the built-in types: {@code out * in/groups * k * k} weights and
     * {@code out} biases for a Conv2d, {@code in * out} and {@code out} for a Linear, a weight and a bias
     * per feature for an affine batch norm; containers hold the sum of their children's. A description
     * that {@link #build} would refuse is refused with the same message. A count beyond a long is given
     * as {@link Long#MAX_VALUE}.
     */
    public long parameterCount(LayerConfig c) {
        return count(c, LayerSizes::parameters);
    }

    /**
     * The number of buffer values the described model would have (a batch norm's running mean and variance
     * per feature and its batch count), counted as {@link #parameterCount} counts parameters.
     */
    public long bufferCount(LayerConfig c) {
        return count(c, LayerSizes::buffers);
    }

    private long count(LayerConfig c, ToLongFunction<LayerSizes> what) {
        LayerType type = type(c);
        if (!type.isContainer()) {
            return what.applyAsLong(type.sizes(c));
        }
        checkChildren(type, c);
        long n = 0;
        for (LayerConfig child : c.children()) {
            n = Counts.sum(n, count(child, what));
        }
        return n;
    }

    /** The type {@code c} names; throws IllegalArgumentException naming the known ones when there is none. */
    LayerType type(LayerConfig c) {
        LayerType type = types.get(c.type());
        if (type == null) {
            throw new IllegalArgumentException("unknown layer type '" + c.type() + "'; known types: " + names);
        }
        return type;
    }

    private static void checkChildren(LayerType type, LayerConfig c) {
        int n = c.children().size();
        if (n < type.minChildren() || n > type.maxChildren()) {
            throw new IllegalArgumentException(type.name() + " takes " + type.childrenRule() + ", got " + n);
        }
    }
}
