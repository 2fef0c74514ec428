package io.cnn4j.cli;

import io.cnn4j.data.InputSpec;
import io.cnn4j.io.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The schedule, augmentation, validation and recipe options of {@code cnn4j train} on their happy paths. */
class TrainingOptionsTest {

    @TempDir
    Path tmp;

    @Test
    void everyTrainingOptionTogether() throws IOException {
        Path metrics = tmp.resolve("metrics.jsonl");
        Path model = tmp.resolve("best.safetensors");
        CliRun run = CliRun.of("train", "--data", "embedded", "--max-steps", "12", "--batch-size", "32",
                "--validation", "500", "--keep-best", "--early-stopping", "2", "--schedule", "cosine", "--warmup-epochs", "0.01",
                "--clip-grad-norm", "1", "--crop-padding", "2", "--hflip", "--random-erasing", "0.5", "--normalize", "dataset",
                "--label-smoothing", "0.1", "--metrics-out", metrics.toString(), "--save", model.toString(), "--prefetch", "1",
                "--threads", "2", "--accumulate", "4");
        assertEquals(0, run.exitCode(), run.toString());
        for (String expected : List.of("validation: 500 of the 10000 training images held out", "batch 32 (4 micro-batches)",
                "schedule: cosine: lr 0.001 to 0.0 over 12 steps, the first 3 warming up",
                "augmentation: random crop (padding 2), horizontal flip, normalise 0.28", "random erasing (p 0.5)",
                "| val loss ", "best epoch: 1 (validation accuracy")) {
            assertTrue(run.out().contains(expected), "expected '" + expected + "' in\n" + run);
        }
        String line = Files.readAllLines(metrics).get(0);
        for (String key : List.of("\"validation_loss\":", "\"validation_accuracy\":", "\"learning_rate\":", "\"data_wait_seconds\":")) {
            assertTrue(line.contains(key), key + " missing from " + line);
        }

        // The saved model carries its normalisation, so eval sees the images as training did.
        assertTrue(ModelFile.read(model).metadata().get(InputSpec.NORMALIZE_KEY).startsWith("0.28"));
        CliRun eval = CliRun.of("eval", "--model-file", model.toString(), "--data", "embedded");
        assertEquals(0, eval.exitCode(), eval.toString());
        assertEquals(number("test accuracy (\\d\\.\\d+)", run.out()), number("accuracy (\\d\\.\\d+)", eval.out()), eval.toString());
    }

    @Test
    void theShardOrderIsItsOwnAndTheSameEveryRun() throws IOException {
        List<float[]> weights = new java.util.ArrayList<>();
        for (boolean sharded : new boolean[] {true, true, false}) {
            Path model = tmp.resolve(weights.size() + ".safetensors");
            CliRun run = CliRun.of("train", "--data", "embedded", "--model", "seed", "--batch-size", "32", "--accumulate", "2",
                    sharded ? "--shard-order" : "--prefetch=0", "--max-steps", "3", "--threads", "2", "--save", model.toString());
            assertEquals(0, run.exitCode(), run.toString());
            assertTrue(run.out().contains(sharded ? "batch 32 (2 micro-batches, one per shard)" : "batch 32 (2 micro-batches)"),
                    run.toString());
            weights.add(ModelFile.read(model).model().parameters().getFirst().data().clone());
        }
        assertTrue(java.util.Arrays.equals(weights.get(0), weights.get(1)), "the same order from the same seed");
        assertTrue(!java.util.Arrays.equals(weights.get(0), weights.get(2)), "the sharded order is not the shuffled one");
    }

    @Test
    void aRecipeSetsTheOptionsAndExplicitOnesOverrideIt() {
        CliRun run = CliRun.of("train", "--recipe", "fashion94", "--data", "embedded", "--model", "seed", "--max-steps", "8",
                "--random-erasing", "0.5", "--no-cycle-momentum", "--threads", "2");
        assertEquals(0, run.exitCode(), run.toString());
        for (String expected : List.of("recipe: fashion94", "model: seed", "adamw lr 0.002 weight decay 0.05", "batch 64",
                "14 epoch(s)", "schedule: onecycle", "augmentation: random crop (padding 2), normalise",
                "random erasing (p 0.5)")) {
            assertTrue(run.out().contains(expected), "expected '" + expected + "' in\n" + run);
        }
        assertTrue(!run.out().contains("momentum 0.95"), "--no-cycle-momentum overrides the recipe's --cycle-momentum:\n" + run);
    }

    @Test
    void aModelConfigReplacesTheRecipesModel() {
        Path config = tmp.resolve("seed.json");
        CliRun write = CliRun.of("summary", "--model", "seed", "--write-config", config.toString());
        assertEquals(0, write.exitCode(), write.toString());
        CliRun run = CliRun.of("train", "--recipe", "fashion94", "--model-config", config.toString(), "--data", "embedded",
                "--max-steps", "8", "--threads", "2");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("46,922 parameters"), run.toString());
    }

    @Test
    void theThreeBlockResnetOfDocsRecipesStillBuilds() {
        CliRun run = CliRun.of("summary", "--model-config", Path.of("..", "docs", "models", "resnet3.json").toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("Total params: 308,074"), "PyTorch counts 308,074 parameters:\n" + run);
    }

    @Test
    void recipesAreListedAndTheHelpNamesThemAndEveryNewOption() {
        CliRun recipes = CliRun.of("recipes");
        assertEquals(0, recipes.exitCode(), recipes.toString());
        assertTrue(recipes.out().contains("fashion94: ") && recipes.out().contains("--recipe fashion94  =  cnn4j train --model"),
                recipes.toString());
        String help = CliRun.of("train", "--help").out();
        for (String option : List.of("--recipe", "fashion94", "--schedule", "--step-epochs", "--gamma", "--warmup-epochs",
                "--min-lr", "--pct-start", "--div-factor", "--final-div-factor", "--[no-]cycle-momentum", "--clip-grad-norm",
                "--crop-padding", "--[no-]hflip", "--random-erasing", "--normalize", "--validation", "--early-stopping",
                "--keep-best", "--checkpoint", "--checkpoint-every-steps", "--resume", "--prefetch", "--tta-shift", "--[no-]tta-flip")) {
            assertTrue(help.contains(option), option + " missing from the help:\n" + help);
        }
    }

    private static double number(String regex, String text) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex + " not found in\n" + text);
        return Double.parseDouble(m.group(1));
    }
}
