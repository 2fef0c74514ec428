package io.cnn4j.io;

import io.cnn4j.data.Dataset;
import io.cnn4j.data.Datasets;
import io.cnn4j.data.InputSpec;
import io.cnn4j.data.Normalize;
import io.cnn4j.data.ResizeMode;
import io.cnn4j.models.Models;
import io.cnn4j.nn.BatchNorm;
import io.cnn4j.nn.GroupNorm;
import io.cnn4j.nn.InstanceNorm2d;
import io.cnn4j.nn.LayerNorm;
import io.cnn4j.nn.Module;
import io.cnn4j.tensor.GradMode;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The models the export is checked with: every built-in model, for Fashion-MNIST and one for colour
 * pictures, and a described model holding every built-in layer type, each with random weights and batch
 * norms whose scale, shift and running statistics are far from their initial ones.
 */
final class ExportedModels {
    /** Images each model is run on. */
    static final int IMAGES = 1000;

    /** A model, the input it takes, and the images (pixels in [0, 1]) to run it on. */
    record Case(String name, Module model, InputSpec input, float[] pixels) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Built once for the tests that share them, which only read them. */
    private static List<Case> cases;

    private ExportedModels() {
    }

    static synchronized List<Case> all() {
        if (cases == null) {
            cases = build();
        }
        return cases;
    }

    private static List<Case> build() {
        List<Case> cases = new ArrayList<>();
        float[] fashion = fashionMnist();
        for (String name : Models.names()) {
            cases.add(prepared(name, Models.create(name, new Rng(7)), InputSpec.FASHION_MNIST.withNormalize(
                    new Normalize(new float[]{0.286f}, new float[]{0.353f})), fashion));
        }
        InputSpec colour = InputSpec.of(Shape.of(3, 32, 32), List.of("a", "b", "c", "d", "e"), ResizeMode.STRETCH,
                new Normalize(new float[]{0.49f, 0.48f, 0.45f}, new float[]{0.25f, 0.24f, 0.26f}));
        float[] random = random(colour.shape(), 11);
        cases.add(prepared("resnet for colour", Models.create("resnet", colour.shape(), colour.classes(), new Rng(8)),
                colour, random));
        cases.add(prepared("every layer type", ModelDescription.build(ModelDescription.parse(EVERY_LAYER)).initialize(new Rng(9)),
                colour, random));
        return cases;
    }

