package io.cnn4j.io;

import io.cnn4j.data.InputSpec;
import io.cnn4j.data.Normalize;
import io.cnn4j.limits.TooLargeException;
import io.cnn4j.nn.BatchNorm2d;
import io.cnn4j.nn.Conv2d;
import io.cnn4j.nn.Conv2dConfig;
import io.cnn4j.nn.Flatten;
import io.cnn4j.nn.Linear;
import io.cnn4j.nn.MaxPool2d;
import io.cnn4j.nn.Module;
import io.cnn4j.nn.ReLU;
import io.cnn4j.nn.Residual;
import io.cnn4j.nn.Sequential;
import io.cnn4j.onnx.OnnxAttribute;
import io.cnn4j.onnx.OnnxFile;
import io.cnn4j.onnx.OnnxFormatException;
import io.cnn4j.onnx.OnnxGraph;
import io.cnn4j.onnx.OnnxModel;
import io.cnn4j.onnx.OnnxNode;
import io.cnn4j.onnx.OnnxTensor;
import io.cnn4j.onnx.OpsetId;
import io.cnn4j.onnx.ValueInfo;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link OnnxImport} refuses, each in one sentence naming the node, its op type and what is supported,
 * and the round trip of a graph shaped as cnn4j's ONNX export writes one: the same architecture and bitwise
 * the same parameters, the leading Sub and Div taken as the input's normalisation.
 */
class OnnxImportTest {
    private static final List<String> SUPPORTED = List.of("AveragePool", "BatchNormalization", "Conv", "ConvTranspose", "Dropout", "Elu",
            "Flatten", "Gemm", "GlobalAveragePool", "GlobalMaxPool", "HardSwish", "InstanceNormalization", "LayerNormalization", "LeakyRelu",
            "LogSoftmax", "MaxPool", "Relu", "Resize", "Sigmoid", "Softmax", "Tanh");

    @TempDir
    Path tmp;

    @Test
    void anUnsupportedOpIsNamedWithItsNodeAndWhatIsSupported() {
        for (String op : List.of("Erf", "LSTM")) {
            OnnxModel model = model(List.of(
                    OnnxNode.of("/0/" + op, op, List.of("input"), List.of("y")),
                    OnnxNode.of("/1/Flatten", "Flatten", List.of("y"), List.of("logits"))), List.of(), 17);
            String message = assertThrows(OnnxFormatException.class, () -> OnnxImport.builtIn().convert(model, "m.onnx"))
                    .getMessage();
            assertTrue(message.startsWith("m.onnx: node '/0/" + op + "' (" + op + ") is an operation cnn4j does not import;"
                    + " it imports " + String.join(", ", SUPPORTED) + ", and around them Identity, Constant"), message);
            assertFalse(message.contains("\n"), message);
        }
    }

    @Test
    void anAttributeValueALayerCannotTakeIsNamed() {
        OnnxModel model = model(List.of(
                OnnxNode.of("/0/Conv", "Conv", List.of("input", "w"), List.of("logits"),
                        OnnxAttribute.ofInts("pads", 0, 1, 1, 1))), List.of(OnnxTensor.ofFloats("w", new float[9], 1, 1, 3, 3)), 17);
        assertEquals("m.onnx: node '/0/Conv' (Conv) cannot be imported: its pads [0, 1, 1, 1] differ between opposite sides;"
                        + " cnn4j pads the top as the bottom and the left as the right.",
                assertThrows(OnnxFormatException.class, () -> OnnxImport.builtIn().convert(model, "m.onnx")).getMessage());
        OnnxModel lopsided = model(List.of(OnnxNode.of("/0/MaxPool", "MaxPool", List.of("input"), List.of("logits"),
                OnnxAttribute.ofInts("kernel_shape", 2, 2), OnnxAttribute.ofInts("pads", 1, 0, 0, 0))), List.of(), 17);
        assertEquals("m.onnx: node '/0/MaxPool' (MaxPool) cannot be imported: its pads [1, 0, 0, 0] differ between opposite"
                        + " sides; cnn4j pads the top as the bottom and the left as the right.",
                assertThrows(OnnxFormatException.class, () -> OnnxImport.builtIn().convert(lopsided, "m.onnx")).getMessage());
    }

