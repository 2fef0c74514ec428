package io.cnn4j.io;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.cnn4j.models.Models;
import io.cnn4j.nn.Module;
import io.cnn4j.tensor.GradMode;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.TestTensors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PyTorch 1.13 loads what cnn4j saves: the models {@code small}, {@code bn}, {@code resnet} and {@code resnet3}
 * (the conformance tests replay {@code seed} and {@code lenet5}), after a few training-mode passes (so running
 * statistics and batch counters are not their initial values), go through
 * {@link ModelFile#save}, and {@code golden/pytorch_load_check.py} reads the file with numpy, loads it with
 * {@code load_state_dict(strict=True)} into the PyTorch modules of {@code golden/cnn4j_modules.py} (the
 * counters into int64 buffers) and runs them in evaluation mode. Its logits must be cnn4j's to float32
 * rounding. So the PyTorch definitions there are cnn4j's networks, which the speed comparison with PyTorch
 * relies on. Skipped where Debian's python3 with torch is not installed.
 */
class PyTorchLoadsSavedModelsTest {
    private static final boolean TORCH_AVAILABLE = Python.canImport("torch, numpy");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"small", "bn", "resnet", "resnet3"})
    void pytorchLoadsTheFileAndComputesTheSameLogits(String name) throws Exception {
        Assumptions.assumeTrue(TORCH_AVAILABLE, "python3 with torch is not installed");
        Module model = Models.create(name, new Rng(1));
        try (var _ = GradMode.noGrad()) {
            for (int pass = 0; pass < 3; pass++) {
                model.forward(TestTensors.uniform(new Rng(pass), 0, 1, 2, 1, 28, 28));
            }
        }
        Path file = dir.resolve(name + ".safetensors");
        ModelFile.save(file, model);
        model.eval();
        Tensor logits;
        try (var _ = GradMode.noGrad()) {
            logits = model.forward(TestTensors.formula(0.3, 1.0, 2, 1, 28, 28));
        }

        Process p = new ProcessBuilder(Python.executable(), script().toString(), name, file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the PyTorch check did not finish");
        assertEquals(0, p.exitValue(), out);
        JsonObject result = JsonParser.parseString(out.lines().reduce((a, b) -> b).orElseThrow()).getAsJsonObject();

        List<String> int64 = new ArrayList<>();
        result.getAsJsonArray("int64").forEach(e -> int64.add(e.getAsString()));
        assertEquals(List.copyOf(model.countBufferNames()), int64, "the tensors stored as int64");
        for (var e : result.getAsJsonObject("num_batches_tracked").entrySet()) {
            assertEquals(3, e.getValue().getAsInt(), e.getKey());
        }
        float[] expected = logits.data();
        List<JsonElement> theirs = result.getAsJsonArray("logits").asList();
        assertEquals(expected.length, theirs.size());
        for (int i = 0; i < expected.length; i++) {
            // Evaluation mode is a fixed affine map per channel: the same float32 rounding, summed in other orders.
            assertEquals(theirs.get(i).getAsFloat(), expected[i], 1e-5 + 1e-5 * Math.abs(expected[i]), "logit " + i);
        }
    }

    private static Path script() throws Exception {
        return Path.of(PyTorchLoadsSavedModelsTest.class.getResource("/io/cnn4j/golden/pytorch_load_check.py").toURI());
    }
}
