package io.cnn4j.io;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.cnn4j.data.Dataset;
import io.cnn4j.data.Datasets;
import io.cnn4j.loss.Losses;
import io.cnn4j.nn.Module;
import io.cnn4j.optim.Adam;
import io.cnn4j.optim.Optimizer;
import io.cnn4j.optim.Sgd;
import io.cnn4j.tensor.Golden;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.train.Evaluation;
import io.cnn4j.train.Evaluator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files written by {@code torch.onnx.export} (PyTorch 1.13, opsets 13 and 17, batch norm fused into the
 * convolutions or kept, a flatten by x.view; 1-D and 3-D layers behind a view of the image as a sequence or a clip)
 * import into cnn4j layers that give PyTorch's logits and test
 * accuracy, keep PyTorch's parameter names, and train on as PyTorch does. The files and the values PyTorch computed come
 * from {@code onnx/make_onnx_fixtures.py} beside them.
 */
class OnnxImportFixtureTest {
    /**
     * Max absolute difference of the logits: both sides compute in float32 and sum in different orders
     * (measured: at most 1.8e-7 over these files, 7.5e-8 over the 1-D and 3-D ones).
     */
    private static final double LOGITS = 1e-5;
    /**
     * Max absolute difference of a parameter or running statistic after three steps, for the same reason
     * (measured: at most 9e-8). No gradient here is at the rounding-noise level, where Adam's update of about
     * lr whatever the gradient's size would amplify the summation order (see PyTorchConformanceTest).
     */
    private static final double STEPS = 1e-5;

    private static final JsonObject FIXTURES = fixtures("onnx_fixtures.json");
    /** The networks of 1-d and 3-d layers, which read their image as a sequence or a clip. */
    private static final JsonObject ND_FIXTURES = fixtures("onnx_nd_fixtures.json");

    @ParameterizedTest
    @ValueSource(strings = {"plain_opset13", "plain_opset17", "resbn_opset13", "resbn_opset17", "resbn_preserve_opset13",
            "resbn_preserve_opset17", "branchy_opset13", "branchy_opset17"})
    void givesPyTorchsLogitsForTheWholeBatchAndForOneImage(String file) throws Exception {
        assertGivesPyTorchsLogits(file, FIXTURES);
    }

    @ParameterizedTest
    @ValueSource(strings = {"seq1d_opset13", "seq1d_opset17", "seq1d_preserve_opset17", "clip3d_opset13", "clip3d_opset17"})
    void oneAndThreeDimensionalLayersGivePyTorchsLogits(String file) throws Exception {
        assertGivesPyTorchsLogits(file, ND_FIXTURES);
    }

