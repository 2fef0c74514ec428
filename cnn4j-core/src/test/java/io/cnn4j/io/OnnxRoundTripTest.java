package io.cnn4j.io;

import io.cnn4j.data.InputSpec;
import io.cnn4j.data.MovingFashion;
import io.cnn4j.data.Normalize;
import io.cnn4j.data.ResizeMode;
import io.cnn4j.models.Models;
import io.cnn4j.nn.Module;
import io.cnn4j.onnx.OnnxFile;
import io.cnn4j.onnx.OnnxModel;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Export then import gives the model back: the same architecture, every parameter and buffer bit for bit
 * (batch norms' counters and dropout's probability included), and the same input (shape, classes,
 * preprocessing, normalisation), for every built-in model (video3d on clips among them), a described model of
 * the layers whose ONNX form is one node (an Upsample by scale factors and transposed convolutions among them)
 * and one of the 1-D and 3-D convolutions and poolings between the Reshapes of Flatten and Unflatten. GELU, SiLU
 * and GroupNorm export as several nodes, which import does not gather into a layer yet, and Dropout2d comes back
 * as Dropout (ONNX has one dropout).
 */
class OnnxRoundTripTest {
    private static final String ONE_NODE_LAYERS = """
            {"type": "Sequential", "children": [
              {"type": "Conv2d", "args": {"in_channels": 3, "out_channels": 4, "kernel_size": [3, 1], "padding": [1, 0]}},
              {"type": "InstanceNorm2d", "args": {"num_features": 4, "affine": true}},
              {"type": "ELU", "args": {"alpha": 0.5}},
              {"type": "InstanceNorm2d", "args": {"num_features": 4, "eps": 0.001}},
              {"type": "Hardswish"},
              {"type": "ConvTranspose2d", "args": {"in_channels": 4, "out_channels": 4, "kernel_size": 3, "stride": 2, "padding": 1, "output_padding": 1, "groups": 2}},
              {"type": "MaxPool2d", "args": {"kernel_size": 2}},
              {"type": "ConvTranspose2d", "args": {"in_channels": 4, "out_channels": 4, "kernel_size": 3, "padding": [2, 1], "dilation": [2, 1], "bias": false}},
              {"type": "Upsample", "args": {"scale_factor": [2, 3], "mode": "nearest"}},
              {"type": "Upsample", "args": {"scale_factor": 1, "mode": "bilinear", "align_corners": false}},
              {"type": "AvgPool2d", "args": {"kernel_size": [2, 3]}},
              {"type": "MaxPool2d", "args": {"kernel_size": [3, 1], "stride": 1, "padding": [1, 0], "ceil_mode": true}},
              {"type": "AvgPool2d", "args": {"kernel_size": [1, 3], "stride": 1, "padding": [0, 1], "count_include_pad": false}},
              {"type": "LayerNorm", "args": {"normalized_shape": [4, 32, 32]}},
              {"type": "Dropout", "args": {"p": 0.3}},
              {"type": "AdaptiveAvgPool2d", "args": {"output_size": 1}},
              {"type": "Flatten"},
              {"type": "LayerNorm", "args": {"normalized_shape": 4, "elementwise_affine": false}},
              {"type": "Linear", "args": {"in_features": 4, "out_features": 5}}]}
            """;

