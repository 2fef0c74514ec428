package io.cnn4j.cli;

import io.cnn4j.data.InputSpec;
import io.cnn4j.data.Normalize;
import io.cnn4j.data.ResizeMode;
import io.cnn4j.io.ModelFile;
import io.cnn4j.limits.MemoryBudget;
import io.cnn4j.models.Models;
import io.cnn4j.nn.BatchNorm2d;
import io.cnn4j.nn.BatchNormConfig;
import io.cnn4j.nn.Conv2d;
import io.cnn4j.nn.Flatten;
import io.cnn4j.nn.Linear;
import io.cnn4j.nn.Sequential;
import io.cnn4j.onnx.OnnxFile;
import io.cnn4j.onnx.OnnxModel;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code cnn4j export}: a model file becomes an ONNX file recording the same input; what cannot be written is refused. */
class ExportCommandTest {
    @TempDir
    Path tmp;

    private Path colourModel() throws Exception {
        Map<String, String> meta = new LinkedHashMap<>();
        InputSpec.of(Shape.of(3, 32, 32), List.of("cat", "dog", "fox"), ResizeMode.STRETCH,
                new Normalize(new float[]{0.5f, 0.4f, 0.3f}, new float[]{0.2f, 0.25f, 0.3f})).toMetadata(meta);
        Path file = tmp.resolve("colour.safetensors");
        ModelFile.save(file, Models.create("small", Shape.of(3, 32, 32), 3, new Rng(2)), meta);
        return file;
    }

    @Test
    void exportWritesAnOnnxModelOfTheRecordedInputAndSaysWhatItTakes() throws Exception {
        Path model = colourModel();
        Path onnx = tmp.resolve("out/colour.onnx");
        CliRun run = CliRun.of("export", "--model-file", model.toString(), "--format", "onnx", "--output", onnx.toString());
        assertEquals(0, run.exitCode(), run.toString());
        OnnxModel written = OnnxFile.read(onnx);
        assertEquals("wrote " + onnx + " (ONNX opset 17, " + written.graph().nodes().size() + " nodes, "
                + MemoryBudget.format(Files.size(onnx)) + "): input 'input' [N, 3, 32, 32] of pixels in [0, 1]"
                + " (normalisation 0.5,0.4,0.3:0.2,0.25,0.3 folded in), output 'logits' [N, 3]\n", run.out());
        assertEquals("[\"cat\",\"dog\",\"fox\"]", written.metadata().get(InputSpec.CLASSES_KEY));
        assertEquals("3x32x32", written.metadata().get(InputSpec.SHAPE_KEY));
        assertEquals("Sub", written.graph().nodes().getFirst().opType());
    }

    @Test
    void withSoftmaxTheModelGivesProbabilities() throws Exception {
        Path onnx = tmp.resolve("p.onnx");
        CliRun run = CliRun.of("export", "--model-file", colourModel().toString(), "--output", onnx.toString(), "--softmax");
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals("probabilities", OnnxFile.read(onnx).graph().outputs().getFirst().name());
    }

    @Test
    void aFolderInTheWayOfTheOutputIsRefused() throws Exception {
        Path model = colourModel();
        CliRun run = CliRun.of("export", "--model-file", model.toString(), "--output", tmp.toString());
        CliRun.assertFailure(run, tmp + ": cannot write --output: is a folder; give a file name to write to");
    }

    @Test
    void theModelFileItselfIsNotOverwritten() throws Exception {
        Path model = colourModel();
        byte[] before = Files.readAllBytes(model);
        CliRun run = CliRun.of("export", "--model-file", model.toString(), "--output", model.toString());
        CliRun.assertFailure(run, "--output and --model-file both name " + model + "; write the ONNX model to a file of its own");
        assertArrayEquals(before, Files.readAllBytes(model));
    }

    @Test
    void aLayerWithNoOnnxFormIsRefusedByItsPathAndNothingIsWritten() throws Exception {
        Path model = tmp.resolve("batchstats.safetensors");
        ModelFile.save(model, new Sequential(new Conv2d(1, 4, 27), new BatchNorm2d(BatchNormConfig.of(4).trackRunningStats(false)),
                new Flatten(), new Linear(16, 10)).initialize(new Rng(1)));
        Path onnx = tmp.resolve("batchstats.onnx");
        CliRun run = CliRun.of("export", "--model-file", model.toString(), "--output", onnx.toString());
        CliRun.assertFailure(run, "cannot export layer '1' (BatchNorm2d(4, track_running_stats=False)) to ONNX: without"
                + " running statistics");
        assertFalse(Files.exists(onnx));
    }

    @Test
    void anotherFormatIsAUsageError() throws Exception {
        CliRun run = CliRun.of("export", "--model-file", colourModel().toString(), "--output", tmp.resolve("m.tflite").toString(),
                "--format", "tflite");
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("expected one of [onnx]"), run.toString());
    }
}
