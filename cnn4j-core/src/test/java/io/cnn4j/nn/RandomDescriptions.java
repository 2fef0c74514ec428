package io.cnn4j.nn;

import io.cnn4j.tensor.Shape;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Small random model descriptions for property tests: every layer type and container, with arguments
 * that mostly fit the shape reaching the layer (so that deep models run) and now and then do not (so
 * that errors are met at every depth). Inputs are a few values per dimension, so each model runs in
 * microseconds.
 */
final class RandomDescriptions {
    private final Random random;

    RandomDescriptions(long seed) {
        this.random = new Random(seed);
    }

    /** An input: mostly a batch of small images, sometimes a batch of feature vectors. */
    Shape input() {
        int n = 1 + random.nextInt(3);
        return random.nextInt(5) == 0 ? Shape.of(n, 1 + random.nextInt(12))
                : Shape.of(n, 1 + random.nextInt(4), 1 + random.nextInt(9), 1 + random.nextInt(9));
    }

    /** A Sequential of one to five layers for {@code input}. */
    LayerConfig model(Shape input) {
        return sequential(input, 0, 1 + random.nextInt(5));
    }

    /** {@code model} with one argument of one leaf layer set to a value that may well be refused. */
    LayerConfig corrupt(LayerConfig model) {
        List<Object> wild = List.of(-1, 0, 1, 2, 3, 7, 2.5, 1.5, "same", "valid", "wide", true);
        if (!model.children().isEmpty()) {
            List<LayerConfig> children = new ArrayList<>(model.children());
            int i = random.nextInt(children.size());
            children.set(i, corrupt(children.get(i)));
            return new LayerConfig(model.type(), model.args(), children);
        }
        if (model.args().isEmpty()) {
            return model;
        }
        List<String> names = new ArrayList<>(model.args().keySet());
        Map<String, Object> args = new LinkedHashMap<>(model.args());
        args.put(names.get(random.nextInt(names.size())), wild.get(random.nextInt(wild.size())));
        return new LayerConfig(model.type(), args, List.of());
    }

    private LayerConfig sequential(Shape input, int depth, int length) {
        List<LayerConfig> layers = new ArrayList<>();
        Shape x = input;
        for (int i = 0; i < length; i++) {
            LayerConfig layer = layer(x, depth);
            layers.add(layer);
            try {
                x = LayerRegistry.builtIn().build(layer).outputShape(x);
            } catch (IllegalArgumentException e) {
                // The model will not take this input; the layers after it are drawn for the shape before.
            }
        }
        return new LayerConfig("Sequential", Map.of(), layers);
    }

    private LayerConfig layer(Shape x, int depth) {
        boolean fits = random.nextInt(8) != 0;
        int channels = fits && x.rank() >= 2 ? x.dim(1) : 1 + random.nextInt(4);
        int kinds = depth < 2 ? 19 : 16;
        return switch (random.nextInt(kinds)) {
            case 0, 1 -> conv(channels, 1 + random.nextInt(5), false);
            case 2 -> random.nextBoolean() ? conv(channels, 1 + random.nextInt(5), false) : transposedConv(channels, 1 + random.nextInt(5));
            case 3 -> batchNorm("BatchNorm2d", channels);
            case 4 -> batchNorm("BatchNorm1d", channels);
            case 5, 6 -> {
                int k = 1 + random.nextInt(3);
                LayerConfig pool = LayerConfig.of(random.nextBoolean() ? "MaxPool2d" : "AvgPool2d", "kernel_size", k,
                        "stride", 1 + random.nextInt(2), "padding", random.nextInt(k / 2 + 1));
                yield pool.type().equals("AvgPool2d") ? with(pool, "count_include_pad", random.nextBoolean()) : pool;
            }
            case 7 -> LayerConfig.of("AdaptiveAvgPool2d", "output_size", 1 + random.nextInt(2));
            case 8 -> LayerConfig.of("Flatten");
            case 9 -> LayerConfig.of("Linear", "in_features", fits && x.rank() >= 2 ? x.sizeFrom(1) : 1 + random.nextInt(20),
                    "out_features", 1 + random.nextInt(6), "bias", random.nextBoolean());
            case 10 -> LayerConfig.of(List.of("ReLU", "Sigmoid", "Tanh", "Identity").get(random.nextInt(4)));
            case 11 -> LayerConfig.of("LeakyReLU", "negative_slope", 0.1);
            case 12 -> LayerConfig.of(random.nextBoolean() ? "Softmax" : "LogSoftmax");
            case 13 -> LayerConfig.of(random.nextBoolean() ? "Dropout" : "Dropout2d", "p", random.nextInt(3) * 0.25);
            case 14, 15 -> LayerConfig.of("ReLU");
            case 16 -> residual(x, channels, depth);
            case 17 -> {
                List<LayerConfig> branches = new ArrayList<>();
                for (int i = 1 + random.nextInt(3); i > 0; i--) {
                    branches.add(random.nextInt(3) == 0 ? LayerConfig.of("Identity") : sequential(x, depth + 1, 1 + random.nextInt(2)));
                }
                yield new LayerConfig("Concat", Map.of(), branches);
            }
            default -> sequential(x, depth + 1, 1 + random.nextInt(3));
        };
    }