    @Test
    void sequencesImportThroughAReshapeAndOneDimensionalLayersRefusingWhatTheyCannotTake() throws Exception {
        OnnxTensor rows = OnnxTensor.ofLongs("rows", new long[]{0, 4, 4}, 3);
        OnnxNode toRows = OnnxNode.of("/0/Reshape", "Reshape", List.of("input", "rows"), List.of("s"));
        OnnxTensor w = OnnxTensor.ofFloats("w", new float[16], 2, 4, 2);
        OnnxModel same = model(List.of(toRows,
                OnnxNode.of("/1/Conv", "Conv", List.of("s", "w"), List.of("c"), OnnxAttribute.ofInts("pads", 0, 1)),
                OnnxNode.of("/2/MaxPool", "MaxPool", List.of("c"), List.of("p"), OnnxAttribute.ofInts("kernel_shape", 2),
                        OnnxAttribute.ofInts("strides", 2)),
                OnnxNode.of("/3/GlobalAveragePool", "GlobalAveragePool", List.of("p"), List.of("logits"))),
                List.of(rows, w), 17);
        assertEquals("Sequential(\n  (0): Flatten(start_dim=1, end_dim=2)\n  (1): Conv1d(4, 2, kernel_size=2, padding='same',"
                + " bias=False)\n  (2): MaxPool1d(kernel_size=2)\n  (3): AdaptiveAvgPool1d(output_size=1)\n)",
                OnnxImport.builtIn().convert(same, "m.onnx").model().toString());
        OnnxModel lopsided = model(List.of(toRows,
                OnnxNode.of("/1/Conv", "Conv", List.of("s", "w"), List.of("logits"), OnnxAttribute.ofInts("pads", 1, 0))),
                List.of(rows, w), 17);
        assertEquals("m.onnx: node '/1/Conv' (Conv) cannot be imported: its pads [1, 0] differ between the ends of an axis;"
                        + " cnn4j pads both ends alike (or as PyTorch's padding='same' for a convolution of stride 1).",
                assertThrows(OnnxFormatException.class, () -> OnnxImport.builtIn().convert(lopsided, "m.onnx")).getMessage());
        OnnxModel square = model(List.of(toRows, OnnxNode.of("/1/MaxPool", "MaxPool", List.of("s"), List.of("logits"),
                OnnxAttribute.ofInts("kernel_shape", 2, 2))), List.of(rows), 17);
        assertEquals("m.onnx: node '/1/MaxPool' (MaxPool) cannot be imported: its kernel_shape [2, 2] is not a 1-d window.",
                assertThrows(OnnxFormatException.class, () -> OnnxImport.builtIn().convert(square, "m.onnx")).getMessage());
        OnnxTensor odd = OnnxTensor.ofLongs("odd", new long[]{0, 16, 1}, 3);
        OnnxModel shuffle = model(List.of(OnnxNode.of("/0/Reshape", "Reshape", List.of("input", "odd"), List.of("logits"))),
                List.of(odd), 17);
        assertEquals("m.onnx: node '/0/Reshape' (Reshape) cannot be imported: its target shape [0, 16, 1] of an input of"
                        + " shape [1, 1, 4, 4] is neither a flatten to [batch, 16], a merge of neighbouring dimensions nor a"
                        + " split of one; cnn4j imports a Reshape as Flatten or Unflatten.",
                assertThrows(OnnxFormatException.class, () -> OnnxImport.builtIn().convert(shuffle, "m.onnx")).getMessage());
    }

