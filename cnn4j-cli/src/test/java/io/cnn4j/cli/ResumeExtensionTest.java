package io.cnn4j.cli;

import io.cnn4j.io.ModelFile;
import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --resume FILE --epochs N} extends a finished run: under a schedule that does not depend on the
 * run's length it ends with the weights, bit for bit, of a run started with N epochs; a schedule spread
 * over the run's total is refused, and the way on it names works.
 */
class ResumeExtensionTest {
    @TempDir
    Path tmp;

    @Test
    void aConstantRateRunExtendedByAnEpochEqualsARunStartedThatLong() throws IOException {
        assertExtensionEqualsStraightRun("--optimizer", "adam", "--lr", "0.003");
    }

    @Test
    void aStepScheduleRunExtendedByAnEpochEqualsARunStartedThatLong() throws IOException {
        // Momentum, a decay at every epoch and random augmentation: optimizer state, schedule and random streams all carry on.
        assertExtensionEqualsStraightRun("--optimizer", "sgd", "--lr", "0.05", "--momentum", "0.9", "--schedule", "step",
                "--step-epochs", "1", "--gamma", "0.5", "--crop-padding", "2", "--hflip");
    }

    @Test
    void aCentredRmspropRunWithMomentumCarriesItsStateAcrossAResume() throws IOException {
        assertExtensionEqualsStraightRun("--optimizer", "rmsprop", "--lr", "0.001", "--momentum", "0.5", "--centered",
                "--alpha", "0.9");
    }

    @Test
    void anAdagradRunCarriesItsAccumulatorsAcrossAResume() throws IOException {
        assertExtensionEqualsStraightRun("--optimizer", "adagrad", "--lr", "0.01", "--eps", "1e-8");
    }

    @Test
    void anAmsgradRunCarriesItsLargestSecondMomentsAcrossAResume() throws IOException {
        assertExtensionEqualsStraightRun("--optimizer", "adamw", "--lr", "0.003", "--betas", "0.8,0.99", "--amsgrad");
    }

    @Test
    void aStepLimitAtAnEpochsEndIsRaisedToTheWeightsOfARunStartedWithTheHigherLimit() throws IOException {
        Path data = TinyData.write(tmp.resolve("data"), 64, 16);
        Path reference = tmp.resolve("straight.safetensors");
        assertEquals(0, train(data, "--epochs", "3", "--max-steps", "12", "--save", reference.toString()).exitCode());
        Path checkpoint = tmp.resolve("run.ckpt");
        assertEquals(0, train(data, "--epochs", "3", "--max-steps", "8", "--checkpoint", checkpoint.toString()).exitCode());
        Path result = tmp.resolve("extended.safetensors");
        CliRun extended = CliRun.of("train", "--resume", checkpoint.toString(), "--max-steps", "12", "--save", result.toString());
        assertEquals(0, extended.exitCode(), extended.toString());
        assertFalse(extended.out().contains("note:"), extended.toString());
        assertSameWeights(reference, result);
    }

    @Test
    void aStepLimitInsideAnEpochRaisedSaysTheRestOfThatEpochIsLeftOut() throws IOException {
        Path data = TinyData.write(tmp.resolve("data"), 64, 16);
        Path checkpoint = tmp.resolve("run.ckpt");
        assertEquals(0, train(data, "--epochs", "3", "--max-steps", "6", "--checkpoint", checkpoint.toString()).exitCode());
        CliRun extended = CliRun.of("train", "--resume", checkpoint.toString(), "--max-steps", "10");
        assertEquals(0, extended.exitCode(), extended.toString());
        assertTrue(extended.out().contains("note: the checkpointed run stopped at its step limit inside epoch 2 (2 of 4"
                + " batches); it goes on with epoch 3, leaving the rest of epoch 2 out\n"), extended.toString());
        assertTrue(extended.out().contains("after 10 step(s)"), extended.toString());
    }

    @Test
    void aCosineRunIsNotExtendedAndTheWayOnItNamesWorks() throws IOException {
        Path data = TinyData.write(tmp.resolve("data"), 64, 16);
        Path checkpoint = tmp.resolve("run.ckpt");
        CliRun first = train(data, "--epochs", "2", "--schedule", "cosine", "--checkpoint", checkpoint.toString());
        assertEquals(0, first.exitCode(), first.toString());

        CliRun extended = CliRun.of("train", "--resume", checkpoint.toString(), "--epochs", "3");
        assertEquals(1, extended.exitCode(), extended.toString());
        assertEquals("--resume " + checkpoint + " with 12 steps in all: the run's cosine schedule spans its 8 steps, and over"
                + " another total it would have given other rates to the steps already taken, so it cannot be extended or"
                + " shortened. To train further, save its weights with 'cnn4j train --resume " + checkpoint + " --save FILE'"
                + " and start a new run from them with '--init FILE' and a schedule of its own, or train from the start with"
                + " the length you want.", extended.err().strip().replaceFirst("^cnn4j train: error: ", ""));

        Path weights = tmp.resolve("weights.safetensors");
        CliRun saved = CliRun.of("train", "--resume", checkpoint.toString(), "--save", weights.toString());
        assertEquals(0, saved.exitCode(), saved.toString());
        CliRun further = train(data, "--epochs", "1", "--init", weights.toString());
        assertEquals(0, further.exitCode(), further.toString());
        assertTrue(further.out().contains("weights: from " + weights), further.toString());
    }

