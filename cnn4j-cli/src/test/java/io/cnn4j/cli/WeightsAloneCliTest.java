package io.cnn4j.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.cnn4j.data.Dataset;
import io.cnn4j.data.Datasets;
import io.cnn4j.data.InputSpec;
import io.cnn4j.data.ResizeMode;
import io.cnn4j.io.ModelFile;
import io.cnn4j.io.SafeTensors;
import io.cnn4j.io.SavedModel;
import io.cnn4j.io.TensorFile;
import io.cnn4j.models.Models;
import io.cnn4j.nn.Module;
import io.cnn4j.tensor.GradMode;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Weights alone (a {@code state_dict} as safetensors, no architecture) with {@code --model} in every command that
 * reads a model, and {@code cnn4j import} making a complete model file of them: the results are those of the
 * complete model file, and each refusal is one sentence naming what to add.
 */
class WeightsAloneCliTest {
    private static final String FASHION = String.join(",", Datasets.FASHION_MNIST_CLASSES);
    /** The PyTorch fixture: lenet5 written as a class (features.N, classifier.N), see make_lenet5_weights.py. */
    private static final String PYTORCH = "/io/cnn4j/cli/pytorch/lenet5_class";

    @TempDir
    Path tmp;

    private Path complete;
    private Path weights;
    private Path images;

    /** The same trained-looking seed model as a complete model file and as weights alone, and test images. */
    @BeforeEach
    void files() throws IOException {
        Module model = Models.create("seed", new Rng(11));
        complete = tmp.resolve("complete.safetensors");
        Map<String, String> metadata = new HashMap<>();
        InputSpec.of(Models.FASHION_MNIST_IMAGE, Datasets.FASHION_MNIST_CLASSES, ResizeMode.STRETCH, null).toMetadata(metadata);
        ModelFile.save(complete, model, metadata);
        weights = tmp.resolve("weights.safetensors");
        SafeTensors.write(weights, model.stateDict(), Map.of("format", "pt"));
        images = tmp.resolve("t10k-images-idx3-ubyte.gz");
        try (InputStream in = getClass().getResourceAsStream("/io/cnn4j/data/fashion-mnist-subset/t10k-images-idx3-ubyte.gz")) {
            Files.copy(in, images);
        }
    }

    @Test
    void evalPredictExplainAndSummaryTakeWeightsWithAModelName() throws IOException {
        CliRun whole = CliRun.of("eval", "--model-file", complete.toString(), "--data", "embedded", "--json");
        CliRun alone = CliRun.of("eval", "--model", "seed", "--model-file", weights.toString(), "--data", "embedded", "--json");
        assertEquals(0, alone.exitCode(), alone.toString());
        assertEquals(withoutFile(whole.out()), withoutFile(alone.out()));

        String[] pictures = {images + "#0", images + "#1", images + "#2"};
        CliRun predicted = predict(new String[]{"--model-file", complete.toString()}, pictures);
        CliRun fromWeights = predict(new String[]{"--model", "seed", "--model-file", weights.toString(), "--input", "1x28x28",
                "--classes", FASHION}, pictures);
        assertEquals(0, fromWeights.exitCode(), fromWeights.toString());
        assertEquals(predicted.out(), fromWeights.out());

        Path cams = tmp.resolve("cams");
        CliRun explained = CliRun.of("explain", "--model", "seed", "--model-file", weights.toString(), "--input", "1x28x28",
                "--output", cams.toString(), images + "#0");
        assertEquals(0, explained.exitCode(), explained.toString());
        assertTrue(Files.isRegularFile(cams.resolve("t10k-images-idx3-ubyte-0.gradcam.png")), explained.toString());

        CliRun summary = CliRun.of("summary", "--model", "seed", "--model-file", weights.toString());
        assertEquals(0, summary.exitCode(), summary.toString());
        assertTrue(summary.out().startsWith("Model: seed with " + weights + "    input: [N, 1, 28, 28]\nInput: 1x28x28,"
                + " preprocessing color=gray size=28x28 resize=stretch, normalisation none\nClasses (10): 0, 1, 2,"), summary.out());
    }