    @Test
    void aCycleIsRefusedWhateverOrderTheFileListsTheNodesIn() {
        OnnxModel model = model(List.of(
                OnnxNode.of("a", "Relu", List.of("c"), List.of("b")),
                OnnxNode.of("add", "Add", List.of("input", "b"), List.of("c")),
                OnnxNode.of("out", "Relu", List.of("c"), List.of("logits"))), List.of(), 17);
        assertEquals("m.onnx: its nodes node 'a' (Relu), node 'add' (Add), node 'out' (Relu) wait on each other in a cycle;"
                        + " an ONNX graph is acyclic.",
                assertThrows(OnnxFormatException.class, () -> OnnxImport.builtIn().convert(model, "m.onnx")).getMessage());
    }

    @Test
    void aValueNothingGivesIsNamed() {
        OnnxModel model = model(List.of(OnnxNode.of("/0/Add", "Add", List.of("input", "ghost"), List.of("logits"))),
                List.of(), 17);
        assertEquals("m.onnx: node '/0/Add' (Add) reads 'ghost', which no node, initializer or graph input gives.",
                assertThrows(OnnxFormatException.class, () -> OnnxImport.builtIn().convert(model, "m.onnx")).getMessage());
    }

    @Test
    void nodesListedOutOfOrderImportAsTheirGraphSays() throws Exception {
        List<OnnxNode> nodes = List.of(
                OnnxNode.of("/3/Flatten", "Flatten", List.of("p"), List.of("logits")),
                OnnxNode.of("/2/GlobalAveragePool", "GlobalAveragePool", List.of("r"), List.of("p")),
                OnnxNode.of("/1/Relu", "Relu", List.of("input"), List.of("r")));
        Module model = OnnxImport.builtIn().convert(model(nodes, List.of(), 13), "m.onnx").model();
        assertEquals("Sequential(\n  (0): Identity()\n  (1): ReLU()\n  (2): AdaptiveAvgPool2d(output_size=1)\n  (3): Flatten()\n)",
                model.toString());
    }

    @Test
    void matMulWithItsBiasAConstantReshapeIdentityAndDropoutImportAsLayers() throws Exception {
        float[] w = new float[16 * 3];
        for (int i = 0; i < w.length; i++) {
            w[i] = (i % 7 - 3) * 0.25f;
        }
        OnnxModel model = model(List.of(
                OnnxNode.of("/0/Identity", "Identity", List.of("input"), List.of("a")),
                OnnxNode.of("/1/Dropout", "Dropout", List.of("a"), List.of("b")),
                OnnxNode.of("/2/Constant", "Constant", List.of(), List.of("shape"),
                        OnnxAttribute.of("value", OnnxTensor.ofLongs("", new long[]{0, -1}, 2))),
                OnnxNode.of("/2/Reshape", "Reshape", List.of("b", "shape"), List.of("c")),
                OnnxNode.of("/3/MatMul", "MatMul", List.of("c", "w"), List.of("d")),
                OnnxNode.of("/3/Add", "Add", List.of("bias", "d"), List.of("e")),
                OnnxNode.of("/4/LogSoftmax", "LogSoftmax", List.of("e"), List.of("logits"), OnnxAttribute.of("axis", 1L))),
                List.of(OnnxTensor.ofFloats("w", w, 16, 3), OnnxTensor.ofFloats("bias", new float[]{1, 2, 3}, 3)), 13);
        Module imported = OnnxImport.builtIn().convert(model, "m.onnx").model();
        assertEquals("Sequential(\n  (0): Identity()\n  (1): Dropout(p=0.5)\n  (2): Flatten()\n  (3): Linear(16, 3)\n"
                + "  (4): LogSoftmax()\n)", imported.toString());
        float[] x = randoms(new Rng(3), 16);
        double[] z = new double[3];
        for (int o = 0; o < 3; o++) {
            z[o] = o + 1;
            for (int i = 0; i < 16; i++) {
                z[o] += x[i] * w[i * 3 + o];
            }
        }
        double log = Math.log(Math.exp(z[0]) + Math.exp(z[1]) + Math.exp(z[2]));
        float[] out = imported.eval().forward(Tensor.of(x, 1, 1, 4, 4)).data();
        for (int o = 0; o < 3; o++) {
            assertEquals(z[o] - log, out[o], 1e-5);
        }
    }