    /**
     * A model on 3x32x32 pictures and five classes holding each built-in layer type, most with arguments
     * other than their defaults: padding 'same', dilation, groups, strides, padded pooling with and without
     * the padding counted, a rectangular max pooling rounding up (ceil_mode), transposed convolutions with output
     * padding, adaptive pooling to 2x2, a batch norm without affine parameters, one with a cumulative average
     * (momentum null), both GELUs, the 3-D and 1-D convolutions and poolings on the pictures' channels
     * unflattened into clips and flattened into sequences, and
     * the batch-independent normalisations with and without their scale and shift.
     */
    static final String EVERY_LAYER = """
            {"type": "Sequential", "children": [
              {"type": "Conv2d", "args": {"in_channels": 3, "out_channels": 8, "kernel_size": 3, "padding": "same", "bias": false}},
              {"type": "BatchNorm2d", "args": {"num_features": 8}},
              {"type": "ReLU"},
              {"type": "GroupNorm", "args": {"num_groups": 4, "num_channels": 8}},
              {"type": "GELU"},
              {"type": "InstanceNorm2d", "args": {"num_features": 8, "affine": true}},
              {"type": "SiLU"},
              {"type": "LayerNorm", "args": {"normalized_shape": [8, 32, 32], "eps": 0.001}},
              {"type": "Hardswish"},
              {"type": "InstanceNorm2d", "args": {"num_features": 8}},
              {"type": "ELU", "args": {"alpha": 0.5}},
              {"type": "GroupNorm", "args": {"num_groups": 2, "num_channels": 8, "affine": false}},
              {"type": "GELU", "args": {"approximate": "tanh"}},
              {"type": "Conv2d", "args": {"in_channels": 8, "out_channels": 8, "kernel_size": [1, 3], "stride": [1, 1], "padding": [0, 2], "dilation": [1, 2]}},
              {"type": "Residual", "children": [{"type": "Sequential", "children": [
                {"type": "Conv2d", "args": {"in_channels": 8, "out_channels": 8, "kernel_size": 3, "padding": 2, "dilation": 2, "groups": 2}},
                {"type": "BatchNorm2d", "args": {"num_features": 8, "eps": 0.001, "momentum": 0.2}},
                {"type": "LeakyReLU", "args": {"negative_slope": 0.1}},
                {"type": "Dropout2d", "args": {"p": 0.2}}]}]},
              {"type": "MaxPool2d", "args": {"kernel_size": [3, 2], "stride": 2, "ceil_mode": true}},
              {"type": "Residual", "children": [
                {"type": "Sequential", "children": [
                  {"type": "Conv2d", "args": {"in_channels": 8, "out_channels": 16, "kernel_size": 3, "stride": 2, "padding": 1}},
                  {"type": "BatchNorm2d", "args": {"num_features": 16}},
                  {"type": "Tanh"}]},
                {"type": "Sequential", "children": [
                  {"type": "Conv2d", "args": {"in_channels": 8, "out_channels": 16, "kernel_size": 1, "stride": 2, "bias": false}},
                  {"type": "BatchNorm2d", "args": {"num_features": 16, "affine": false}}]}]},
              {"type": "Concat", "children": [
                {"type": "Identity"},
                {"type": "Sequential", "children": [{"type": "Conv2d", "args": {"in_channels": 16, "out_channels": 8, "kernel_size": 1}}, {"type": "Sigmoid"}]},
                {"type": "AvgPool2d", "args": {"kernel_size": 3, "stride": 1, "padding": 1, "count_include_pad": false}}]},
              {"type": "AvgPool2d", "args": {"kernel_size": 3, "stride": 1, "padding": 1}},
              {"type": "Upsample", "args": {"scale_factor": 2, "mode": "bilinear"}},
              {"type": "MaxPool2d", "args": {"kernel_size": 2}},
              {"type": "Upsample", "args": {"scale_factor": [2, 1]}},
              {"type": "AvgPool2d", "args": {"kernel_size": [2, 1]}},
              {"type": "ConvTranspose2d", "args": {"in_channels": 40, "out_channels": 40, "kernel_size": 3, "stride": 2, "padding": 1, "output_padding": 1, "groups": 2}},
              {"type": "ConvTranspose2d", "args": {"in_channels": 40, "out_channels": 40, "kernel_size": [3, 2], "padding": 1, "dilation": [1, 2], "bias": false}},
              {"type": "Upsample", "args": {"size": [16, 16], "mode": "bilinear", "align_corners": true}},
              {"type": "MaxPool2d", "args": {"kernel_size": 2}},
              {"type": "Unflatten", "args": {"dim": 1, "unflattened_size": [5, 8]}},
              {"type": "Conv3d", "args": {"in_channels": 5, "out_channels": 4, "kernel_size": [2, 3, 3], "padding": "same"}},
              {"type": "MaxPool3d", "args": {"kernel_size": [3, 2, 2], "stride": [1, 2, 2], "padding": [1, 0, 0]}},
              {"type": "Conv3d", "args": {"in_channels": 4, "out_channels": 8, "kernel_size": 3, "stride": [2, 1, 1], "padding": 1,
                                          "groups": 2, "bias": false}},
              {"type": "AvgPool3d", "args": {"kernel_size": 3, "stride": 1, "padding": 1, "count_include_pad": false}},
              {"type": "AdaptiveMaxPool3d", "args": {"output_size": [2, 4, 4]}},
              {"type": "AdaptiveAvgPool3d", "args": {"output_size": [1, 4, 4]}},
              {"type": "Flatten", "args": {"start_dim": 1, "end_dim": 2}},
              {"type": "Flatten", "args": {"start_dim": 2}},
              {"type": "Conv1d", "args": {"in_channels": 8, "out_channels": 16, "kernel_size": 4, "padding": "same"}},
              {"type": "MaxPool1d", "args": {"kernel_size": 2, "stride": 1, "padding": 1, "dilation": 2}},
              {"type": "Conv1d", "args": {"in_channels": 16, "out_channels": 16, "kernel_size": 5, "padding": 4, "dilation": 2,
                                          "groups": 4}},
              {"type": "AvgPool1d", "args": {"kernel_size": 3, "stride": 1, "padding": 1, "count_include_pad": false}},
              {"type": "AdaptiveMaxPool1d", "args": {"output_size": 8}},
              {"type": "AdaptiveAvgPool1d", "args": {"output_size": 4}},
              {"type": "Unflatten", "args": {"dim": 1, "unflattened_size": [4, 4]}},
              {"type": "AdaptiveMaxPool2d", "args": {"output_size": [4, 4]}},
              {"type": "AdaptiveAvgPool2d", "args": {"output_size": 2}},
              {"type": "Flatten"},
              {"type": "Dropout", "args": {"p": 0.3}},
              {"type": "Linear", "args": {"in_features": 16, "out_features": 32}},
              {"type": "BatchNorm1d", "args": {"num_features": 32, "momentum": null}},
              {"type": "ReLU"},
              {"type": "Linear", "args": {"in_features": 32, "out_features": 16}},
              {"type": "Softmax"},
              {"type": "Linear", "args": {"in_features": 16, "out_features": 5}},
              {"type": "LogSoftmax"}]}
            """;

