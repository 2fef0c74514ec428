package io.cnn4j.cli;

import io.cnn4j.io.ModelDescription;
import io.cnn4j.io.ModelFile;
import io.cnn4j.io.SavedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --model-config}: models described in JSON train, summarise and evaluate like built-in ones, round-trip
 * through saved files, and bad descriptions fail with the file and the place in it.
 */
class ModelConfigCliTest {

    @TempDir
    Path tmp;

    /** Every new kind of layer: batch norm 1d/2d, a residual block, grouped convolution, concat, channel dropout, global pooling. */
    private static final String BLOCKS = """
            {"type": "Sequential", "children": [
              {"type": "Conv2d", "args": {"in_channels": 1, "out_channels": 8, "kernel_size": 3, "stride": 2, "padding": 1,
                                          "bias": false}},
              {"type": "BatchNorm2d", "args": {"num_features": 8}},
              {"type": "ReLU"},
              {"type": "Residual", "children": [
                {"type": "Sequential", "children": [
                  {"type": "Conv2d", "args": {"in_channels": 8, "out_channels": 8, "kernel_size": 3, "padding": 1,
                                              "groups": 4, "bias": false}},
                  {"type": "BatchNorm2d", "args": {"num_features": 8}}]}]},
              {"type": "ReLU"},
              {"type": "Concat", "children": [
                {"type": "Identity"},
                {"type": "Sequential", "children": [
                  {"type": "Conv2d", "args": {"in_channels": 8, "out_channels": 4, "kernel_size": 1}},
                  {"type": "Dropout2d", "args": {"p": 0.1}}]}]},
              {"type": "AdaptiveAvgPool2d", "args": {"output_size": 1}},
              {"type": "Flatten"},
              {"type": "Linear", "args": {"in_features": 12, "out_features": 16}},
              {"type": "BatchNorm1d", "args": {"num_features": 16}},
              {"type": "ReLU"},
              {"type": "Linear", "args": {"in_features": 16, "out_features": 10}}]}
            """;

    private Path write(String name, String json) throws IOException {
        Path file = tmp.resolve(name);
        Files.writeString(file, json);
        return file;
    }

    private static String totalParams(CliRun run) {
        Matcher m = Pattern.compile("Total params: ([0-9,]+)").matcher(run.out());
        assertTrue(m.find(), run.toString());
        return m.group(1);
    }

    @Test
    void aDescribedModelTrainsSavesAndEvaluates() throws IOException {
        Path config = write("blocks.json", BLOCKS);
        Path data = TinyData.write(tmp.resolve("data"), 32, 16);
        Path saved = tmp.resolve("blocks.safetensors");
        CliRun train = CliRun.of("train", "--model-config", config.toString(), "--data", data.toString(), "--epochs", "1",
                "--batch-size", "8", "--max-steps", "3", "--save", saved.toString(), "--threads", "2");
        assertEquals(0, train.exitCode(), train.toString());
        assertTrue(train.out().contains("model: " + config + ", 694 parameters"), train.toString());

        SavedModel model = ModelFile.read(saved);
        assertEquals(ModelDescription.build(ModelDescription.read(config)).config(), model.model().config(),
                "the file carries the described architecture");
        assertNull(model.modelName(), "a described model has no built-in name");
        assertEquals("3", model.metadata().get("cnn4j.trained_steps"));

        CliRun fromFile = CliRun.of("eval", "--model-file", saved.toString(), "--data", data.toString());
        assertEquals(0, fromFile.exitCode(), fromFile.toString());
        CliRun fromConfig = CliRun.of("eval", "--model-config", config.toString(), "--model-file", saved.toString(),
                "--data", data.toString());
        assertEquals(0, fromConfig.exitCode(), fromConfig.toString());
        assertEquals(fromFile.out(), fromConfig.out(), "the same weights in the same architecture, however it is given");

        CliRun summary = CliRun.of("summary", "--model-config", config.toString());
        assertEquals(0, summary.exitCode(), summary.toString());
        assertEquals("694", totalParams(summary));
        assertTrue(summary.out().contains("3.body.1 BatchNorm2d(8)"), summary.toString());
        assertTrue(summary.out().contains("5.1.1    Dropout2d(p=0.1)"), summary.toString());
        assertEquals("694", totalParams(CliRun.of("summary", "--model-file", saved.toString())));
    }

