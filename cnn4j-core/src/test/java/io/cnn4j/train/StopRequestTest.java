package io.cnn4j.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Trainer#requestStop()} ends training after the step under way, leaving a checkpoint that resumes
 * to the same weights, bit for bit, as a run that never stopped.
 */
class StopRequestTest {

    @TempDir
    Path tmp;

    @Test
    void aStopMidEpochOrBeforeAnEvaluationResumesToTheSameWeights() throws IOException {
        TinyRun straight = new TinyRun(3);
        straight.fit();
        int perEpoch = straight.feed.batchesPerEpoch();

        for (long stopAt : new long[] {perEpoch + 2, 2L * perEpoch}) {
            Path file = tmp.resolve("stop-" + stopAt + ".ckpt");
            TinyRun first = new TinyRun(3);
            first.trainer.checkpoints(file, 0, Map.of());
            requestStopFromAnotherThreadAt(first.trainer, stopAt);
            var stopped = assertThrows(StoppedException.class, first::fit);
            assertEquals(stopAt, stopped.step());
            assertEquals((int) ((stopAt - 1) / perEpoch) + 1, stopped.epoch());
            assertEquals((int) ((stopAt - 1) % perEpoch) + 1, stopped.batch());
            assertEquals(perEpoch, stopped.batchesPerEpoch());
            assertEquals(Optional.of(file), stopped.checkpoint());
            assertEquals("training stopped on request after step " + stopAt + " (epoch " + stopped.epoch() + ", batch "
                    + stopped.batch() + " of " + perEpoch + "); checkpoint written to " + file, stopped.getMessage());

            Checkpoint checkpoint = Checkpoint.read(file);
            assertEquals(stopAt, checkpoint.progress().step());
            assertTrue(checkpoint.progress().inEpoch(), "stopped before the epoch's evaluation, it is not over");
            TinyRun resumed = new TinyRun(3);
            resumed.trainer.restore(checkpoint, resumed.feed);
            resumed.fit();
            assertSameWeights(straight, resumed, "stopped at step " + stopAt);
        }
    }

    @Test
    void withoutCheckpointsTheModelHoldsTheWeightsOfTheLastStep() {
        TinyRun limited = new TinyRun(4);
        limited.trainer.maxSteps(5);
        limited.fit();
        TinyRun stopped = new TinyRun(4);
        requestStopFromAnotherThreadAt(stopped.trainer, 5);
        assertEquals(Optional.empty(), assertThrows(StoppedException.class, stopped::fit).checkpoint());
        assertSameWeights(limited, stopped, "stopped at step 5");
    }

    @Test
    void aRequestBeforeFitStopsBeforeTheFirstStepAndIsUsedUp() throws IOException {
        TinyRun run = new TinyRun(6);
        float[][] initial = run.weights();
        Path file = tmp.resolve("start.ckpt");
        run.trainer.checkpoints(file, 0, Map.of());
        run.trainer.requestStop();
        var stopped = assertThrows(StoppedException.class, run::fit);
        assertEquals(0, stopped.step());
        assertEquals("training stopped on request before its first step; checkpoint written to " + file, stopped.getMessage());
        assertFalse(Checkpoint.read(file).progress().inEpoch());
        for (int i = 0; i < initial.length; i++) {
            assertArrayEquals(initial[i], run.weights()[i]);
        }
        // The request was used up: the same trainer now trains to the end, as if nothing had happened.
        run.fit();
        TinyRun straight = new TinyRun(6);
        straight.fit();
        assertSameWeights(straight, run, "after a stop before the first step");
    }

    /** When step {@code at} is done, another thread asks for the stop, as a signal handler would. */
    private static void requestStopFromAnotherThreadAt(Trainer trainer, long at) {
        trainer.addListener(new TrainingListener() {
            @Override
            public void onStep(StepMetrics s) {
                if (s.step() == at) {
                    Thread other = Thread.ofPlatform().start(trainer::requestStop);
                    try {
                        other.join();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }
            }
        });
    }

    private static void assertSameWeights(TinyRun expected, TinyRun actual, String when) {
        float[][] e = expected.weights();
        float[][] a = actual.weights();
        assertEquals(e.length, a.length);
        for (int i = 0; i < e.length; i++) {
            assertArrayEquals(e[i], a[i], "tensor " + i + ", " + when);
        }
    }
}