    private static void assertGivesPyTorchsLogits(String file, JsonObject fixtures) throws Exception {
        JsonObject expected = fixtures.getAsJsonObject(file.substring(0, file.indexOf('_')));
        SavedModel imported = OnnxImport.read(fixture(file + ".onnx"));
        Module model = imported.model().eval();
        Tensor images = tensor(expected.getAsJsonObject("images"));
        float[] logits = Golden.floats(expected.getAsJsonObject("logits").getAsJsonArray("values"));
        assertMaxDifference(file + ", batch of " + images.dim(0), logits, model.forward(images).toArray(), LOGITS);
        int classes = expected.get("classes").getAsInt();
        int[] dims = images.shape().dims();
        int per = images.size() / dims[0];
        for (int i = 0; i < dims[0]; i += 5) {
            Tensor one = Tensor.of(Arrays.copyOfRange(images.data(), i * per, (i + 1) * per), 1, dims[1], dims[2], dims[3]);
            assertMaxDifference(file + ", image " + i + " alone", Arrays.copyOfRange(logits, i * classes, (i + 1) * classes),
                    model.forward(one).toArray(), LOGITS);
        }
        List<Integer> shape = expected.getAsJsonArray("input_shape").asList().stream().map(e -> e.getAsInt()).toList();
        // The metadata records the shape of gray and colour pictures only (clip3d's four frames are neither).
        assertEquals(shape.get(0) == 1 || shape.get(0) == 3 ? shape.get(0) + "x" + shape.get(1) + "x" + shape.get(2) : null,
                imported.metadata().get("cnn4j.input_shape"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"fmnist_opset17", "fmnist_preserve_opset13"})
    void aModelTrainedInPyTorchHasTheSameTestAccuracyInCnn4j(String file) throws Exception {
        JsonObject expected = FIXTURES.getAsJsonObject("fmnist");
        SavedModel imported = OnnxImport.read(fixture(file + ".onnx"));
        Dataset test = Datasets.embedded().test();
        assertEquals(expected.get("test_images").getAsInt(), test.size());
        Evaluation e = Evaluator.evaluate(imported.model().eval(), test, 500);
        assertEquals(expected.get("test_correct").getAsInt(), Math.round(e.accuracy() * e.count()), file);
    }

    @Test
    void keepsPyTorchsParameterNamesAndFillsWhatTheExportDroppedWithIdentity() throws Exception {
        Module plain = OnnxImport.read(fixture("plain_opset17.onnx")).model();
        assertEquals(List.of("0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias", "10.weight", "10.bias"),
                List.copyOf(plain.stateDict().keySet()));
        assertEquals("Identity()", plain.children().get("9").toString(), "the dropout's place");

        Module preserved = OnnxImport.read(fixture("resbn_preserve_opset13.onnx")).model();
        assertEquals(pytorchNames("resbn"), names(preserved));
        // With batch norm folded in, the convolutions gain a bias and each norm's place holds an Identity.
        Module fused = OnnxImport.read(fixture("resbn_opset17.onnx")).model();
        assertTrue(fused.stateDict().containsKey("5.shortcut.0.bias"), fused.stateDict().keySet().toString());
        assertEquals("Identity()", fused.children().get("1").toString());
    }

    @Test
    void torchsOneAndThreeDimensionalLayersComeBackAsCnn4jsWithTheViewsAsFlattenAndUnflatten() throws Exception {
        assertEquals("Sequential(\n  (0): Flatten(start_dim=1, end_dim=2)\n  (1): Conv1d(12, 8, kernel_size=3, padding=1,"
                + " bias=False)\n  (2): BatchNorm1d(8)\n  (3): ReLU()\n"
                + "  (4): MaxPool1d(kernel_size=2)\n  (5): Conv1d(8, 8, kernel_size=3, stride=2, padding=1, groups=2)\n"
                + "  (6): ReLU()\n  (7): AdaptiveAvgPool1d(output_size=1)\n  (8): Flatten()\n  (9): Linear(8, 4)\n)",
                OnnxImport.read(fixture("seq1d_preserve_opset17.onnx")).model().toString());
        assertEquals("Sequential(\n  (0): Unflatten(dim=1, unflattened_size=(1, 4))\n  (1): Conv3d(1, 4, kernel_size=3, padding=1)\n"
                + "  (2): ReLU()\n  (3): MaxPool3d(kernel_size=(1, 2, 2))\n  (4): Conv3d(4, 6, kernel_size=(2, 3, 3),"
                + " padding=(0, 1, 1), bias=False)\n  (5): ReLU()\n  (6): AvgPool3d(kernel_size=3, stride=1, padding=1,"
                + " count_include_pad=False)\n  (7): AdaptiveAvgPool3d(output_size=1)\n  (8): Flatten()\n  (9): Linear(6, 3)\n)",
                OnnxImport.read(fixture("clip3d_opset13.onnx")).model().toString());
    }

    @Test
    void threeSgdStepsInCnn4jFromTheImportedWeightsMatchPyTorchs() throws Exception {
        assertStepsMatch("sgd", p -> new Sgd(p, 0.1, 0.9, 0, 1e-4, false), STEPS);
    }

    @Test
    void threeAdamStepsInCnn4jFromTheImportedWeightsMatchPyTorchs() throws Exception {
        assertStepsMatch("adam", p -> new Adam(p, 0.01), STEPS);
    }

    private static void assertStepsMatch(String run, Function<List<Tensor>, Optimizer> optimizer, double tolerance)
            throws Exception {
        JsonObject resbn = FIXTURES.getAsJsonObject("resbn");
        Module model = OnnxImport.read(fixture("resbn_preserve_opset17.onnx")).model();
        model.train(true);
        Tensor images = tensor(resbn.getAsJsonObject("images"));
        int[] dims = images.shape().dims();
        int per = images.size() / dims[0];
        Tensor batch = Tensor.of(Arrays.copyOf(images.data(), 8 * per), 8, dims[1], dims[2], dims[3]);
        int[] labels = resbn.getAsJsonArray("labels").asList().stream().mapToInt(e -> e.getAsInt()).toArray();
        Optimizer opt = optimizer.apply(model.parameters());
        for (int step = 0; step < 3; step++) {
            opt.zeroGrad();
            Losses.crossEntropy(model.forward(batch), labels).backward();
            opt.step();
        }
        JsonObject expected = resbn.getAsJsonObject(run);
        Map<String, Tensor> state = model.stateDict();
        for (String name : expected.keySet()) {
            if (name.endsWith("num_batches_tracked")) {
                continue; // ONNX does not carry the counter: cnn4j counts from 0, PyTorch from its training
            }
            assertMaxDifference(run + ": " + name, Golden.floats(expected.getAsJsonObject(name).getAsJsonArray("values")),
                    state.get(name).toArray(), tolerance);
        }
    }

    private static Set<String> pytorchNames(String network) {
        Set<String> names = new TreeSet<>(FIXTURES.getAsJsonObject(network).getAsJsonObject("sgd").keySet());
        names.removeIf(n -> n.endsWith("num_batches_tracked"));
        return names;
    }

    private static Set<String> names(Module model) {
        Set<String> names = new TreeSet<>(model.stateDict().keySet());
        names.removeIf(n -> n.endsWith("num_batches_tracked"));
        return names;
    }

    static void assertMaxDifference(String what, float[] expected, float[] actual, double tolerance) {
        assertEquals(expected.length, actual.length, what + ": values");
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(expected[i] - actual[i]);
            if (!(d <= worst)) {
                worst = d;
                at = i;
            }
        }
        double max = worst;
        int index = at;
        assertTrue(max <= tolerance, () -> what + ": max difference " + max + " at " + index + " (PyTorch " + expected[index]
                + ", cnn4j " + actual[index] + "), more than " + tolerance);
    }

    private static Tensor tensor(JsonObject spec) {
        int[] shape = Golden.ints(spec.getAsJsonArray("shape"));
        return Tensor.of(Golden.floats(spec.getAsJsonArray("values")), shape);
    }

    static Path fixture(String name) throws URISyntaxException {
        return Path.of(OnnxImportFixtureTest.class.getResource("/io/cnn4j/onnx/" + name).toURI());
    }

    private static JsonObject fixtures(String name) {
        try (Reader in = new InputStreamReader(OnnxImportFixtureTest.class.getResourceAsStream("/io/cnn4j/onnx/" + name),
                StandardCharsets.UTF_8)) {
            return JsonParser.parseReader(in).getAsJsonObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
