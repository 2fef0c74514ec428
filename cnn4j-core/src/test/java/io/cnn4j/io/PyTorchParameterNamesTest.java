package io.cnn4j.io;

import io.cnn4j.models.Models;
import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The built-in models' tensors carry exactly the names and shapes of {@code model.state_dict()} for the
 * same {@code nn.Sequential} in PyTorch (as {@code pytorch_bench.py} builds it, printed with torch
 * 1.13), so a model file moves between the two without renaming:
 *
 * <pre>
 * for n in ["seed", "lenet5", "small"]:
 *     print(n, [(k, list(v.shape)) for k, v in build(n).state_dict().items()])
 * </pre>
 */
class PyTorchParameterNamesTest {
    @TempDir
    Path dir;

    @Test
    void seed() throws IOException {
        assertNamesAndShapes("seed", Map.of(
                "0.weight", List.of(32, 1, 5, 5), "0.bias", List.of(32),
                "4.weight", List.of(10, 4608), "4.bias", List.of(10)),
                List.of("0.weight", "0.bias", "4.weight", "4.bias"));
    }

    @Test
    void lenet5() throws IOException {
        assertNamesAndShapes("lenet5", Map.of(
                "0.weight", List.of(6, 1, 5, 5), "0.bias", List.of(6),
                "3.weight", List.of(16, 6, 5, 5), "3.bias", List.of(16),
                "7.weight", List.of(120, 400), "7.bias", List.of(120),
                "9.weight", List.of(84, 120), "9.bias", List.of(84),
                "11.weight", List.of(10, 84), "11.bias", List.of(10)),
                List.of("0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias", "9.weight", "9.bias",
                        "11.weight", "11.bias"));
    }

    @Test
    void small() throws IOException {
        assertNamesAndShapes("small", Map.of(
                "0.weight", List.of(32, 1, 3, 3), "0.bias", List.of(32),
                "3.weight", List.of(64, 32, 3, 3), "3.bias", List.of(64),
                "7.weight", List.of(128, 3136), "7.bias", List.of(128),
                "10.weight", List.of(10, 128), "10.bias", List.of(10)),
                List.of("0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias", "10.weight", "10.bias"));
    }

    /** In the model's state dict and, the same, in the header of the file it is saved to. */
    private void assertNamesAndShapes(String model, Map<String, List<Integer>> shapes, List<String> order) throws IOException {
        Map<String, List<Integer>> inModel = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : Models.create(model).stateDict().entrySet()) {
            inModel.put(e.getKey(), java.util.Arrays.stream(e.getValue().dims()).boxed().toList());
        }
        assertEquals(shapes, inModel);
        assertEquals(order, List.copyOf(inModel.keySet()));

        Path file = dir.resolve(model + ".safetensors");
        ModelFile.save(file, Models.create(model));
        Map<String, List<Integer>> inFile = new LinkedHashMap<>();
        for (TensorInfo t : SafeTensors.readHeader(file).tensors()) {
            assertEquals(Dtype.F32, t.dtype(), t.name());
            inFile.put(t.name(), t.shape().stream().map(Long::intValue).toList());
        }
        assertEquals(inModel, inFile);
        assertEquals(order, List.copyOf(inFile.keySet()));
    }
}