    /**
     * {@code model} with its batch norms' scale and shift drawn at random and their running statistics moved
     * by a few training-mode passes over the images, so that an export that ignored any of them would show.
     */
    private static Case prepared(String name, Module model, InputSpec input, float[] pixels) {
        Rng rng = new Rng(name.hashCode());
        normalisations(model).forEach(norm -> {
            Tensor weight = norm.namedParameters().get("weight");
            if (weight != null) {
                fill(weight, rng, 0.5, 1.5);
                fill(norm.namedParameters().get("bias"), rng, -0.3, 0.3);
            }
        });
        model.train(true);
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            for (int from = 0; from < 128; from += 32) {
                model.forward(normalised(input, pixels, from, from + 32));
            }
        }
        model.eval();
        return new Case(name, model, input, pixels);
    }

    /** Images {@code from} to {@code to} as the model computes on them: normalised as {@code input} says. */
    static Tensor normalised(InputSpec input, float[] pixels, int from, int to) {
        Shape image = input.shape();
        float[] batch = Arrays.copyOfRange(pixels, from * image.size(), to * image.size());
        Tensor t = Tensor.of(batch, to - from, image.dim(0), image.dim(1), image.dim(2));
        if (input.normalize() != null) {
            input.normalize().apply(t);
        }
        return t;
    }

    /** The layers that start with a scale of ones and a shift of zeros. */
    private static List<Module> normalisations(Module m) {
        List<Module> found = new ArrayList<>();
        if (m instanceof BatchNorm || m instanceof LayerNorm || m instanceof GroupNorm || m instanceof InstanceNorm2d) {
            found.add(m);
        }
        m.children().values().forEach(child -> found.addAll(normalisations(child)));
        return found;
    }

    private static void fill(Tensor t, Rng rng, double lo, double hi) {
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = rng.uniform(lo, hi);
        }
    }

    private static float[] fashionMnist() {
        try {
            Dataset test = Datasets.embedded().test();
            float[] pixels = new float[IMAGES * test.imageSize()];
            test.copyImages(IntStream.range(0, IMAGES).toArray(), 0, IMAGES, pixels, 0);
            return pixels;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static float[] random(Shape image, long seed) {
        Rng rng = new Rng(seed);
        float[] pixels = new float[IMAGES * image.size()];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = rng.uniform(0, 1);
        }
        return pixels;
    }
}