    @Test
    void thousandsOfBlocksInARowImportWithoutDeepRecursionAndBlocksNestedTooDeeplyAreRefused() throws Exception {
        List<OnnxNode> row = new ArrayList<>();
        String x = "input";
        for (int i = 0; i < 3000; i++) {
            row.add(OnnxNode.of("/" + i + "/body/Relu", "Relu", List.of(x), List.of("r" + i)));
            String out = i == 2999 ? "logits" : "a" + i;
            row.add(OnnxNode.of("/" + i + "/Add", "Add", List.of("r" + i, x), List.of(out)));
            x = out;
        }
        Module model = OnnxImport.builtIn().convert(model(row, List.of(), 17), "m.onnx").model();
        assertEquals(3000, ((Sequential) model).size());
        assertEquals("Residual(\n  (body): ReLU()\n)", ((Sequential) model).get(2999).toString());

        // x + (x + (x + ... relu(x))): each Add inside the previous one's body.
        List<OnnxNode> nested = new ArrayList<>(List.of(OnnxNode.of("relu", "Relu", List.of("input"), List.of("n0"))));
        for (int i = 1; i <= 150; i++) {
            nested.add(OnnxNode.of("add" + i, "Add", List.of("n" + (i - 1), "input"), List.of(i == 150 ? "logits" : "n" + i)));
        }
        assertEquals("m.onnx: node 'add50' (Add) lies inside more than 100 nested residuals or concatenations; cnn4j imports"
                        + " networks nested less deeply.",
                assertThrows(OnnxFormatException.class, () -> OnnxImport.builtIn().convert(model(nested, List.of(), 17), "m.onnx"))
                        .getMessage());
    }

    @Test
    void anOpsetOutsideThirteenToSeventeenIsRefused() {
        OnnxModel model = model(List.of(OnnxNode.of("r", "Relu", List.of("input"), List.of("logits"))), List.of(), 11);
        assertEquals("m.onnx uses ONNX opset 11; cnn4j imports opsets 13 to 17 (torch.onnx.export(..., opset_version=17)).",
                assertThrows(OnnxFormatException.class, () -> OnnxImport.builtIn().convert(model, "m.onnx")).getMessage());
    }

    @Test
    void anInputClaimingHugeImagesIsRefusedBeforeAnythingIsBuilt() {
        OnnxGraph graph = new OnnxGraph("g", List.of(OnnxNode.of("r", "Relu", List.of("input"), List.of("logits"))), List.of(),
                List.of(ValueInfo.floats("input", ValueInfo.Dim.named("batch"), ValueInfo.Dim.of(3), ValueInfo.Dim.of(1_000_000),
                        ValueInfo.Dim.of(1_000_000))),
                List.of(ValueInfo.floats("logits")), List.of());
        OnnxModel model = new OnnxModel(8, List.of(new OpsetId("", 17)), "t", "", graph, Map.of());
        assertEquals("m.onnx: its input 'input' claims images of 3x1000000x1000000, 3,000,000,000,000 values each, more than"
                        + " a cnn4j tensor holds.",
                assertThrows(OnnxFormatException.class, () -> OnnxImport.builtIn().convert(model, "m.onnx")).getMessage());
        OnnxGraph large = new OnnxGraph("g", graph.nodes(), List.of(), List.of(ValueInfo.floats("input",
                ValueInfo.Dim.named("batch"), ValueInfo.Dim.of(1), ValueInfo.Dim.of(40_000), ValueInfo.Dim.of(40_000))),
                graph.outputs(), List.of());
        long heap = Runtime.getRuntime().maxMemory();
        if (heap < 6_400_000_000L) {
            assertThrows(TooLargeException.class, () -> OnnxImport.builtIn()
                    .convert(new OnnxModel(8, List.of(new OpsetId("", 17)), "t", "", large, Map.of()), "m.onnx"));
        }
    }

