package io.cnn4j.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.cnn4j.io.ModelFile;
import io.cnn4j.io.SafeTensors;
import io.cnn4j.io.TensorFile;
import io.cnn4j.models.Models;
import io.cnn4j.nn.Module;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import static io.cnn4j.cli.CliErrorsTest.assertFailsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs that used to end with exit 0, or to write a file, when their result was worthless: a diverged
 * run's NaN weights replacing a good model, NaN weights loaded and used, a batch size that trained
 * nothing, empty data, checkpoints edited into states no run reaches. Each now fails with one sentence
 * that names the cause, and leaves the user's files as they were.
 */
class WrongSuccessesTest {

    @TempDir
    Path tmp;

    private static void assertSucceeds(CliRun run, String... fragments) {
        assertEquals(0, run.exitCode(), run.toString());
        for (String f : fragments) {
            assertTrue(run.out().contains(f), "expected the output to mention '" + f + "':\n" + run);
        }
    }

    @Test
    void divergedRunDoesNotReplaceAGoodModelWithNaN() throws IOException {
        Path data = TinyData.write(tmp.resolve("data"), 16, 8);
        Path model = tmp.resolve("m.safetensors");
        assertSucceeds(CliRun.of("train", "--data", data.toString(), "--max-steps", "1", "--save", model.toString()));
        byte[] good = Files.readAllBytes(model);

        CliRun run = CliRun.of("train", "--data", data.toString(), "--lr", "3e38", "--max-steps", "5", "--save",
                model.toString());
        assertFailsWith(run, "parameter '0.weight' became", "at step 1 (epoch 1)",
                "Nothing was saved: no update left good weights, so " + model + " is left as it was.");
        assertArrayEquals(good, Files.readAllBytes(model));
    }

    @Test
    void nonFiniteModelFileIsRefusedUnlessAllowed() throws IOException {
        Module seed = Models.create("seed");
        seed.stateDict().get("0.weight").data()[7] = Float.NaN;
        Path file = tmp.resolve("nan.safetensors");
        ModelFile.save(file, seed);
        Path data = TinyData.write(tmp.resolve("data"), 16, 8);
        String image = data.resolve("t10k-images-idx3-ubyte.gz") + "#0";
        String refusal = file + ": tensor '0.weight' holds 1 NaN and 0 infinite values (of 800)";

        assertFailsWith(CliRun.of("eval", "--model-file", file.toString(), "--data", data.toString()), refusal,
                "--allow-non-finite");
        assertSucceeds(CliRun.of("eval", "--model-file", file.toString(), "--data", data.toString(), "--allow-non-finite"),
                "test loss NaN");
        assertFailsWith(CliRun.of("predict", "--model-file", file.toString(), image), refusal);
        assertSucceeds(CliRun.of("predict", "--model-file", file.toString(), "--allow-non-finite", image), "NaN");
        assertFailsWith(CliRun.of("train", "--data", data.toString(), "--init", file.toString(), "--max-steps", "1"), refusal);
        assertFailsWith(CliRun.of("train", "--data", data.toString(), "--init", file.toString(), "--allow-non-finite",
                "--max-steps", "1"), "the loss became NaN at step 1");
        // summary describes the layers alone, which the weights' values do not change
        assertSucceeds(CliRun.of("summary", "--model-file", file.toString()), "Conv2d(1, 32, kernel_size=5)");
    }

    @Test
    void batchSizeOfIntMaxTrainsOneBatchNotZero() throws IOException {
        Path data = TinyData.write(tmp.resolve("data"), 16, 8);
        assertSucceeds(CliRun.of("train", "--data", data.toString(), "--batch-size", "2147483647", "--epochs", "2"),
                "after 2 step(s)");
    }

    @Test
    void emptyTrainingOrTestSetIsAnErrorNamingTheFile() throws IOException {
        Path noTrain = TinyData.write(tmp.resolve("no-train"), 0, 8);
        assertFailsWith(CliRun.of("train", "--data", noTrain.toString()),
                noTrain.resolve("train-images-idx3-ubyte.gz") + " holds no images");
        Path noTest = TinyData.write(tmp.resolve("no-test"), 16, 0);
        assertFailsWith(CliRun.of("train", "--data", noTest.toString()),
                noTest.resolve("t10k-images-idx3-ubyte.gz") + " holds no images");
    }

    /** A checkpoint of a 3-epoch run after 2 steps, with one edit to its training state. */
    private Path editedCheckpoint(Consumer<JsonObject> edit) throws IOException {
        Path data = TinyData.write(tmp.resolve("data"), 16, 8);
        Path checkpoint = tmp.resolve("run.ckpt");
        assertSucceeds(CliRun.of("train", "--data", data.toString(), "--epochs", "3", "--batch-size", "8", "--max-steps", "2",
                "--checkpoint", checkpoint.toString()));
        TensorFile contents = SafeTensors.read(checkpoint);
        Map<String, String> metadata = new LinkedHashMap<>(contents.metadata());
        JsonObject state = JsonParser.parseString(metadata.get("cnn4j.checkpoint")).getAsJsonObject();
        edit.accept(state);
        metadata.put("cnn4j.checkpoint", state.toString());
        SafeTensors.write(checkpoint, contents.tensors(), metadata);
        return checkpoint;
    }

    @Test
    void checkpointWithNegativeStepIsRefused() throws IOException {
        Path checkpoint = editedCheckpoint(s -> s.getAsJsonObject("progress").addProperty("step", -5));
        assertFailsWith(CliRun.of("train", "--resume", checkpoint.toString()),
                checkpoint + ": its training state ('cnn4j.checkpoint') is damaged or incomplete: 'step' must be >= 0, got -5");
    }

    @Test
    void checkpointAtEpoch99OfAThreeEpochRunIsRefused() throws IOException {
        Path checkpoint = editedCheckpoint(s -> s.getAsJsonObject("progress").addProperty("epoch", 99));
        assertFailsWith(CliRun.of("train", "--resume", checkpoint.toString()), "--resume " + checkpoint
                + ": the checkpoint does not fit the run its options describe (different data, or an edited file?):"
                + " its progress is at epoch 99 of a run of 3");
    }
}
