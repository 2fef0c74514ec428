package io.cnn4j.cli;

import io.cnn4j.io.ModelFile;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.train.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cnn4j train} in a child JVM, checkpointing after every step, is killed (SIGKILL) at random
 * moments, some of them in the middle of writing a checkpoint, and resumed each time with
 * {@code --resume}. The checkpoint must always load, and the final weights must equal, bit for bit, those
 * of a run that was never interrupted.
 */
class ResumeAfterKillTest {
    private static final int KILLS = 3;
    /** A run of this test's options takes about a second once started: kills land anywhere in it. */
    private static final int MAX_DELAY_MILLIS = 600;

    @TempDir
    Path tmp;

    @Test
    void killedAndResumedRunsEndWithTheSameWeights() throws Exception {
        Path data = TinyData.write(tmp.resolve("data"), 240, 40);
        List<String> options = List.of("train", "--data", data.toString(), "--model", "seed", "--epochs", "2",
                "--batch-size", "16", "--validation", "40", "--keep-best", "--optimizer", "adamw", "--lr", "0.003",
                "--schedule", "onecycle", "--cycle-momentum", "--label-smoothing", "0.1", "--clip-grad-norm", "1",
                "--crop-padding", "2", "--hflip", "--random-erasing", "0.5", "--normalize", "dataset", "--threads", "2");

        Path reference = tmp.resolve("reference.safetensors");
        CliRun straight = CliRun.of(with(options, "--save", reference.toString()).toArray(String[]::new));
        assertEquals(0, straight.exitCode(), straight.toString());

        long seed = System.nanoTime();
        Random random = new Random(seed);
        Path checkpoint = tmp.resolve("run.ckpt");
        Path result = tmp.resolve("resumed.safetensors");
        List<String> first = with(options, "--save", result.toString(), "--checkpoint", checkpoint.toString(),
                "--checkpoint-every-steps", "1");
        int kills = 0;
        boolean finished = false;
        List<String> log = new ArrayList<>();
        while (kills < KILLS && !finished) {
            List<String> args = Files.exists(checkpoint)
                    ? List.of("train", "--resume", checkpoint.toString(), "--save", result.toString()) : first;
            FileTime before = Files.exists(checkpoint) ? Files.getLastModifiedTime(checkpoint) : null;
            Process child = ChildCli.start(args, tmp.resolve("child.log"));
            // Let it get going (JVM start, data, a checkpoint of its own), then kill it at a random moment.
            waitForNewCheckpoint(checkpoint, before, child);
            long delay = random.nextInt(MAX_DELAY_MILLIS);
            finished = child.waitFor(delay, TimeUnit.MILLISECONDS);
            if (!finished) {
                child.destroyForcibly();
                child.waitFor();
                kills++;
            } else {
                assertEquals(0, child.exitValue(), "the child failed:\n" + Files.readString(tmp.resolve("child.log")));
            }
            Checkpoint saved = Checkpoint.read(checkpoint);
            log.add((finished ? "finished" : "killed") + " after " + delay + " ms, checkpoint at step " + saved.progress().step());
        }
        if (!finished) {
            CliRun resumed = CliRun.of("train", "--resume", checkpoint.toString(), "--save", result.toString());
            assertEquals(0, resumed.exitCode(), resumed + "\n" + log);
        }
        Map<String, Tensor> expected = ModelFile.load(reference).stateDict();
        Map<String, Tensor> actual = ModelFile.load(result).stateDict();
        assertEquals(expected.keySet(), actual.keySet());
        for (String name : expected.keySet()) {
            assertArrayEquals(expected.get(name).data(), actual.get(name).data(),
                    name + " differs; kill seed " + seed + ", " + log);
        }
        assertTrue(kills > 0 || finished, String.join("\n", log));
    }

    private static List<String> with(List<String> base, String... more) {
        List<String> out = new ArrayList<>(base);
        out.addAll(List.of(more));
        return out;
    }

    /** Waits until the child has replaced {@code file} (last modified {@code before}, null if absent) or has ended. */
    private static void waitForNewCheckpoint(Path file, FileTime before, Process child) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (child.isAlive() && System.nanoTime() < deadline) {
            if (Files.exists(file) && !Files.getLastModifiedTime(file).equals(before)) {
                return;
            }
            Thread.sleep(5);
        }
    }
}