    @Test
    void aTruncatedFileIsRefusedNamingTheFile() throws Exception {
        byte[] whole = Files.readAllBytes(OnnxImportFixtureTest.fixture("resbn_opset17.onnx"));
        Path file = tmp.resolve("cut.onnx");
        Files.write(file, Arrays.copyOf(whole, whole.length / 2));
        String message = assertThrows(OnnxFormatException.class, () -> ModelFile.read(file)).getMessage();
        assertTrue(message.startsWith(file.toString()), message);
        assertFalse(message.contains("\n"), message);
    }

    @Test
    void modelFileTellsOnnxFromSafetensorsByContent() throws Exception {
        Path onnx = tmp.resolve("model.bin");
        Files.copy(OnnxImportFixtureTest.fixture("plain_opset13.onnx"), onnx);
        assertTrue(ModelFile.isOnnx(onnx));
        Path safetensors = tmp.resolve("model.onnx.safetensors");
        ModelFile.save(safetensors, ModelFile.read(onnx).model());
        assertFalse(ModelFile.isOnnx(safetensors));
        assertEquals(ModelDescription.toJson(ModelFile.architecture(onnx)), ModelDescription.toJson(ModelFile.architecture(safetensors)));
    }

    @Test
    void aLayerOfOnesOwnImportsThroughItsOwnImporter() throws Exception {
        OnnxModel model = model(List.of(OnnxNode.of("/0/Swish", "Swish", List.of("input"), List.of("logits"))), List.of(), 17);
        assertThrows(OnnxFormatException.class, () -> OnnxImport.builtIn().convert(model, "m.onnx"));
        OnnxImport withSwish = OnnxImport.builtIn().with("Swish", (node, constants, input) -> new ReLU());
        assertEquals("ReLU()", ((Sequential) withSwish.convert(model, "m.onnx").model()).get(0).toString());
        assertThrows(IllegalArgumentException.class, () -> OnnxImport.builtIn().with("Conv", (n, c, in) -> new ReLU()));
    }

    // ---- round trip of a graph as cnn4j's export writes it

    @Test
    void aGraphAsCnn4jExportsItImportsToTheSameArchitectureAndBitwiseTheSameParameters() throws Exception {
        Sequential original = new Sequential(
                new Conv2d(Conv2dConfig.of(3, 4, 3).padding(1).bias(false)), new BatchNorm2d(4), new ReLU(),
                new Residual(new Sequential(new Conv2d(Conv2dConfig.of(4, 4, 3).padding(1)), new BatchNorm2d(4), new ReLU(),
                        new Conv2d(Conv2dConfig.of(4, 4, 3).padding(1)))),
                new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(4 * 4 * 4, 3));
        original.initialize(new Rng(7));
        Rng rng = new Rng(8);
        original.stateDict().forEach((name, t) -> {
            if (name.endsWith("num_batches_tracked")) {
                t.data()[0] = 42;
            } else if (name.contains("running")) {
                for (int i = 0; i < t.size(); i++) {
                    t.data()[i] = name.endsWith("var") ? 0.5f + (float) rng.nextDouble() : (float) rng.nextDouble() - 0.5f;
                }
            }
        });
        Normalize normalize = new Normalize(new float[]{0.49f, 0.48f, 0.45f}, new float[]{0.25f, 0.24f, 0.26f});
        Map<String, String> metadata = new LinkedHashMap<>();
        InputSpec.of(io.cnn4j.tensor.Shape.of(3, 8, 8), List.of("cat", "dog", "eel"), io.cnn4j.data.ResizeMode.CROP, normalize)
                .toMetadata(metadata);
        OnnxModel exported = exportedAsAgreed(original, normalize, metadata);
        Path file = tmp.resolve("model.onnx");
        Files.write(file, OnnxFile.encode(exported));

        SavedModel imported = ModelFile.read(file);
        assertEquals(ModelDescription.toJson(original.config()), ModelDescription.toJson(imported.model().config()));
        Map<String, Tensor> before = original.stateDict();
        Map<String, Tensor> after = imported.model().stateDict();
        assertEquals(before.keySet(), after.keySet());
        before.forEach((name, t) -> assertArrayEquals(t.data(), after.get(name).data(), name));
        Path saved = tmp.resolve("model.safetensors");
        ModelFile.save(saved, imported.model(), imported.metadata());
        assertEquals(metadata.get(InputSpec.NORMALIZE_KEY), ModelFile.read(saved).metadata().get(InputSpec.NORMALIZE_KEY));
        InputSpec spec = InputSpec.fromMetadata(imported.metadata());
        assertEquals(metadata, imported.metadata());
        assertEquals(normalize.spec(), spec.normalize().spec());
        assertEquals(List.of("cat", "dog", "eel"), spec.classNames());

        // The model without its leading Sub and Div takes normalised images: what cnn4j feeds it.
        Tensor images = Tensor.of(randoms(new Rng(9), 2 * 3 * 8 * 8), 2, 3, 8, 8);
        Tensor normalised = Tensor.of(images.data().clone(), images.shape());
        normalize.apply(normalised);
        assertArrayEquals(original.eval().forward(normalised).data(), imported.model().eval().forward(normalised).data());
    }

