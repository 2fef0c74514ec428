package io.cnn4j.train;

import io.cnn4j.io.SafeTensors;
import io.cnn4j.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run interrupted at any step and resumed from its checkpoint in fresh objects ends with the same
 * weights, bit for bit, as the run that never stopped, and reports the same metrics.
 */
class CheckpointResumeTest {

    @TempDir
    Path tmp;

    /** Thrown by a listener to stop a run the way a crash would, between two steps. */
    private static final class Crash extends RuntimeException {
        Crash() {
            super("simulated crash");
        }
    }

    @Test
    void resumingAfterAnInterruptionGivesTheSameWeightsBitForBit() throws IOException {
        TinyRun straight = new TinyRun(5);
        List<EpochMetrics> expected = straight.fit();
        float[][] expectedWeights = straight.weights();
        int stepsPerEpoch = straight.feed.batchesPerEpoch();
        assertEquals(TinyRun.EPOCHS * stepsPerEpoch, straight.trainer.steps());

        // Crash mid-epoch (checkpoint 3 steps back), right after an epoch's last step, and after its evaluation.
        for (long crashAt : new long[] {stepsPerEpoch + 4, 2L * stepsPerEpoch, 3L * stepsPerEpoch + 1}) {
            Path file = tmp.resolve("run-" + crashAt + ".ckpt");
            TinyRun first = new TinyRun(5);
            first.trainer.checkpoints(file, 3, Map.of("note", "test"));
            first.trainer.addListener(new TrainingListener() {
                @Override
                public void onStep(StepMetrics s) {
                    if (s.step() == crashAt) {
                        throw new Crash();
                    }
                }
            });
            assertThrows(Crash.class, first::fit);

            Checkpoint checkpoint = Checkpoint.read(file);
            assertEquals("test", checkpoint.metadata().get("note"));
            assertTrue(checkpoint.progress().step() < crashAt);
            TinyRun resumed = new TinyRun(5);
            resumed.trainer.restore(checkpoint, resumed.feed);
            List<EpochMetrics> rest = resumed.fit();

            float[][] actual = resumed.weights();
            for (int i = 0; i < expectedWeights.length; i++) {
                assertArrayEquals(expectedWeights[i], actual[i], "tensor " + i + " after a crash at step " + crashAt);
            }
            List<EpochMetrics> tail = expected.subList(expected.size() - rest.size(), expected.size());
            for (int i = 0; i < rest.size(); i++) {
                assertSameResults(tail.get(i), rest.get(i));
            }
            assertEquals(straight.trainer.bestEpoch(), resumed.trainer.bestEpoch());
        }
    }

    @Test
    void aCheckpointRoundTripsEveryField() throws IOException {
        TinyRun run = new TinyRun(7);
        run.trainer.maxSteps(9);
        run.fit();
        Checkpoint written = run.trainer.checkpoint(run.feed);
        Path file = tmp.resolve("c.ckpt");
        written.write(file);
        Checkpoint read = Checkpoint.read(file);
        assertEquals(written.progress(), read.progress());
        assertEquals(written.data(), read.data());
        assertEquals(written.generators(), read.generators());
        assertEquals(written.optimizer().kind(), read.optimizer().kind());
        assertEquals(written.optimizer().counters(), read.optimizer().counters());
        assertEquals(written.optimizer().learningRate(), read.optimizer().learningRate());
        assertEquals(written.optimizer().buffers().keySet(), read.optimizer().buffers().keySet());
        written.optimizer().buffers().forEach((k, v) -> assertArrayEquals(v, read.optimizer().buffers().get(k), k));
        assertEquals(written.model().keySet(), read.model().keySet());
        written.model().forEach((k, v) -> assertArrayEquals(v.data(), read.model().get(k).data(), k));
        assertEquals(written.bestWeights().keySet(), read.bestWeights().keySet());
        assertTrue(read.generators().containsKey("model.5"), "the dropout layer's generator: " + read.generators().keySet());
        assertFalse(read.progress().inEpoch(), "a run that reached its step limit is done, mid-epoch or not");
    }

    @Test
    void aFileThatIsNotACheckpointIsRefusedByName() throws IOException {
        Path weights = tmp.resolve("weights.safetensors");
        SafeTensors.write(weights, new TinyRun(1).model.stateDict());
        var e = assertThrows(CheckpointException.class, () -> Checkpoint.read(weights));
        assertTrue(e.getMessage().startsWith(weights.toString()) && e.getMessage().contains("not a cnn4j training checkpoint"),
                e.getMessage());
        Path damaged = tmp.resolve("damaged.ckpt");
        SafeTensors.write(damaged, Map.of(), Map.of("format", "cnn4j-checkpoint", "cnn4j.checkpoint_version", "1",
                "cnn4j.checkpoint", "{\"progress\": {}}"));
        e = assertThrows(CheckpointException.class, () -> Checkpoint.read(damaged));
        assertTrue(e.getMessage().contains("damaged") && e.getMessage().contains("'step' is missing"), e.getMessage());
        assertTrue(Files.exists(damaged));
    }

    private static void assertSameResults(EpochMetrics a, EpochMetrics b) {
        assertEquals(a.epoch(), b.epoch());
        assertEquals(a.steps(), b.steps());
        assertEquals(a.trainLoss(), b.trainLoss(), "train loss of epoch " + a.epoch());
        assertEquals(a.trainAccuracy(), b.trainAccuracy());
        assertEquals(a.validationLoss(), b.validationLoss());
        assertEquals(a.validationAccuracy(), b.validationAccuracy());
        assertEquals(a.testLoss(), b.testLoss());
        assertEquals(a.learningRate(), b.learningRate());
    }
}
