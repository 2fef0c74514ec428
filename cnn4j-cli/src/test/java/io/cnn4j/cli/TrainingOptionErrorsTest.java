package io.cnn4j.cli;

import io.cnn4j.io.ModelFile;
import io.cnn4j.models.Models;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad values of the schedule, augmentation, validation, checkpoint and recipe options of
 * {@code cnn4j train}: one paragraph naming the option and what was wrong, exit code 1.
 */
class TrainingOptionErrorsTest {

    @TempDir
    Path tmp;

    private static void assertFailsWith(List<String> args, String... fragments) {
        List<String> all = new ArrayList<>(List.of("train", "--data", "embedded"));
        all.addAll(args);
        CliRun run = CliRun.of(all.toArray(String[]::new));
        assertEquals(1, run.exitCode(), run.toString());
        assertFalse(run.err().contains("\tat "), "no stack trace expected:\n" + run);
        assertEquals(1, run.err().strip().lines().count(), "one paragraph:\n" + run);
        for (String f : fragments) {
            assertTrue(run.err().contains(f), "expected the error to mention '" + f + "':\n" + run);
        }
    }

    @Test
    void badScheduleValuesNameTheOption() {
        assertFailsWith(List.of("--schedule", "wavy"), "--schedule wavy", "constant, step, cosine or onecycle");
        assertFailsWith(List.of("--schedule", "step"), "--schedule step", "--step-epochs");
        assertFailsWith(List.of("--schedule", "step", "--step-epochs", "1", "--gamma", "2"), "gamma", "got 2.0");
        assertFailsWith(List.of("--schedule", "onecycle", "--max-steps", "3"), "--schedule onecycle", "pct_start", "3 updates");
        assertFailsWith(List.of("--schedule", "cosine", "--warmup-epochs", "5", "--epochs", "1"), "--schedule cosine", "warm-up");
        assertFailsWith(List.of("--clip-grad-norm", "-1"), "--clip-grad-norm", "-1");
    }

    @Test
    void accumulationNeedsAnImageInEveryMicroBatch() {
        assertFailsWith(List.of("--accumulate", "0"), "--accumulate must be between 1 and the batch size (64), so that"
                + " every micro-batch has an image, got 0");
        assertFailsWith(List.of("--batch-size", "4", "--accumulate", "5"), "--accumulate must be between 1 and the"
                + " batch size (4)", "got 5");
        assertFailsWith(List.of("--accumulate", "2", "--shard-order", "--no-shuffle"), "--shard-order shuffles every shard"
                + " each epoch, so it cannot go with --no-shuffle");
    }

    @Test
    void badAugmentationValuesNameTheOption() {
        assertFailsWith(List.of("--crop-padding", "-2"), "--crop-padding", "-2");
        assertFailsWith(List.of("--random-erasing", "1.5"), "--random-erasing", "1.5");
        assertFailsWith(List.of("--normalize", "0.5"), "--normalize", "MEAN:STD", "none or dataset");
        assertFailsWith(List.of("--normalize", "0.5:0"), "--normalize", "> 0");
        assertFailsWith(List.of("--normalize", "0.1,0.2:0.3,0.4"), "--normalize", "2 channel(s)", "have 1");
        assertFailsWith(List.of("--prefetch", "-1"), "--prefetch", "-1");
    }

    @Test
    void validationOptionsNeedAValidationSetOfASensibleSize() {
        assertFailsWith(List.of("--validation", "ten"), "--validation", "ten", "e.g. 5000 or 0.1");
        assertFailsWith(List.of("--validation", "10000"), "--validation", "10000");
        assertFailsWith(List.of("--early-stopping", "3"), "--early-stopping", "--validation");
        assertFailsWith(List.of("--keep-best"), "--keep-best", "--validation");
        assertFailsWith(List.of("--early-stopping", "-1", "--validation", "100"), "--early-stopping", "-1");
    }