    /** A residual block, its body mostly one that keeps the shape (as a basic block's does). */
    private LayerConfig residual(Shape x, int channels, int depth) {
        LayerConfig body = random.nextBoolean()
                ? new LayerConfig("Sequential", Map.of(), List.of(conv(channels, channels, true), batchNorm("BatchNorm2d", channels),
                        LayerConfig.of("ReLU")))
                : sequential(x, depth + 1, 1 + random.nextInt(2));
        List<LayerConfig> children = new ArrayList<>(List.of(body));
        if (random.nextInt(3) == 0) {
            children.add(conv(channels, x.rank() == 4 ? channels : 1, false));
        }
        return new LayerConfig("Residual", Map.of(), children);
    }

    private LayerConfig conv(int in, int out, boolean keepsSize) {
        int k = keepsSize ? 3 : 1 + random.nextInt(3);
        int stride = keepsSize ? 1 : 1 + random.nextInt(2);
        Object padding = keepsSize ? 1 : stride == 1 && random.nextInt(4) == 0 ? "same" : random.nextInt(2);
        int groups = in % 2 == 0 && out % 2 == 0 && random.nextBoolean() ? 2 : 1;
        return LayerConfig.of("Conv2d", "in_channels", in, "out_channels", out, "kernel_size", k, "stride", stride,
                "padding", padding, "dilation", keepsSize ? 1 : 1 + random.nextInt(2), "groups", groups, "bias", random.nextBoolean());
    }

    /** A transposed convolution whose padding may cut more than its kernel adds, which a small input refuses. */
    private LayerConfig transposedConv(int in, int out) {
        int stride = 1 + random.nextInt(3);
        int dilation = 1 + random.nextInt(2);
        int groups = in % 2 == 0 && out % 2 == 0 && random.nextBoolean() ? 2 : 1;
        return LayerConfig.of("ConvTranspose2d", "in_channels", in, "out_channels", out, "kernel_size", 1 + random.nextInt(4),
                "stride", stride, "padding", random.nextInt(3), "output_padding", random.nextInt(Math.max(stride, dilation)),
                "groups", groups, "bias", random.nextBoolean(), "dilation", dilation);
    }

    private LayerConfig batchNorm(String type, int channels) {
        LayerConfig bn = LayerConfig.of(type, "num_features", channels, "affine", random.nextBoolean(),
                "track_running_stats", random.nextInt(4) != 0);
        return random.nextInt(4) == 0 ? with(bn, "momentum", null) : bn;
    }

    private static LayerConfig with(LayerConfig layer, String name, Object value) {
        Map<String, Object> args = new LinkedHashMap<>(layer.args());
        args.put(name, value);
        return new LayerConfig(layer.type(), args, List.of());
    }
}
