package io.cnn4j.cli;

import io.cnn4j.train.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a run writes: every output is checked before the first step, written atomically, and chosen only
 * by the command line typed, never by a file the run reads.
 */
class OutputSafetyTest {
    @TempDir
    Path tmp;

    private CliRun train(String... more) throws Exception {
        Path data = TinyData.write(tmp.resolve("data"), 64, 16);
        List<String> args = new java.util.ArrayList<>(List.of("train", "--data", data.toString(), "--batch-size", "16",
                "--threads", "1"));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static void assertFailsBeforeTraining(CliRun run, String... fragments) {
        assertEquals(1, run.exitCode(), run.toString());
        assertFalse(run.err().contains("\tat "), "no stack trace expected:\n" + run);
        assertFalse(run.out().contains("epoch 1"), "nothing may be trained before the outputs are known to work:\n" + run);
        for (String f : fragments) {
            assertTrue(run.err().contains(f), "expected the error to mention '" + f + "':\n" + run);
        }
    }

    @Test
    void saveIntoAFolderThatDoesNotExistCreatesIt() throws Exception {
        Path model = tmp.resolve("runs/2026/model.safetensors");
        CliRun run = train("--max-steps", "2", "--save", model.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(Files.isRegularFile(model));
    }

    @Test
    void saveWhereNoFileCanBeCreatedFailsBeforeTheFirstStep() throws Exception {
        Path sys = Path.of("/sys");
        assumeTrue(Files.isDirectory(sys) && !Files.isWritable(sys.resolve("m.safetensors")));
        CliRun run = train("--max-steps", "2", "--save", "/sys/m.safetensors");
        assertFailsBeforeTraining(run, "/sys/m.safetensors: cannot write --save: no file can be created in /sys");
    }

    @Test
    void saveOntoAFolderFailsBeforeTheFirstStep() throws Exception {
        CliRun run = train("--max-steps", "2", "--save", tmp.toString());
        assertFailsBeforeTraining(run, tmp + ": cannot write --save: is a folder; give a file name to write to");
    }

    @Test
    void twoOutputsNamingOneFileAreRefused() throws Exception {
        Path file = tmp.resolve("out");
        CliRun run = train("--max-steps", "2", "--save", file.toString(), "--metrics-out", tmp.resolve("./out").toString());
        assertFailsBeforeTraining(run, "--save and --metrics-out both name " + file + "; each output needs a file of its own");
    }

    @Test
    void aSecondRunWritingTheSameFileIsRefusedAtItsStart() throws Exception {
        Path metrics = tmp.resolve("metrics.jsonl");
        try (var running = io.cnn4j.io.OutputLock.claim(metrics, "--metrics-out")) {
            CliRun run = train("--max-steps", "2", "--metrics-out", metrics.toString());
            assertFailsBeforeTraining(run, metrics + ": cannot write --metrics-out: another run (process "
                    + ProcessHandle.current().pid() + ") is writing it; wait for it to end, or give another file");
            assertFalse(run.out().contains("data:"), "refused before the data is read:\n" + run);
        }
        assertEquals(0, train("--max-steps", "2", "--metrics-out", metrics.toString()).exitCode());
    }

    @Test
    void aCheckpointNeverChoosesWhereAResumedRunWrites() throws Exception {
        Path victim = Files.writeString(tmp.resolve("victim.txt"), "precious");
        Path checkpoint = tmp.resolve("run.ckpt");
        assertEquals(0, train("--epochs", "2", "--max-steps", "3", "--checkpoint", checkpoint.toString()).exitCode());
        // A checkpoint handed over by someone else, its stored options naming a file to overwrite.
        rewriteStoredOptions(checkpoint, options -> {
            options.addAll(List.of("--save", victim.toString(), "--metrics-out", victim.toString()));
            return options;
        });

        CliRun resumed = CliRun.of("train", "--resume", checkpoint.toString(), "--lr", "0.5");
        // --lr may not be changed on resume: the run fails, and must still not have touched the file.
        assertEquals("precious", Files.readString(victim));
        CliRun again = CliRun.of("train", "--resume", checkpoint.toString());
        assertEquals(0, again.exitCode(), again.toString());
        assertEquals("precious", Files.readString(victim), "the checkpoint's --save and --metrics-out are not obeyed");
        assertTrue(again.out().contains("note: the checkpointed run was started with --save " + victim
                + "; a resumed run writes only the outputs on its own command line"), again.toString());
        assertEquals(1, resumed.exitCode());
    }

    @Test
    void aBadOptionStoredInACheckpointNamesTheCheckpointInOneParagraph() throws Exception {
        Path checkpoint = tmp.resolve("run.ckpt");
        assertEquals(0, train("--max-steps", "2", "--checkpoint", checkpoint.toString()).exitCode());
        rewriteStoredOptions(checkpoint, options -> {
            options.add("--frobnicate");
            return options;
        });
        CliRun run = CliRun.of("train", "--resume", checkpoint.toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertEquals(1, run.err().strip().lines().count(), "one paragraph, not the usage:\n" + run);
        assertTrue(run.err().contains(checkpoint + ": the training options this checkpoint holds cannot be used: Unknown"
                + " option: '--frobnicate'"), run.toString());
    }

    @Test
    void anEarlierRunsMetricsSurviveARunThatFailsBeforeItsFirstEpochEnds() throws Exception {
        Path metrics = Files.writeString(tmp.resolve("metrics.jsonl"), "{\"epoch\":1}\n{\"epoch\":2}\n");
        // A learning rate that makes the second step's loss NaN, in an epoch of four steps.
        CliRun run = train("--optimizer", "sgd", "--lr", "1e35", "--metrics-out", metrics.toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("at step 2"), run.toString());
        assertEquals("{\"epoch\":1}\n{\"epoch\":2}\n", Files.readString(metrics));
    }

    @Test
    void metricsHoldExactlyTheRunsEpochsAndAResumedRunContinuesThem() throws Exception {
        Path metrics = Files.writeString(tmp.resolve("metrics.jsonl"), "an older run's lines\n".repeat(5));
        Path checkpoint = tmp.resolve("run.ckpt");
        CliRun first = train("--epochs", "2", "--metrics-out", metrics.toString(), "--checkpoint", checkpoint.toString());
        assertEquals(0, first.exitCode(), first.toString());
        // The same run, had it been asked for three epochs and stopped after two.
        rewriteStoredOptions(checkpoint, options -> {
            options.addAll(List.of("--epochs", "3"));
            return options;
        });
        List<String> lines = Files.readAllLines(metrics);
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("{\"epoch\":1,") && lines.get(1).startsWith("{\"epoch\":2,"), lines.toString());

        CliRun resumed = CliRun.of("train", "--resume", checkpoint.toString(), "--metrics-out", metrics.toString());
        assertEquals(0, resumed.exitCode(), resumed.toString());
        List<String> all = Files.readAllLines(metrics);
        assertEquals(lines, all.subList(0, 2));
        assertTrue(all.size() == 3 && all.get(2).startsWith("{\"epoch\":3,"), all.toString());
        try (var files = Files.list(tmp)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file is left");
        }
    }

    /** Replaces the training options stored in {@code checkpoint} by what {@code change} makes of them. */
    private static void rewriteStoredOptions(Path checkpoint,
                                             java.util.function.UnaryOperator<List<String>> change) throws Exception {
        Checkpoint c = Checkpoint.read(checkpoint);
        Map<String, String> meta = new LinkedHashMap<>(c.metadata());
        List<String> options = new java.util.ArrayList<>(List.of(new com.google.gson.Gson().fromJson(
                meta.get(TrainArgs.METADATA_KEY), String[].class)));
        meta.put(TrainArgs.METADATA_KEY, TrainArgs.toJson(change.apply(options)));
        new Checkpoint(c.model(), c.optimizer(), c.data(), c.generators(), c.progress(), c.bestWeights(), meta).write(checkpoint);
    }
}
