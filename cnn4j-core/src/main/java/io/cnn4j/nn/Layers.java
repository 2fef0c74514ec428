package io.cnn4j.nn;

import java.util.ArrayList;
import java.util.List;

/** Builds modules from {@link LayerConfig}s: the inverse of {@link Module#config()}. */
public final class Layers {
    private static final List<String> TYPES = List.of("Sequential", "Residual", "Concat", "Conv2d", "Linear",
            "BatchNorm1d", "BatchNorm2d", "ReLU", "LeakyReLU", "Sigmoid", "Tanh", "Softmax", "LogSoftmax", "MaxPool2d",
            "AvgPool2d", "AdaptiveAvgPool2d", "Flatten", "Identity", "Dropout", "Dropout2d");

    private Layers() {
    }

    /** The layer types a model description may use. */
    public static List<String> types() {
        return TYPES;
    }

    public static Module fromConfig(LayerConfig c) {
        return switch (c.type()) {
            case "Sequential" -> new Sequential(children(c));
            case "Residual" -> {
                if (c.children().isEmpty() || c.children().size() > 2) {
                    throw new IllegalArgumentException("Residual takes 1 or 2 children (the body, then an optional shortcut), got "
                            + c.children().size());
                }
                yield new Residual(fromConfig(c.children().get(0)),
                        c.children().size() == 2 ? fromConfig(c.children().get(1)) : null);
            }
            case "Concat" -> new Concat(children(c));
            case "BatchNorm1d", "BatchNorm2d" -> BatchNorm.fromConfig(c);
            case "AdaptiveAvgPool2d" -> new AdaptiveAvgPool2d(c.intArg("output_size"));
            case "Identity" -> new Identity();
            case "Dropout2d" -> new Dropout2d((float) c.doubleArg("p", 0.5));
            case "Conv2d" -> new Conv2d(new Conv2dConfig(c.intArg("in_channels"), c.intArg("out_channels"),
                    c.intArg("kernel_size"), c.intArg("stride", 1), Padding.parse(c.arg("padding", 0)),
                    c.intArg("dilation", 1), c.intArg("groups", 1), c.boolArg("bias", true)));
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

    private static List<Module> children(LayerConfig c) {
        List<Module> layers = new ArrayList<>();
        c.children().forEach(child -> layers.add(fromConfig(child)));
        return layers;
    }
}
