package io.cnn4j.cli;

import io.cnn4j.io.ModelFile;
import io.cnn4j.models.Models;
import io.cnn4j.nn.Module;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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

        CliRun run = CliRun.of("train", "--data", data.toString(), "--lr", "Infinity", "--max-steps", "5", "--save",
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
}