    /** The graph cnn4j's ONNX export writes for {@code model} (a Sequential of the layers used here), as agreed between the two. */
    private static OnnxModel exportedAsAgreed(Sequential model, Normalize normalize, Map<String, String> metadata) {
        List<OnnxNode> nodes = new ArrayList<>();
        List<OnnxTensor> initializers = new ArrayList<>();
        String spec = normalize.spec();
        float[] mean = floats(spec.substring(0, spec.indexOf(':')));
        float[] std = floats(spec.substring(spec.indexOf(':') + 1));
        initializers.add(OnnxTensor.ofFloats("cnn4j.normalize.mean", mean, 1, 3, 1, 1));
        initializers.add(OnnxTensor.ofFloats("cnn4j.normalize.std", std, 1, 3, 1, 1));
        nodes.add(OnnxNode.of("/normalize/Sub", "Sub", List.of("input", "cnn4j.normalize.mean"), List.of("/normalize/Sub_output_0")));
        nodes.add(OnnxNode.of("/normalize/Div", "Div", List.of("/normalize/Sub_output_0", "cnn4j.normalize.std"),
                List.of("/normalize/Div_output_0")));
        String x = export(model, "", "/normalize/Div_output_0", nodes, initializers);
        nodes.add(OnnxNode.of("/out/Identity", "Identity", List.of(x), List.of("logits")));
        OnnxGraph graph = new OnnxGraph("cnn4j", nodes, initializers,
                List.of(ValueInfo.floats("input", ValueInfo.Dim.named("batch"), ValueInfo.Dim.of(3), ValueInfo.Dim.of(8),
                        ValueInfo.Dim.of(8))),
                List.of(ValueInfo.floats("logits", ValueInfo.Dim.named("batch"), ValueInfo.Dim.of(3))), List.of());
        Map<String, String> props = new LinkedHashMap<>(metadata);
        return new OnnxModel(OnnxFile.IR_VERSION, List.of(new OpsetId("", 17)), "cnn4j", "0.1.0", graph, props);
    }