    @Test
    void checkpointAndResumeMistakesAreExplained() throws IOException {
        assertFailsWith(List.of("--checkpoint-every-steps", "5"), "--checkpoint-every-steps", "--checkpoint FILE");
        Path missing = tmp.resolve("missing.ckpt");
        assertFailsWith(List.of("--resume", missing.toString()), "file not found", missing.toString());
        Path model = tmp.resolve("model.safetensors");
        ModelFile.save(model, Models.create("seed"));
        assertFailsWith(List.of("--resume", model.toString()), model.toString(), "not a cnn4j training checkpoint");

        Path checkpoint = tmp.resolve("run.ckpt");
        CliRun run = CliRun.of("train", "--data", "embedded", "--max-steps", "3", "--checkpoint", checkpoint.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertFailsWith(List.of("--resume", checkpoint.toString(), "--lr", "0.1"), "--lr cannot be changed with --resume:"
                + " the checkpoint's run has --lr 0.001, and --lr 0.1 would make it 0.1;", "--max-steps 3", "With --resume you"
                + " may give " + TrainArgs.ON_RESUME + ", and any other option only with the checkpoint's value.");
        assertFailsWith(List.of("--resume", checkpoint.toString(), "--hflip"), "--hflip cannot be changed with --resume: the"
                + " checkpoint's run has --hflip off, and --hflip would make it on;");
        // The settings the checkpoint holds, given again (as typed, or as their defaults are), are no change.
        CliRun repeated = CliRun.of("train", "--resume", checkpoint.toString(), "--model", "seed", "--lr", "0.0010",
                "--no-hflip", "--data", "embedded");
        assertEquals(0, repeated.exitCode(), repeated.toString());
        // The views of the final test pass do not change the weights, so a finished run may be tested anew.
        CliRun tested = CliRun.of("train", "--resume", checkpoint.toString(), "--tta-shift", "1");
        assertEquals(0, tested.exitCode(), tested.toString());
        assertTrue(tested.out().contains("with test-time augmentation (9 views"), tested.toString());
    }

    @Test
    void absurdValuesAreRefusedWithTheirRangeBeforeAnythingRuns() {
        // Each of these once ran out of memory, ran for many minutes, or trained nothing without a word.
        assertFailsWith(List.of("--threads", "2147483647"), "--threads must be from 1 to 1024, got 2147483647");
        assertFailsWith(List.of("--prefetch", "2147483647"), "--prefetch must be from 0 to 64, got 2147483647");
        assertFailsWith(List.of("--tta-shift", "200"), "--tta-shift: test-time shifts must be from 0 to 8 pixels (289 views), got 200");
        assertFailsWith(List.of("--tta-shift", "2147483647"), "--tta-shift", "got 2147483647");
        assertFailsWith(List.of("--crop-padding", "100000"), "--crop-padding must be from 0 to 4096, got 100000");
        assertFailsWith(List.of("--crop-padding", "2147483647"), "--crop-padding must be from 0 to 4096, got 2147483647");
        assertFailsWith(List.of("--crop-padding", "28"), "--crop-padding 28 shifts the 28x28 images so far that a crop could"
                + " hold none of the picture; give at most 27");
        assertFailsWith(List.of("--schedule", "cosine", "--warmup-epochs", "NaN"), "--warmup-epochs must be a number >= 0, got NaN");
        assertFailsWith(List.of("--schedule", "step", "--step-epochs", "0"), "--step-epochs must be a number above 0, got 0.0");
        assertFailsWith(List.of("--lr", "Infinity"), "--lr must be a number >= 0, got Infinity");
        assertFailsWith(List.of("--lr", "NaN"), "--lr must be a number >= 0, got NaN");
        assertFailsWith(List.of("--optimizer", "sgd", "--momentum", "1.5"), "--momentum must be a number from 0 to 1, got 1.5");
        assertFailsWith(List.of("--label-smoothing", "-0.1"), "--label-smoothing must be a number from 0 to 1, got -0.1");
        assertFailsWith(List.of("--clip-grad-norm", "Infinity"), "--clip-grad-norm must be a number >= 0, got Infinity");
        assertFailsWith(List.of("--epochs", "2147483647"), "--epochs must be from 1 to 1000000, got 2147483647");
        assertFailsWith(List.of("--max-steps", "0"), "--max-steps must be >= 1, got 0");
    }

    @Test
    void anUnknownRecipeListsTheRecipes() {
        assertFailsWith(List.of("--recipe", "fashion99"), "--recipe", "fashion99", "fashion94", "cnn4j recipes");
    }
}