    /** The 1-D and 3-D layers, reached from a colour picture through Unflatten and Flatten. */
    private static final String ND_LAYERS = """
            {"type": "Sequential", "children": [
              {"type": "Unflatten", "args": {"dim": 1, "unflattened_size": [1, 3]}},
              {"type": "Conv3d", "args": {"in_channels": 1, "out_channels": 4, "kernel_size": [2, 3, 3], "padding": "same"}},
              {"type": "ReLU"},
              {"type": "MaxPool3d", "args": {"kernel_size": [3, 2, 2], "stride": [1, 2, 2], "padding": [1, 0, 0]}},
              {"type": "Conv3d", "args": {"in_channels": 4, "out_channels": 8, "kernel_size": 3, "stride": [2, 1, 1], "padding": 1,
                                          "groups": 2, "bias": false}},
              {"type": "AvgPool3d", "args": {"kernel_size": 3, "stride": 1, "padding": 1, "count_include_pad": false}},
              {"type": "MaxPool3d", "args": {"kernel_size": [1, 4, 4], "dilation": [2, 1, 1]}},
              {"type": "Flatten", "args": {"start_dim": 1, "end_dim": 2}},
              {"type": "Flatten", "args": {"start_dim": 2}},
              {"type": "Conv1d", "args": {"in_channels": 16, "out_channels": 16, "kernel_size": 4, "padding": "same"}},
              {"type": "BatchNorm1d", "args": {"num_features": 16}},
              {"type": "MaxPool1d", "args": {"kernel_size": 2, "stride": 1, "padding": 1, "dilation": 2}},
              {"type": "Conv1d", "args": {"in_channels": 16, "out_channels": 16, "kernel_size": 5, "padding": 4, "dilation": 2,
                                          "groups": 4}},
              {"type": "AvgPool1d", "args": {"kernel_size": 3, "stride": 1, "padding": 1, "ceil_mode": true}},
              {"type": "Unflatten", "args": {"dim": 2, "unflattened_size": [2, 2, 4]}},
              {"type": "AdaptiveAvgPool3d", "args": {"output_size": 1}},
              {"type": "AdaptiveMaxPool3d", "args": {"output_size": 1}},
              {"type": "Flatten", "args": {"start_dim": 2}},
              {"type": "AdaptiveMaxPool1d", "args": {"output_size": 1}},
              {"type": "AdaptiveAvgPool1d", "args": {"output_size": 1}},
              {"type": "Flatten"},
              {"type": "Linear", "args": {"in_features": 16, "out_features": 5}}]}
            """;

    @TestFactory
    Stream<DynamicTest> exportThenImportGivesTheModelBack() {
        ExportedModels.Case colour = ExportedModels.all().stream().filter(c -> c.name().equals("every layer type")).findFirst()
                .orElseThrow();
        ExportedModels.Case oneNode = new ExportedModels.Case("layers of one node",
                ModelDescription.build(ModelDescription.parse(ONE_NODE_LAYERS)).initialize(new Rng(3)), colour.input(),
                colour.pixels());
        ExportedModels.Case nd = new ExportedModels.Case("1-d and 3-d layers",
                ModelDescription.build(ModelDescription.parse(ND_LAYERS)).initialize(new Rng(4)), colour.input(),
                colour.pixels());
        Shape clip = Shape.of(1, 4, 16, 16);
        ExportedModels.Case clips = new ExportedModels.Case("video3d", Models.create("video3d", clip, 8, new Rng(6)),
                InputSpec.of(clip, MovingFashion.DIRECTIONS, ResizeMode.STRETCH, new Normalize(new float[] {0.1f},
                        new float[] {0.3f})), new float[0]);
        Stream<ExportedModels.Case> cases = Stream.concat(ExportedModels.all().stream().filter(c -> c != colour),
                Stream.of(oneNode, nd, clips));
        return cases.map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            OnnxModel exported = OnnxExport.of(c.model(), c.input()).toOnnx();
            SavedModel back = OnnxImport.builtIn().convert(OnnxFile.decode(OnnxFile.encode(exported), c.name(), null), c.name());
            Module model = back.model();
            assertEquals(ModelDescription.toJson(c.model().config()), ModelDescription.toJson(model.config()), c.name());
            Map<String, Tensor> expected = c.model().stateDict();
            Map<String, Tensor> actual = model.stateDict();
            assertEquals(expected.keySet(), actual.keySet(), c.name());
            expected.forEach((name, t) -> assertArrayEquals(t.data(), actual.get(name).data(), c.name() + ": " + name));
            assertEquals(metadata(c.input()), metadata(InputSpec.fromMetadata(back.metadata())), c.name());
        }));
    }

    private static Map<String, String> metadata(InputSpec spec) {
        Map<String, String> out = new LinkedHashMap<>();
        spec.toMetadata(out);
        return out;
    }
}
