package io.cnn4j.io;

import io.cnn4j.models.Models;
import io.cnn4j.nn.Linear;
import io.cnn4j.nn.Module;
import io.cnn4j.nn.Sequential;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Weights saved under the names a PyTorch class gives the layers of a cnn4j model load into it, matched by
 * the layers' order and shapes; what cannot be matched is refused naming the tensor and both shapes.
 */
class WeightNamesTest {
    /** lenet5's layers as {@code self.features = nn.Sequential(...)} and {@code self.classifier = ...} name them. */
    private static final Map<String, String> LENET5_CLASS = Map.of("0", "features.0", "3", "features.3",
            "7", "classifier.1", "9", "classifier.3", "11", "classifier.5");

    @TempDir
    Path dir;

    @Test
    void pytorchClassNamesLoadIntoTheSameLayersBitwise() throws IOException {
        Module trained = Models.create("lenet5", new Rng(7));
        // Sorted by name, as safetensors.torch.save_file writes them: "classifier" comes before "features".
        Path file = write("class.safetensors", renamed(trained.stateDict(), name -> LENET5_CLASS.get(name.split("\\.")[0])
                + name.substring(name.indexOf('.'))));

        Module loaded = Models.lenet5();
        ModelFile.loadWeightsInto(file, loaded);
        assertSameState(trained.stateDict(), loaded.stateDict());
    }

    @Test
    void aDataParallelPrefixAndNestedBlocksLoad() throws IOException {
        Module trained = Models.create("resnet", new Rng(3));
        Path file = write("module.safetensors", renamed(trained.stateDict(), name -> "module." + name));

        Module loaded = Models.resnet();
        ModelFile.loadWeightsInto(file, loaded);
        assertSameState(trained.stateDict(), loaded.stateDict());
    }

    @Test
    void aWrongShapeUnderPyTorchNamesIsNamedWithBothShapes() throws IOException {
        Map<String, Tensor> weights = renamed(Models.create("lenet5", new Rng(1)).stateDict(),
                name -> LENET5_CLASS.get(name.split("\\.")[0]) + name.substring(name.indexOf('.')));
        weights.put("classifier.5.weight", Tensor.zeros(7, 84));
        Path file = write("seven.safetensors", weights);

        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.loadWeightsInto(file, Models.lenet5()));
        assertEquals(file + ": weights do not fit the model: tensor 'classifier.5.weight' has shape [7, 84] in the file but"
                + " the model's tensor in its place, '11.weight', has [10, 84]", e.getMessage());
    }

    @Test
    void aMissingLayerUnderOtherNamesIsNamed() throws IOException {
        Map<String, Tensor> weights = renamed(Models.create("lenet5", new Rng(1)).stateDict(),
                name -> LENET5_CLASS.get(name.split("\\.")[0]) + name.substring(name.indexOf('.')));
        weights.remove("classifier.5.weight");
        weights.remove("classifier.5.bias");
        Path file = write("short.safetensors", weights);

        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.loadWeightsInto(file, Models.lenet5()));
        assertEquals(file + ": weights do not fit the model: the model's tensor '11.weight' (shape [10, 84]) is not in"
                + " the file, which holds 8 tensors for the model's 10", e.getMessage());
    }

    @Test
    void layersThatFitInTwoOrdersAreRefused() throws IOException {
        Sequential model = new Sequential(new Linear(4, 4), new Linear(4, 4));
        Map<String, Tensor> weights = renamed(model.initialize(io.cnn4j.nn.Init.PYTORCH, new Rng(1)).stateDict(),
                name -> (name.startsWith("0.") ? "left" : "right") + name.substring(1));
        Path file = write("twins.safetensors", weights);

        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.loadWeightsInto(file,
                new Sequential(new Linear(4, 4), new Linear(4, 4))));
        assertEquals(file + ": weights do not fit the model: its tensors fit the model in more than one order (its"
                + " layers [left, right] or [right, left] for the model's [0, 1]): save them under the model's names,"
                + " [0.weight, 0.bias, 1.weight, 1.bias]", e.getMessage());
    }

    @Test
    void manyNamedLayersAndDeepNamesAreMatchedInBoundedTime() throws IOException {
        List<Module> layers = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            layers.add(new Linear(3 + i, 4 + i));
        }
        Module model = new Sequential(layers).initialize(io.cnn4j.nn.Init.PYTORCH, new Rng(2));
        Map<String, Tensor> named = new LinkedHashMap<>();
        // Twelve named layers (12! orders) listed in the model's order: the file's own order is tried, and fits.
        model.stateDict().forEach((name, t) -> named.put("layer" + (char) ('a' + Integer.parseInt(name.split("\\.")[0]))
                + name.substring(name.indexOf('.')), t));
        Path file = dir.resolve("many.safetensors");
        SafeTensors.write(file, named);
        Module loaded = new Sequential(copyOf(layers));
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> ModelFile.loadWeightsInto(file, loaded));
        assertSameState(model.stateDict(), loaded.stateDict());

        Path deep = dir.resolve("deep.safetensors");
        SafeTensors.write(deep, Map.of("a.".repeat(100_000) + "weight", Tensor.zeros(1)));
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.loadWeightsInto(deep, Models.seed()));
        assertEquals(deep + ": weights do not fit the model: the model's tensor '0.weight' (shape [32, 1, 5, 5]) is not"
                + " in the file, whose layer in its place, '" + "a.".repeat(40) + "...', holds [" + "a.".repeat(40) + "...]",
                e.getMessage());
    }

    private static List<Module> copyOf(List<Module> layers) {
        return layers.stream().map(l -> (Module) new Linear(((Linear) l).inFeatures(), ((Linear) l).outFeatures())).toList();
    }

    private Path write(String name, Map<String, Tensor> tensors) throws IOException {
        Path file = dir.resolve(name);
        SafeTensors.write(file, new TreeMap<>(tensors), Map.of("format", "pt"));
        return file;
    }

    private static Map<String, Tensor> renamed(Map<String, Tensor> state, UnaryOperator<String> rename) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        state.forEach((name, t) -> out.put(rename.apply(name), t));
        return out;
    }

    private static void assertSameState(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, t) -> assertArrayEquals(t.data(), actual.get(name).data(), name));
    }
}
