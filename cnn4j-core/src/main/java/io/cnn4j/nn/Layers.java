package io.cnn4j.nn;

import io.cnn4j.limits.Counts;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * Builds modules from {@link LayerConfig}s, the inverse of {@link Module#config()}, and counts what they
 * would hold before building them.
 */
public final class Layers {
    private static final List<String> TYPES = List.of("Sequential", "Residual", "Concat", "Conv2d", "Linear",
            "BatchNorm1d", "BatchNorm2d", "ReLU", "LeakyReLU", "Sigmoid", "Tanh", "Softmax", "LogSoftmax", "MaxPool2d",
            "AvgPool2d", "AdaptiveAvgPool2d", "Flatten", "Identity", "Dropout", "Dropout2d");
    private static final Set<String> CONTAINERS = Set.of("Sequential", "Residual", "Concat");

    private Layers() {
    }

    /** The layer types a model description may use. */
    public static List<String> types() {
        return TYPES;
    }

    public static Module fromConfig(LayerConfig c) {
        if (CONTAINERS.contains(c.type())) {
            checkChildren(c);
        }
        return switch (c.type()) {
            case "Sequential" -> new Sequential(children(c));
            case "Residual" -> new Residual(fromConfig(c.children().get(0)),
                    c.children().size() == 2 ? fromConfig(c.children().get(1)) : null);
            case "Concat" -> new Concat(children(c));
            case "BatchNorm1d", "BatchNorm2d" -> BatchNorm.fromConfig(c);
            case "AdaptiveAvgPool2d" -> new AdaptiveAvgPool2d(c.intArg("output_size"));
            case "Identity" -> new Identity();
            case "Dropout2d" -> new Dropout2d((float) c.doubleArg("p", 0.5));
            case "Conv2d" -> new Conv2d(Conv2d.settings(c));
            case "Linear" -> new Linear(c.intArg("in_features"), c.intArg("out_features"), c.boolArg("bias", true));
            case "ReLU" -> new ReLU();
            case "LeakyReLU" -> new LeakyReLU((float) c.doubleArg("negative_slope", 0.01));
            case "Sigmoid" -> new Sigmoid();
            case "Tanh" -> new Tanh();
            case "Softmax" -> new Softmax();
            case "LogSoftmax" -> new LogSoftmax();
            case "MaxPool2d" -> {
                int k = c.intArg("kernel_size");
                yield new MaxPool2d(k, c.intArg("stride", k), c.intArg("padding", 0));
            }
            case "AvgPool2d" -> {
                int k = c.intArg("kernel_size");
                yield new AvgPool2d(k, c.intArg("stride", k), c.intArg("padding", 0), c.boolArg("count_include_pad", true));
            }
            case "Flatten" -> new Flatten();
            case "Dropout" -> new Dropout((float) c.doubleArg("p", 0.5));
            default -> throw new IllegalArgumentException("unknown layer type '" + c.type() + "'; known types: " + TYPES);
        };
    }

    /**
     * The number of parameters the described model would have, counted from the description's arguments
     * alone, without building anything: {@code out * in/groups * k * k} weights and {@code out} biases for a
     * Conv2d, {@code in * out} and {@code out} for a Linear, a weight and a bias per feature for an affine
     * batch norm; containers hold the sum of their children's. A description that {@link #fromConfig}
     * would refuse is refused with the same message. A count beyond a long is given as {@link Long#MAX_VALUE}.
     */
    public static long parameterCount(LayerConfig c) {
        return count(c, LayerSizes::parameters);
    }

    /**
     * The number of buffer values the described model would have (a batch norm's running mean and variance
     * per feature and its batch count), counted as {@link #parameterCount} counts parameters.
     */
    public static long bufferCount(LayerConfig c) {
        return count(c, LayerSizes::buffers);
    }

    private static long count(LayerConfig c, ToLongFunction<LayerSizes> what) {
        if (!isContainer(c)) {
            return what.applyAsLong(LayerSizes.of(c));
        }
        checkChildren(c);
        long n = 0;
        for (LayerConfig child : c.children()) {
            n = Counts.sum(n, count(child, what));
        }
        return n;
    }

    /** Whether {@code c} is a container, whose children are layers. */
    static boolean isContainer(LayerConfig c) {
        return CONTAINERS.contains(c.type());
    }

    /** The name a container gives its child {@code i}, as in its parameters' names: {@code 0}, {@code body}. */
    static String childName(LayerConfig container, int i) {
        return container.type().equals("Residual") ? (i == 0 ? "body" : "shortcut") : Integer.toString(i);
    }

    private static void checkChildren(LayerConfig c) {
        int n = c.children().size();
        if (c.type().equals("Residual") && (n == 0 || n > 2)) {
            throw new IllegalArgumentException("Residual takes 1 or 2 children (the body, then an optional shortcut), got " + n);
        }
        if (c.type().equals("Concat") && n == 0) {
            throw new IllegalArgumentException("Concat needs at least one branch");
        }
    }

    private static List<Module> children(LayerConfig c) {
        List<Module> layers = new ArrayList<>();
        c.children().forEach(child -> layers.add(fromConfig(child)));
        return layers;
    }
}
