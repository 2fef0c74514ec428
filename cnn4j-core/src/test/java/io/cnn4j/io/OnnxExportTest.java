package io.cnn4j.io;

import io.cnn4j.data.InputSpec;
import io.cnn4j.data.Normalize;
import io.cnn4j.models.Models;
import io.cnn4j.nn.AdaptiveAvgPool1d;
import io.cnn4j.nn.AdaptiveAvgPool2d;
import io.cnn4j.nn.BatchNorm2d;
import io.cnn4j.nn.BatchNormConfig;
import io.cnn4j.nn.Conv2d;
import io.cnn4j.nn.Flatten;
import io.cnn4j.nn.LayerConfig;
import io.cnn4j.nn.LayerRegistry;
import io.cnn4j.nn.Linear;
import io.cnn4j.nn.Module;
import io.cnn4j.nn.Sequential;
import io.cnn4j.onnx.OnnxFile;
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

import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an exported file holds, which an importer reads back; and the models export refuses, each in one sentence. */
class OnnxExportTest {
    private static final InputSpec NORMALISED = InputSpec.FASHION_MNIST.withNormalize(new Normalize(new float[]{0.286f},
            new float[]{0.353f}));

    @Test
    void theFileTakesPixelsNormalisedInItsFirstTwoNodesAndGivesLogits() {
        OnnxModel onnx = OnnxExport.of(Models.create("bn", new Rng(1)), NORMALISED).toOnnx();
        assertEquals(List.of(new OpsetId("", 17)), onnx.opsets());
        assertEquals(OnnxFile.IR_VERSION, onnx.irVersion());
        assertEquals("cnn4j", onnx.producerName());
        OnnxGraph g = onnx.graph();
        assertEquals(List.of(ValueInfo.floats("input", ValueInfo.Dim.named("batch"), ValueInfo.Dim.of(1), ValueInfo.Dim.of(28),
                ValueInfo.Dim.of(28))), g.inputs());
        assertEquals(List.of(ValueInfo.floats("logits", ValueInfo.Dim.named("batch"), ValueInfo.Dim.of(10))), g.outputs());
        OnnxNode sub = g.nodes().get(0);
        OnnxNode div = g.nodes().get(1);
        assertEquals(List.of("Sub", List.of("input", "cnn4j.normalize.mean")), List.of(sub.opType(), sub.inputs()));
        assertEquals(List.of("Div", List.of(sub.outputs().getFirst(), "cnn4j.normalize.std")), List.of(div.opType(), div.inputs()));
        assertArrayEquals(new long[]{1, 1, 1, 1}, g.initializer("cnn4j.normalize.mean").dims());
        assertArrayEquals(new float[]{0.353f}, g.initializer("cnn4j.normalize.std").floats());
        assertEquals("logits", g.nodes().getLast().outputs().getFirst());
        Map<String, String> expected = new java.util.LinkedHashMap<>();
        NORMALISED.toMetadata(expected);
        assertEquals(expected, onnx.metadata());
    }

    @Test
    void theDescribedModelTheRuntimeTestsRunHoldsEveryBuiltInLayerType() {
        Set<String> used = new TreeSet<>();
        types(ModelDescription.parse(ExportedModels.EVERY_LAYER), used);
        assertEquals(new TreeSet<>(LayerRegistry.builtIn().names()), used);
    }

    private static void types(LayerConfig c, Set<String> into) {
        into.add(c.type());
        c.children().forEach(child -> types(child, into));
    }

    @Test
    void parametersAndRunningStatisticsAreInitializersUnderTheirOwnNamesBitForBit() {
        Module model = Models.create("resnet", new Rng(2));
        OnnxGraph g = OnnxExport.of(model, InputSpec.FASHION_MNIST).toOnnx().graph();
        for (var e : model.stateDict().entrySet()) {
            OnnxTensor t = g.initializer(e.getKey());
            if (e.getKey().endsWith("num_batches_tracked")) {
                // No node reads it; it is there so that the model imported again keeps its count.
                assertArrayEquals(new long[] {(long) e.getValue().item()}, t.longs(), e.getKey());
                assertEquals(0, t.rank(), e.getKey());
                assertTrue(g.nodes().stream().noneMatch(n -> n.inputs().contains(e.getKey())), e.getKey());
                continue;
            }
            assertArrayEquals(java.util.Arrays.stream(e.getValue().dims()).asLongStream().toArray(), t.dims(), e.getKey());
            assertArrayEquals(e.getValue().toArray(), t.floats(), e.getKey());
        }
        assertEquals("1.weight", g.nodes().stream().filter(n -> n.name().equals("/1/BatchNormalization")).findFirst()
                .orElseThrow().inputs().get(1));
        OnnxNode conv = g.nodes().getFirst();
        assertEquals(List.of("/0/Conv", "Conv", List.of("input", "0.weight")), List.of(conv.name(), conv.opType(), conv.inputs()));
        OnnxNode bn = g.nodes().get(1);
        assertEquals(0.9f, bn.floatAttribute("momentum", 0), 1e-7f);
        assertTrue(g.nodes().stream().anyMatch(n -> n.name().equals("/3/Add")), "the residual block's sum");
    }