    @Test
    void aOneCycleRunIsNotExtendedButALimitThatLeavesItsTotalIsAccepted() throws IOException {
        Path data = TinyData.write(tmp.resolve("data"), 64, 16);
        Path checkpoint = tmp.resolve("run.ckpt");
        CliRun first = train(data, "--epochs", "2", "--schedule", "onecycle", "--checkpoint", checkpoint.toString());
        assertEquals(0, first.exitCode(), first.toString());
        CliRun longer = CliRun.of("train", "--resume", checkpoint.toString(), "--epochs", "3");
        assertEquals(1, longer.exitCode(), longer.toString());
        assertTrue(longer.err().contains("--resume " + checkpoint + " with 12 steps in all: the run's onecycle schedule"
                + " spans its 8 steps"), longer.toString());
        // A limit beyond the run's epochs leaves the total, and so the schedule, as it was.
        CliRun same = CliRun.of("train", "--resume", checkpoint.toString(), "--max-steps", "100", "--epochs", "2");
        assertEquals(0, same.exitCode(), same.toString());
        assertTrue(same.out().contains("the checkpointed run had already finished"), same.toString());
    }

    @Test
    void aRunIsNotShortenedBelowTheEpochsItHasDone() throws IOException {
        Path data = TinyData.write(tmp.resolve("data"), 64, 16);
        Path checkpoint = tmp.resolve("run.ckpt");
        assertEquals(0, train(data, "--epochs", "2", "--checkpoint", checkpoint.toString()).exitCode());
        CliRun shorter = CliRun.of("train", "--resume", checkpoint.toString(), "--epochs", "1");
        assertEquals(1, shorter.exitCode(), shorter.toString());
        assertTrue(shorter.err().contains("--resume " + checkpoint + ": the run already stands at epoch 2, beyond --epochs 1;"
                + " give at least --epochs 2 to go on"), shorter.toString());
    }

    @Test
    void theHelpAndTheRefusalListTheSameOptions() {
        String help = CliRun.of("train", "--help").out().replaceAll("\\s+", " ");
        assertTrue(help.contains("With it you may give " + TrainArgs.ON_RESUME + ", and any other option only with the"
                + " checkpoint's value."), help);
        assertEquals(TrainArgs.ON_RESUME, String.join(", ", TrainArgs.RUN_OPTIONS));
    }

    private void assertExtensionEqualsStraightRun(String... options) throws IOException {
        Path data = TinyData.write(tmp.resolve("data"), 64, 16);
        Path reference = tmp.resolve("straight.safetensors");
        CliRun straight = train(data, with(options, "--epochs", "3", "--save", reference.toString()));
        assertEquals(0, straight.exitCode(), straight.toString());

        Path checkpoint = tmp.resolve("run.ckpt");
        CliRun first = train(data, with(options, "--epochs", "2", "--checkpoint", checkpoint.toString()));
        assertEquals(0, first.exitCode(), first.toString());
        Path result = tmp.resolve("extended.safetensors");
        CliRun extended = CliRun.of("train", "--resume", checkpoint.toString(), "--epochs", "3", "--save", result.toString());
        assertEquals(0, extended.exitCode(), extended.toString());
        assertTrue(extended.out().contains("resumed: " + checkpoint + " at step 8 (epoch 2, "), extended.toString());

        assertSameWeights(reference, result);
    }

    private static void assertSameWeights(Path reference, Path result) throws IOException {
        Map<String, Tensor> expected = ModelFile.load(reference).stateDict();
        Map<String, Tensor> actual = ModelFile.load(result).stateDict();
        assertEquals(expected.keySet(), actual.keySet());
        for (String name : expected.keySet()) {
            assertArrayEquals(expected.get(name).data(), actual.get(name).data(), name);
        }
    }

    /** {@code cnn4j train} on {@code data} in batches of 16 (4 steps an epoch), on one thread. */
    private static CliRun train(Path data, String... options) {
        List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--batch-size", "16", "--threads", "1"));
        args.addAll(List.of(options));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static String[] with(String[] base, String... more) {
        List<String> out = new ArrayList<>(List.of(base));
        out.addAll(List.of(more));
        return out.toArray(String[]::new);
    }
}