    /** A built-in model written out by summary is the same model when read back. */
    @Test
    void summaryWritesBuiltInModelsAsDescriptions() throws IOException {
        for (String name : List.of("bn", "resnet")) {
            Path config = tmp.resolve(name + ".json");
            CliRun written = CliRun.of("summary", "--model", name, "--write-config", config.toString());
            assertEquals(0, written.exitCode(), written.toString());
            CliRun again = CliRun.of("summary", "--model-config", config.toString());
            assertEquals(totalParams(written), totalParams(again), name);
            // The same table; the first line names the model's source, the last the written file.
            List<String> table = written.out().lines().skip(1).toList();
            assertEquals(table.subList(0, table.size() - 1), again.out().lines().skip(1).toList());
        }
    }

    @Test
    void builtInBatchNormAndResidualModelsTrain() throws IOException {
        Path data = TinyData.write(tmp.resolve("data"), 16, 8);
        for (String name : List.of("bn", "resnet")) {
            CliRun run = CliRun.of("train", "--model", name, "--data", data.toString(), "--epochs", "1", "--batch-size", "8",
                    "--max-steps", "1", "--threads", "2");
            assertEquals(0, run.exitCode(), run.toString());
            assertTrue(run.out().contains("test accuracy"), run.toString());
        }
    }

    @Test
    void badDescriptionsAreNamedWithTheirFileAndPlace() throws IOException {
        Path unknown = write("unknown.json", BLOCKS.replace("\"Identity\"", "\"Identiy\""));
        CliRun run = CliRun.of("summary", "--model-config", unknown.toString());
        assertFailsWith(run, unknown + ": children[5].children[0].type 'Identiy' is not a layer type; known types: [Sequential,");

        Path groups = write("groups.json", BLOCKS.replace("\"groups\": 4", "\"groups\": 3"));
        run = CliRun.of("train", "--model-config", groups.toString(), "--max-steps", "1");
        assertFailsWith(run, groups + ": children[3].children[0].children[0] (Conv2d): Conv2d: groups=3 must divide"
                + " in_channels=8 and out_channels=8");

        Path residual = write("residual.json", "{\"type\": \"Residual\", \"children\": []}");
        assertFailsWith(CliRun.of("summary", "--model-config", residual.toString()), residual + ": children holds 0 layers"
                + " but Residual takes 1 or 2 layers: the body, then an optional shortcut (the identity without one)");

        assertFailsWith(CliRun.of("train", "--model", "bn", "--model-config", unknown.toString(), "--max-steps", "1"),
                "--model bn and --model-config " + unknown + " both name the model to train; give one");
        assertFailsWith(CliRun.of("train", "--model", "autoencoder", "--max-steps", "1"), "--model autoencoder reconstructs"
                + " images, and cnn4j train trains classifiers (cross-entropy, accuracy): train it from Java with"
                + " io.cnn4j.train.Reconstruction, as the example io.cnn4j.examples.Autoencoder does");
        assertFailsWith(CliRun.of("summary", "--model-config", tmp.resolve("missing.json").toString()),
                "file not found: " + tmp.resolve("missing.json"));
    }

    @Test
    void helpDescribesTheOption() {
        for (String command : List.of("train", "eval", "summary")) {
            CliRun help = CliRun.of(command, "--help");
            assertTrue(help.out().contains("--model-config=FILE"), command + ":\n" + help);
        }
        assertTrue(CliRun.of("eval", "--help").out().contains("only the weights from the file"));
    }

    private static void assertFailsWith(CliRun run, String fragment) {
        assertEquals(1, run.exitCode(), run.toString());
        assertFalse(run.err().contains("\tat "), "no stack trace expected:\n" + run);
        assertTrue(run.err().replace("\n", " ").replaceAll(" +", " ").contains(fragment),
                "expected the error to mention '" + fragment + "':\n" + run);
    }
}
