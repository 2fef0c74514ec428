package io.cnn4j.cli;

import io.cnn4j.io.ModelFile;
import io.cnn4j.io.SavedModel;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.train.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cnn4j train} in a child JVM gets Ctrl-C (SIGINT) or SIGTERM mid-run: it finishes its step, writes
 * the checkpoint and the weights so far, ends with one line naming them and the command that goes on, and
 * exits with 130 within seconds. That command ends with the weights, bit for bit, of a run never stopped.
 */
class InterruptTest {
    private static final int EPOCHS = 3;
    private static final int BATCHES = 60;
    /** A mid-epoch checkpoint, in the second epoch: the signal is sent once it is written. */
    private static final int SIGNAL_AFTER = 75;
    private static final Pattern LAST_LINE = Pattern.compile("interrupted after step (\\d+) \\(epoch (\\d+), batch (\\d+) of " + BATCHES + "\\):"
            + " saved the checkpoint to (\\S+) and the weights so far to (\\S+); to go on: cnn4j (train --resume \\S+ --save \\S+)");

    @TempDir
    Path tmp;

    @Test
    void ctrlCAndSigtermStopAfterTheStepAndTheRunResumesToTheSameWeights() throws Exception {
        Path data = TinyData.write(tmp.resolve("data"), 240, 40);
        List<String> options = List.of("train", "--data", data.toString(), "--epochs", Integer.toString(EPOCHS),
                "--batch-size", "4", "--optimizer", "sgd", "--momentum", "0.9", "--lr", "0.01", "--schedule", "cosine",
                "--hflip", "--threads", "1");
        Path reference = tmp.resolve("reference.safetensors");
        CliRun straight = CliRun.of(with(options, "--save", reference.toString()));
        assertEquals(0, straight.exitCode(), straight.toString());

        stopAndResume(options, reference, "sigint", this::ctrlC);
        stopAndResume(options, reference, "sigterm", Process::destroy);
    }

    @Test
    void aSecondCtrlCEndsTheRunAtOnceLeavingNoFileHalfWritten() throws Exception {
        Path data = TinyData.write(tmp.resolve("data"), 240, 40);
        Path checkpoint = tmp.resolve("run.ckpt");
        Process child = ChildCli.start(List.of("train", "--data", data.toString(), "--epochs", "1000", "--batch-size", "4",
                "--threads", "1", "--checkpoint", checkpoint.toString(), "--checkpoint-every-steps", "1"), tmp.resolve("twice.log"));
        awaitCheckpoint(child, checkpoint, 1, tmp.resolve("twice.log"));
        ctrlC(child);
        ctrlC(child);
        assertTrue(child.waitFor(10, TimeUnit.SECONDS), "still running 10 s after two Ctrl-C");
        assertEquals(Interruption.EXIT_CODE, child.exitValue(), Files.readString(tmp.resolve("twice.log")));
        assertTrue(Checkpoint.read(checkpoint).progress().step() > 0);
    }

    /** Starts the run, stops it mid-epoch with {@code signal}, resumes it as told and compares the weights. */
    private void stopAndResume(List<String> options, Path reference, String name, Consumer<Process> signal) throws Exception {
        Path checkpoint = tmp.resolve(name + ".ckpt");
        Path weights = tmp.resolve(name + ".safetensors");
        Path log = tmp.resolve(name + ".log");
        Process child = ChildCli.start(List.of(with(options, "--checkpoint", checkpoint.toString(), "--checkpoint-every-steps",
                "25", "--save", weights.toString())), log);
        awaitCheckpoint(child, checkpoint, SIGNAL_AFTER, log);
        long sent = System.nanoTime();
        signal.accept(child);
        assertTrue(child.waitFor(10, TimeUnit.SECONDS), name + ": still running 10 s after the signal");
        double seconds = (System.nanoTime() - sent) / 1e9;
        List<String> lines = Files.readAllLines(log);
        assertEquals(Interruption.EXIT_CODE, child.exitValue(), String.join("\n", lines));
        assertTrue(seconds < 5, name + ": took " + seconds + " s to stop");

        String last = lines.getLast();
        Matcher m = LAST_LINE.matcher(last);
        assertTrue(m.matches(), last);
        long step = Long.parseLong(m.group(1));
        assertTrue(step >= SIGNAL_AFTER && step < EPOCHS * BATCHES && step % BATCHES != 0, "stopped mid-epoch:\n"
                + String.join("\n", lines));
        assertEquals(checkpoint.toString(), m.group(4));
        assertEquals(weights.toString(), m.group(5));
        assertEquals(step, Checkpoint.read(checkpoint).progress().step());
        SavedModel interrupted = ModelFile.read(weights);
        assertEquals(Long.toString(step), interrupted.metadata().get(StopReport.INTERRUPTED_KEY));
        assertEquals(Long.toString(step), interrupted.metadata().get("cnn4j.trained_steps"));

        CliRun resumed = CliRun.of(m.group(6).split(" "));
        assertEquals(0, resumed.exitCode(), resumed.toString());
        assertSameWeights(reference, weights, name);
    }

    private void ctrlC(Process child) {
        try {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Waits until the child has checkpointed step {@code step} or a later one. */
    private static void awaitCheckpoint(Process child, Path checkpoint, long step, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            assertTrue(child.isAlive(), "the child ended early:\n" + Files.readString(log));
            if (Files.exists(checkpoint) && Checkpoint.read(checkpoint).progress().step() >= step) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no checkpoint of step " + step + " within 60 s:\n" + Files.readString(log));
    }

    private static void assertSameWeights(Path expectedFile, Path actualFile, String name) throws IOException {
        Map<String, Tensor> expected = ModelFile.load(expectedFile).stateDict();
        Map<String, Tensor> actual = ModelFile.load(actualFile).stateDict();
        assertEquals(expected.keySet(), actual.keySet());
        for (String tensor : expected.keySet()) {
            assertArrayEquals(expected.get(tensor).data(), actual.get(tensor).data(), tensor + " differs after " + name);
        }
    }

    private static String[] with(List<String> base, String... more) {
        List<String> out = new ArrayList<>(base);
        out.addAll(Arrays.asList(more));
        return out.toArray(String[]::new);
    }
}