    @Test
    void withSoftmaxTheLastNodeGivesProbabilities() {
        OnnxGraph g = OnnxExport.of(Models.create("seed", new Rng(1)), InputSpec.FASHION_MNIST).withSoftmax().toOnnx().graph();
        OnnxNode last = g.nodes().getLast();
        assertEquals(List.of("Softmax", 1L, List.of("probabilities")), List.of(last.opType(), last.intAttribute("axis", 0),
                last.outputs()));
        assertEquals("probabilities", g.outputs().getFirst().name());
        assertFalse(g.nodes().stream().anyMatch(n -> n.opType().equals("Sub")), "no normalisation recorded, none folded in");
    }

    @Test
    void theFileIsWrittenWholeAndAFolderInTheWayIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("seed.onnx");
        OnnxExport export = OnnxExport.of(Models.create("seed", new Rng(1)), InputSpec.FASHION_MNIST);
        export.write(file);
        assertEquals(export.toOnnx(), OnnxFile.read(file));
        Files.createDirectory(dir.resolve("taken.onnx"));
        var e = assertThrows(FileSystemException.class, () -> export.write(dir.resolve("taken.onnx")));
        assertTrue(e.getMessage().endsWith("taken.onnx: is a directory; give a file name to write to"), e.getMessage());
    }

    @Test
    void anAdaptivePoolingTheInputDoesNotDivideIsRefusedByItsPath() {
        Module model = new Sequential(new Sequential(new Conv2d(1, 4, 3), new AdaptiveAvgPool2d(4)), new Flatten(),
                new Linear(64, 10)).initialize(new Rng(1));
        var e = assertThrows(IllegalArgumentException.class, () -> OnnxExport.of(model, InputSpec.FASHION_MNIST).toOnnx());
        assertEquals("cannot export layer '0.1' (AdaptiveAvgPool2d(output_size=4)) to ONNX: its windows over a 26x26 input"
                + " differ in size, which ONNX's pooling cannot express; choose an output size that divides the input's",
                e.getMessage());
    }

    @Test
    void aOneDimensionalAdaptivePoolingTheSequenceDoesNotDivideIsRefusedByItsPath() {
        Module model = new Sequential(new Flatten(1, 2), new AdaptiveAvgPool1d(3), new Flatten(), new Linear(84, 10))
                .initialize(new Rng(1));
        var e = assertThrows(IllegalArgumentException.class, () -> OnnxExport.of(model, InputSpec.FASHION_MNIST).toOnnx());
        assertEquals("cannot export layer '1' (AdaptiveAvgPool1d(output_size=3)) to ONNX: its windows over a 28 input"
                + " differ in size, which ONNX's pooling cannot express; choose an output size that divides the input's",
                e.getMessage());
    }

    @Test
    void aBatchNormWithoutRunningStatisticsIsRefusedByItsPath() {
        Module model = new Sequential(new Conv2d(1, 4, 27), new BatchNorm2d(BatchNormConfig.of(4).trackRunningStats(false)),
                new Flatten(), new Linear(16, 10)).initialize(new Rng(1));
        var e = assertThrows(IllegalArgumentException.class, () -> OnnxExport.of(model, InputSpec.FASHION_MNIST).toOnnx());
        assertEquals("cannot export layer '1' (BatchNorm2d(4, track_running_stats=False)) to ONNX: without running"
                + " statistics (track_running_stats=False) it normalises by each batch's own, which ONNX's inference-form"
                + " BatchNormalization cannot express", e.getMessage());
    }

    @Test
    void aModelThatDoesNotScoreTheRecordedClassesIsRefused() {
        Module model = new Sequential(new Flatten(), new Linear(784, 3)).initialize(new Rng(1));
        var e = assertThrows(IllegalArgumentException.class, () -> OnnxExport.of(model, InputSpec.FASHION_MNIST).toOnnx());
        assertEquals("cannot export the model to ONNX: it gives outputs of shape [1, 3] for one image, but its input"
                + " names 10 classes", e.getMessage());
    }

    @Test
    void theModelIsLeftInTheModeItWasIn() {
        Module model = Models.create("bn", new Rng(1));
        OnnxExport.of(model, InputSpec.FASHION_MNIST).toOnnx();
        assertTrue(model.isTraining());
        Tensor mean = model.stateDict().get("1.running_mean");
        assertArrayEquals(new float[mean.size()], mean.toArray(), "exporting runs nothing");
    }
}