    private static String export(Module m, String path, String x, List<OnnxNode> nodes, List<OnnxTensor> init) {
        String scope = "/" + (path.isEmpty() ? "" : path.replace('.', '/') + "/");
        String out = scope + m.getClass().getSimpleName() + "_output_0";
        switch (m) {
            case Sequential s -> {
                String v = x;
                for (int i = 0; i < s.size(); i++) {
                    v = export(s.get(i), join(path, Integer.toString(i)), v, nodes, init);
                }
                return v;
            }
            case Residual r -> {
                String body = export(r.body(), join(path, "body"), x, nodes, init);
                nodes.add(OnnxNode.of(scope + "Add", "Add", List.of(body, x), List.of(out)));
            }
            case Conv2d c -> {
                List<String> inputs = new ArrayList<>(List.of(x, param(c, path, "weight", init)));
                if (c.bias() != null) {
                    inputs.add(param(c, path, "bias", init));
                }
                var p = (io.cnn4j.nn.Padding.Fixed) c.settings().padding();
                nodes.add(OnnxNode.of(scope + "Conv", "Conv", inputs, List.of(out),
                        OnnxAttribute.ofInts("kernel_shape", c.settings().kernelH(), c.settings().kernelW()),
                        OnnxAttribute.ofInts("pads", p.height(), p.width(), p.height(), p.width()),
                        OnnxAttribute.ofInts("strides", 1, 1)));
            }
            case BatchNorm2d b -> {
                init.add(OnnxTensor.ofLongs(join(path, "num_batches_tracked"), new long[]{b.numBatchesTracked()}));
                nodes.add(batchNorm(b, path, scope, x, out, init));
            }
            case ReLU r -> nodes.add(OnnxNode.of(scope + "Relu", "Relu", List.of(x), List.of(out)));
            case MaxPool2d p -> nodes.add(OnnxNode.of(scope + "MaxPool", "MaxPool", List.of(x), List.of(out),
                    OnnxAttribute.ofInts("kernel_shape", 2, 2), OnnxAttribute.ofInts("strides", 2, 2)));
            case Flatten f -> nodes.add(OnnxNode.of(scope + "Flatten", "Flatten", List.of(x), List.of(out), OnnxAttribute.of("axis", 1L)));
            case Linear l -> nodes.add(OnnxNode.of(scope + "Gemm", "Gemm", List.of(x, param(l, path, "weight", init),
                    param(l, path, "bias", init)), List.of(out), OnnxAttribute.of("transB", 1L)));
            default -> throw new IllegalArgumentException(m.toString());
        }
        return out;
    }

    private static OnnxNode batchNorm(BatchNorm2d b, String path, String scope, String x, String out, List<OnnxTensor> init) {
        return OnnxNode.of(scope + "BatchNormalization", "BatchNormalization",
                List.of(x, param(b, path, "weight", init), param(b, path, "bias", init), param(b, path, "running_mean", init),
                        param(b, path, "running_var", init)), List.of(out),
                OnnxAttribute.of("epsilon", (float) b.settings().eps()), OnnxAttribute.of("momentum", (float) (1 - b.settings().momentum().getAsDouble())));
    }

    private static String param(Module m, String path, String name, List<OnnxTensor> init) {
        Tensor t = m.stateDict().get(name);
        String full = join(path, name);
        init.add(OnnxTensor.ofFloats(full, t.data(), Arrays.stream(t.shape().dims()).asLongStream().toArray()));
        return full;
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static float[] floats(String list) {
        String[] parts = list.split(",");
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Float.parseFloat(parts[i]);
        }
        return out;
    }

    private static float[] randoms(Rng rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextDouble();
        }
        return v;
    }

    /** A model of {@code nodes} from 'input' [batch, 1, 4, 4] to 'logits'. */
    private static OnnxModel model(List<OnnxNode> nodes, List<OnnxTensor> initializers, long opset) {
        OnnxGraph graph = new OnnxGraph("g", nodes, initializers,
                List.of(ValueInfo.floats("input", ValueInfo.Dim.named("batch"), ValueInfo.Dim.of(1), ValueInfo.Dim.of(4),
                        ValueInfo.Dim.of(4))),
                List.of(ValueInfo.floats("logits")), List.of());
        return new OnnxModel(OnnxFile.IR_VERSION, List.of(new OpsetId("", opset)), "test", "", graph, Map.of());
    }
}
