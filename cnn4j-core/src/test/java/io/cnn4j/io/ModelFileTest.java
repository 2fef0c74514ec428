package io.cnn4j.io;

import io.cnn4j.models.Models;
import io.cnn4j.nn.AdaptiveAvgPool2d;
import io.cnn4j.nn.BatchNorm1d;
import io.cnn4j.nn.BatchNorm2d;
import io.cnn4j.nn.BatchNormConfig;
import io.cnn4j.nn.Concat;
import io.cnn4j.nn.Conv2d;
import io.cnn4j.nn.Conv2dConfig;
import io.cnn4j.nn.Dropout2d;
import io.cnn4j.nn.Flatten;
import io.cnn4j.nn.Identity;
import io.cnn4j.nn.Linear;
import io.cnn4j.nn.MaxPool2d;
import io.cnn4j.nn.Module;
import io.cnn4j.nn.ReLU;
import io.cnn4j.nn.Residual;
import io.cnn4j.nn.Sequential;
import io.cnn4j.tensor.GradMode;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.TestTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelFileTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"seed", "lenet5", "small", "bn", "resnet", "resnet3", "seq1d"})
    void savedModelLoadsWithTheSameArchitectureWeightsAndOutputs(String name) throws IOException {
        Module model = Models.create(name, new Rng(7));
        trainOneStep(model);
        Path file = dir.resolve(name + ".safetensors");
        ModelFile.save(file, model, Map.of(ModelFile.MODEL_NAME_KEY, name));

        SavedModel saved = ModelFile.read(file);
        Module loaded = saved.model();

        assertEquals(model.config(), loaded.config());
        assertEquals(model.toString(), loaded.toString());
        assertSameState(model.stateDict(), loaded.stateDict());
        assertEquals(name, saved.modelName());
        assertEquals("cnn4j", saved.metadata().get("format"));
        assertEquals(ModelFile.VERSION, saved.metadata().get("cnn4j.version"));
        assertEquals(ModelDescription.toJson(model.config()), saved.metadata().get("cnn4j.architecture"));

        Tensor input = SafeTensorsRoundTripTest.random(new Rng(11), 3, 1, 28, 28);
        model.eval();
        loaded.eval();
        try (var _ = GradMode.noGrad()) {
            Tensor expected = model.forward(input);
            Tensor got = loaded.forward(input);
            assertEquals(List.of(3, 10), List.of(got.dim(0), got.dim(1)));
            assertArrayEquals(expected.data(), got.data());
        }
    }

    /** A training-mode forward pass, so that batch norms' running statistics and counters are not their initial values. */
    private static void trainOneStep(Module model) {
        model.train(true);
        try (var _ = GradMode.noGrad()) {
            model.forward(SafeTensorsRoundTripTest.random(new Rng(10), 4, 1, 28, 28));
        }
    }

    /**
     * Any model, not only a built-in one, comes back from its file with its architecture, weights, running
     * statistics and counters; the counters are stored as I64, as PyTorch keeps them.
     */
    @Test
    void aModelOfEveryKindOfBlockRoundTrips() throws IOException {
        Module model = new Sequential(
                new Conv2d(Conv2dConfig.of(1, 4, 3).padding(1)), new BatchNorm2d(4), new ReLU(),
                new Residual(new Sequential(new Conv2d(Conv2dConfig.of(4, 4, 3).padding(1).groups(4)), new BatchNorm2d(4))),
                new Concat(new Identity(), new Sequential(new Conv2d(Conv2dConfig.of(4, 2, 1)), new Dropout2d(0.2f))),
                new MaxPool2d(2), new AdaptiveAvgPool2d(2), new Flatten(),
                new Linear(24, 8), new BatchNorm1d(BatchNormConfig.of(8).momentum(0.3)), new ReLU(), new Linear(8, 10))
                .initialize(new Rng(3));
        trainOneStep(model);
        trainOneStep(model);
        Path file = dir.resolve("blocks.safetensors");
        ModelFile.save(file, model);

        Map<String, Dtype> dtypes = new LinkedHashMap<>();
        SafeTensors.readHeader(file).tensors().forEach(t -> dtypes.put(t.name(), t.dtype()));
        assertEquals(Dtype.I64, dtypes.get("1.num_batches_tracked"));
        assertEquals(Dtype.I64, dtypes.get("3.body.1.num_batches_tracked"));
        assertEquals(Dtype.F32, dtypes.get("9.running_var"));
        assertEquals(List.copyOf(model.stateDict().keySet()), List.copyOf(dtypes.keySet()));

        Module loaded = ModelFile.load(file);
        assertEquals(model.config(), loaded.config());
        assertSameState(model.stateDict(), loaded.stateDict());
        assertEquals(2f, loaded.stateDict().get("9.num_batches_tracked").item());
        Tensor input = SafeTensorsRoundTripTest.random(new Rng(11), 3, 1, 28, 28);
        model.eval();
        loaded.eval();
        try (var _ = GradMode.noGrad()) {
            assertArrayEquals(model.forward(input).data(), loaded.forward(input).data());
        }
    }

    @Test
    void aModelBuiltToLoadDrawsNoWeightsAndRunsOnTheLoadedOnes() throws IOException {
        Path file = dir.resolve("m.safetensors");
        Module saved = Models.create("lenet5", new Rng(5));
        ModelFile.save(file, saved);
        Module unloaded = Models.lenet5();
        var e = assertThrows(IllegalStateException.class, () -> unloaded.forward(Tensor.zeros(1, 1, 28, 28)));
        assertEquals("Conv2d(1, 6, kernel_size=5, padding=2) has no weights yet: draw them with"
                + " model.initialize(new Rng(seed)) (or initialize(Init, Rng)), or load them with loadStateDict or"
                + " ModelFile", e.getMessage());
        Module loaded = ModelFile.load(file);
        Tensor input = TestTensors.uniform(new Rng(6), 0, 1, 2, 1, 28, 28);
        assertArrayEquals(saved.eval().forward(input).data(), loaded.eval().forward(input).data());
    }

    @Test
    void architectureIsReadFromTheHeaderAlone() throws IOException {
        Path file = dir.resolve("m.safetensors");
        ModelFile.save(file, Models.small());
        assertEquals(Models.small().config(), ModelFile.architecture(file));
        assertNull(ModelFile.read(file).modelName());
    }

    @Test
    void weightsWithoutArchitecturePointToTheOptionsAndImport() throws IOException {
        Path file = dir.resolve("from_pytorch.safetensors");
        SafeTensors.write(file, Models.seed().stateDict(), Map.of("format", "pt"));

        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(file));
        assertEquals(file + ": holds weights but no model architecture (no 'cnn4j.architecture' in its metadata;"
                + " its format is 'pt', as in weights exported from PyTorch): give the architecture they are for with"
                + " --model NAME or --model-config FILE beside --model-file, or make a complete model file of them once"
                + " with 'cnn4j import " + file + " --model NAME --input CxHxW --output model.safetensors'", e.getMessage());

        Module seed = Models.seed();
        ModelFile.loadWeightsInto(file, seed);
        assertSameState(SafeTensors.read(file).tensors(), seed.stateDict());
    }

    @Test
    void brokenArchitectureIsReportedWithItsPlace() throws IOException {
        Path file = dir.resolve("m.safetensors");
        String bad = ModelDescription.toJson(Models.seed().config()).replace("\"kernel_size\":5", "\"kernel_size\":5.5");
        SafeTensors.write(file, Models.seed().stateDict(), Map.of("format", "cnn4j", "cnn4j.architecture", bad));

        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(file));
        assertEquals(file + ": its architecture ('cnn4j.architecture') is invalid:"
                + " children[0].args.kernel_size must be a whole number or a list of whole numbers, got 5.5", e.getMessage());
    }

    @Test
    void misShapedTensorIsNamedWithBothShapesAndTheFile() throws IOException {
        Map<String, Tensor> weights = new LinkedHashMap<>(Models.seed().stateDict());
        weights.put("4.weight", Tensor.zeros(10, 3136));
        Path file = dir.resolve("wrong.safetensors");
        SafeTensors.write(file, weights, Map.of());

        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.loadWeightsInto(file, Models.seed()));
        assertEquals(file + ": weights do not fit the model: tensor '4.weight' has shape [10, 3136] in the file but"
                + " [10, 4608] in the model", e.getMessage());

        // The same through a complete model file whose weights do not match its own architecture.
        SafeTensors.write(file, weights, Map.of("cnn4j.architecture", ModelDescription.toJson(Models.seed().config())));
        e = assertThrows(ModelFileException.class, () -> ModelFile.load(file));
        assertEquals(file + ": weights do not fit the model: tensor '4.weight' has shape [10, 3136] in the file but"
                + " [10, 4608] in the model", e.getMessage());
    }

    @Test
    void missingAndExtraTensorsAreNamedWithTheFile() throws IOException {
        Map<String, Tensor> weights = new LinkedHashMap<>(Models.seed().stateDict());
        weights.remove("4.bias");
        Path missing = dir.resolve("missing.safetensors");
        SafeTensors.write(missing, weights, Map.of());
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.loadWeightsInto(missing, Models.seed()));
        assertEquals(missing + ": weights do not fit the model: the model's tensor '4.bias' (shape [10]) is not in the"
                + " file, whose layer in its place, '4', holds [4.weight]", e.getMessage());

        weights = new LinkedHashMap<>(Models.seed().stateDict());
        weights.put("5.weight", Tensor.zeros(2));
        Path extra = dir.resolve("extra.safetensors");
        SafeTensors.write(extra, weights, Map.of());
        e = assertThrows(ModelFileException.class, () -> ModelFile.loadWeightsInto(extra, Models.seed()));
        assertEquals(extra + ": weights do not fit the model: tensor '5.weight' (shape [2]) in the file has no place in"
                + " the model, which holds 4 tensors for the file's 5", e.getMessage());
    }

    @Test
    void initFromAnotherModelsFileFailsOnTheFirstDifferentTensor() throws IOException {
        Path file = dir.resolve("lenet.safetensors");
        ModelFile.save(file, Models.lenet5());
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.loadWeightsInto(file, Models.seed()));
        assertEquals(file + ": weights do not fit the model: tensor '0.weight' has shape [6, 1, 5, 5] in the file but"
                + " [32, 1, 5, 5] in the model", e.getMessage());
    }

    @Test
    void extraMetadataMayNotOverrideTheArchitecture() {
        Path file = dir.resolve("m.safetensors");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelFile.save(file, Models.seed(), Map.of("cnn4j.architecture", "{}")));
        assertEquals("extra metadata for " + file + " may not set 'cnn4j.architecture': ModelFile writes it itself",
                e.getMessage());
    }

    @Test
    void nonFiniteModelFileIsRefusedUnlessAllowed() throws IOException {
        Module model = Models.create("seed");
        float[] conv = model.stateDict().get("0.weight").data();
        conv[3] = Float.NaN;
        conv[4] = Float.NaN;
        conv[5] = Float.NEGATIVE_INFINITY;
        model.stateDict().get("4.bias").data()[0] = Float.POSITIVE_INFINITY;
        Path file = dir.resolve("diverged.safetensors");
        ModelFile.save(file, model);

        String expected = file + ": tensor '0.weight' holds 2 NaN and 1 infinite values (of 800), and 1 more tensor(s)"
                + " hold some too: a model cannot compute with them (the weights of a run that diverged?); allow"
                + " non-finite values (--allow-non-finite) to load them anyway";
        assertEquals(expected, assertThrows(ModelFileException.class, () -> ModelFile.load(file)).getMessage());
        assertEquals(expected, assertThrows(ModelFileException.class, () -> ModelFile.read(file)).getMessage());
        Module into = Models.create("seed");
        assertEquals(expected, assertThrows(ModelFileException.class, () -> ModelFile.loadWeightsInto(file, into)).getMessage());

        assertTrue(Float.isNaN(ModelFile.read(file, true).model().stateDict().get("0.weight").data()[3]));
        ModelFile.loadWeightsInto(file, into, true);
        assertEquals(Float.POSITIVE_INFINITY, into.stateDict().get("4.bias").data()[0]);
    }

    private static void assertSameState(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()));
        for (var e : expected.entrySet()) {
            Tensor a = actual.get(e.getKey());
            assertEquals(e.getValue().shape(), a.shape(), e.getKey());
            assertArrayEquals(SafeTensorsRoundTripTest.bits(e.getValue().data()), SafeTensorsRoundTripTest.bits(a.data()),
                    e.getKey());
        }
    }
}