    @Test
    void importWritesACompleteModelFileWithTheWeightsBitwise() throws IOException {
        Path imported = tmp.resolve("out", "imported.safetensors");
        CliRun run = CliRun.of("import", weights.toString(), "--model", "seed", "--input", "1x28x28", "--classes", FASHION,
                "--normalize", "0.286:0.353", "--output", imported.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals("input: 1x28x28, 10 classes (" + String.join(", ", Datasets.FASHION_MNIST_CLASSES) + "), preprocessing"
                + " color=gray size=28x28 resize=stretch, normalisation 0.286:0.353\nsaved: " + imported + "\n", run.out());

        TensorFile source = SafeTensors.read(weights);
        SavedModel saved = ModelFile.read(imported);
        assertEquals(Models.create("seed").config(), saved.model().config());
        assertEquals("seed", saved.modelName());
        InputSpec input = InputSpec.fromMetadata(saved.metadata());
        assertEquals(Datasets.FASHION_MNIST_CLASSES, input.classNames());
        assertEquals("0.286:0.353", input.normalize().spec());
        Map<String, Tensor> loaded = saved.model().stateDict();
        assertEquals(source.tensors().keySet(), loaded.keySet());
        source.tensors().forEach((name, t) -> assertArrayEquals(t.data(), loaded.get(name).data(), name));
        // Written again from the imported file, the same bytes: nothing is lost or rounded on the way.
        Path again = tmp.resolve("again.safetensors");
        Map<String, String> extra = new LinkedHashMap<>(saved.metadata());
        List.of(ModelFile.FORMAT_KEY, ModelFile.VERSION_KEY, ModelFile.ARCHITECTURE_KEY).forEach(extra::remove);
        ModelFile.save(again, saved.model(), extra);
        assertArrayEquals(Files.readAllBytes(imported), Files.readAllBytes(again));
    }

    @Test
    void pytorchClassWeightsGiveThePyTorchLogitsAndAccuracy() throws IOException {
        Path file = resource(PYTORCH + ".safetensors");
        JsonObject reference = JsonParser.parseString(new String(resourceBytes(PYTORCH + ".json"), StandardCharsets.UTF_8))
                .getAsJsonObject();

        Module model = Models.create("lenet5");
        ModelFile.loadWeightsInto(file, model);
        JsonArray expected = reference.getAsJsonArray("logits");
        Dataset test = Datasets.embedded().test();
        int[] first = java.util.stream.IntStream.range(0, expected.size()).toArray();
        float[] logits;
        try (var ignored = GradMode.noGrad()) {
            logits = model.eval().forward(test.batch(first)).data();
        }
        float worst = 0;
        for (int i = 0; i < expected.size(); i++) {
            JsonArray row = expected.get(i).getAsJsonArray();
            for (int c = 0; c < row.size(); c++) {
                worst = Math.max(worst, Math.abs(logits[i * row.size() + c] - row.get(c).getAsFloat()));
            }
        }
        assertTrue(worst < 1e-5, "largest logit difference from PyTorch: " + worst);

        CliRun eval = CliRun.of("eval", "--model", "lenet5", "--model-file", file.toString(), "--data", "embedded", "--json");
        assertEquals(0, eval.exitCode(), eval.toString());
        JsonObject result = JsonParser.parseString(eval.out()).getAsJsonObject();
        assertEquals(reference.get("correct").getAsInt(), Math.round(result.get("accuracy").getAsDouble() * 2000), eval.out());

        Path imported = tmp.resolve("lenet5.safetensors");
        CliRun run = CliRun.of("import", file.toString(), "--model", "lenet5", "--input", "1x28x28", "--output", imported.toString());
        assertEquals(0, run.exitCode(), run.toString());
        CliRun again = CliRun.of("eval", "--model-file", imported.toString(), "--data", "embedded", "--json");
        assertEquals(0, again.exitCode(), again.toString());
        assertEquals(withoutFile(eval.out()), withoutFile(again.out()));
    }

    @Test
    void refusalsNameWhatToAdd() throws IOException {
        String picture = images + "#0";
        CliRun.assertFailure(CliRun.of("predict", "--model", "seed", "--model-file", weights.toString(), picture),
                "predict: error: " + weights + " holds weights alone, which do not say the size of the pictures the model"
                        + " takes: give it as --input CxHxW (such as 3x224x224)\n");
        CliRun.assertFailure(CliRun.of("predict", "--model", "small", "--model-file", weights.toString(), "--input", "1x28x28",
                picture), "predict: error: " + weights + " holds no tensor shaped [N, 128], as the last layer's weight of model"
                + " 'small' for 1x28x28 images is, which would say how many classes it tells apart: give --classes N (and check"
                + " that the weights are small's)\n");
        CliRun.assertFailure(CliRun.of("import", weights.toString(), "--model", "seed", "--input", "1x28x28", "--classes", "7",
                "--output", tmp.resolve("m.safetensors").toString()), "import: error: " + weights + ": weights do not fit the"
                + " model: tensor '4.weight' has shape [10, 4608] in the file but [7, 4608] in the model\n");
        CliRun.assertFailure(CliRun.of("predict", "--model-file", complete.toString(), "--input", "1x28x28", picture),
                "predict: error: --input says what a model built from weights alone takes, and " + complete + " is a complete"
                        + " model that records its own input: leave --input out\n");
        CliRun.assertFailure(CliRun.of("import", weights.toString(), "--output", tmp.resolve("m.safetensors").toString()),
                "import: error: " + weights + ": give the architecture its weights are for, --model NAME or --model-config"
                        + " FILE (a complete cnn4j model file needs no import)\n");
        Path onnx = Files.writeString(tmp.resolve("model.onnx"), "\b\u0007");
        CliRun.assertFailure(CliRun.of("import", onnx.toString(), "--output", tmp.resolve("m.safetensors").toString()),
                "import: error: " + onnx + " holds no graph: it is not an ONNX model, or not a whole one.");
        CliRun.assertFailure(CliRun.of("import", weights.toString(), "--model", "seed", "--output", weights.toString()),
                "import: error: --output and SOURCE both name " + weights + "; write the model to a file of its own\n");
        CliRun.assertFailure(CliRun.of("predict", "--model", "seed", "--model-file", weights.toString(), "--input", "1x28x28",
                "--classes", "cat", picture), "predict: error: --classes cat: a classifier tells apart at least 2 classes;"
                + " give their number or their names, comma-separated\n");

        Path config = tmp.resolve("seed.json");
        assertEquals(0, CliRun.of("summary", "--model", "seed", "--write-config", config.toString()).exitCode());
        CliRun both = CliRun.of("predict", "--model", "seed", "--model-config", config.toString(), "--model-file",
                weights.toString(), picture);
        assertEquals(2, both.exitCode(), both.toString());
        assertTrue(both.err().startsWith("Error: --model=NAME and --model-config=FILE both name the model's architecture;"
                + " give one of them\n"), both.toString());
    }

    @Test
    void aDescriptionTakesWeightsAloneAndSaysItsOwnClasses() throws IOException {
        Path config = tmp.resolve("seed.json");
        assertEquals(0, CliRun.of("summary", "--model", "seed", "--write-config", config.toString()).exitCode());
        String[] pictures = {images + "#5"};
        CliRun described = predict(new String[]{"--model-config", config.toString(), "--model-file", weights.toString(),
                "--input", "1x28x28", "--classes", FASHION}, pictures);
        assertEquals(predict(new String[]{"--model-file", complete.toString()}, pictures).out(), described.out());
        Path imported = tmp.resolve("described.safetensors");
        CliRun run = CliRun.of("import", weights.toString(), "--model-config", config.toString(), "--input", "1x28x28",
                "--output", imported.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().startsWith("input: 1x28x28, 10 classes (0, 1, 2, 3, 4, 5, 6, 7, 8, 9)"), run.out());
    }

    private static CliRun predict(String[] model, String... pictures) {
        String[] args = new String[1 + model.length + pictures.length];
        args[0] = "predict";
        System.arraycopy(model, 0, args, 1, model.length);
        System.arraycopy(pictures, 0, args, 1 + model.length, pictures.length);
        CliRun run = CliRun.of(args);
        assertEquals(0, run.exitCode(), run.toString());
        return run;
    }

    /** eval's JSON without the one field that names the file. */
    private static String withoutFile(String json) {
        JsonObject object = JsonParser.parseString(json).getAsJsonObject();
        object.remove("model_file");
        return object.toString();
    }

    private Path resource(String name) throws IOException {
        Path file = tmp.resolve(Path.of(name).getFileName().toString());
        Files.write(file, resourceBytes(name));
        return file;
    }

    private byte[] resourceBytes(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }
}
