package io.cnn4j.io;

import io.cnn4j.fuzz.Mutation;
import io.cnn4j.fuzz.Mutations;
import io.cnn4j.nn.LayerRegistry;
import io.cnn4j.nn.Module;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

import java.util.ArrayList;
import java.util.List;

/** Small model descriptions that between them use every layer type, as seeds for the fuzz tests. */
final class FuzzModels {
    static final List<String> DESCRIPTIONS = List.of(
            """
            {"type": "Sequential", "children": [
              {"type": "Conv2d", "args": {"in_channels": 1, "out_channels": 2, "kernel_size": 3, "stride": 1,
                                          "padding": 1, "dilation": 1, "groups": 1, "bias": true}},
              {"type": "BatchNorm2d", "args": {"num_features": 2, "eps": 1e-5, "momentum": 0.1}},
              {"type": "ReLU"},
              {"type": "MaxPool2d", "args": {"kernel_size": 2, "stride": 2, "padding": 0}},
              {"type": "AvgPool2d", "args": {"kernel_size": 2, "count_include_pad": false}},
              {"type": "Dropout2d", "args": {"p": 0.1}},
              {"type": "Flatten"},
              {"type": "Linear", "args": {"in_features": 8, "out_features": 3}},
              {"type": "Softmax"}]}
            """,
            """
            {"type": "Sequential", "children": [
              {"type": "Flatten"},
              {"type": "Linear", "args": {"in_features": 4, "out_features": 3}},
              {"type": "BatchNorm1d", "args": {"num_features": 3, "affine": false, "track_running_stats": true}},
              {"type": "Tanh"}, {"type": "Sigmoid"},
              {"type": "Dropout", "args": {"p": 0.5}},
              {"type": "Linear", "args": {"in_features": 3, "out_features": 2, "bias": false}},
              {"type": "LogSoftmax"}]}
            """,
            """
            {"type": "Sequential", "children": [
              {"type": "Residual", "children": [
                {"type": "Sequential", "children": [
                  {"type": "Conv2d", "args": {"in_channels": 2, "out_channels": 2, "kernel_size": 3, "padding": "same",
                                              "groups": 2}},
                  {"type": "LeakyReLU", "args": {"negative_slope": 0.1}}]},
                {"type": "Conv2d", "args": {"in_channels": 2, "out_channels": 2, "kernel_size": 1, "bias": false}}]},
              {"type": "Concat", "children": [{"type": "Identity"}, {"type": "Identity"}]},
              {"type": "AdaptiveAvgPool2d", "args": {"output_size": 1}},
              {"type": "Flatten"}]}
            """);

    private FuzzModels() {
    }

    /** Mutations of a description: broken JSON, lying numbers, swapped layer types and argument names. */
    static Arbitrary<List<Mutation>> mutations() {
        List<String> words = new ArrayList<>(List.of("type", "args", "children", "same", "valid", "x"));
        for (String type : LayerRegistry.builtIn().names()) {
            words.add(type);
            LayerRegistry.builtIn().find(type).orElseThrow().arguments().forEach(a -> words.add(a.name()));
        }
        return Mutations.mostly(Arbitraries.oneOf(Mutations.textNumber(), Mutations.textWord(words)));
    }

    static Module build(int index) {
        return ModelDescription.build(ModelDescription.parse(DESCRIPTIONS.get(index)));
    }
}
