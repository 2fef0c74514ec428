package io.cnn4j.train;

import io.cnn4j.models.Models;
import io.cnn4j.nn.Module;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Workspace;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Steady-state training allocates no large arrays: with a {@link Workspace} open around each step, as
 * {@link Trainer} does, a step on a batch of 64 allocates kilobytes of bookkeeping (graph nodes,
 * lambdas) where its tensors alone take megabytes. Counted in bytes by the JVM, so the figure does not
 * depend on how busy the machine is. A kernel whose vector code fell back to Java would allocate
 * megabytes a step and fail here.
 */
class SteadyStateAllocationTest {
    /** Rounds of steps at most before a step counts as steady. */
    private static final int ROUNDS = 30;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void aSeedTrainingStepAllocatesNoLargeArrays() {
        Steady steady = measure(Models.create("seed", new Rng(0)), 20, false, 64 * 1024);
        assertTrue(steady.bytesPerStep() < 64 * 1024, "a steady-state step allocated " + steady.bytesPerStep()
                + " bytes on the training thread");
        assertTrue(steady.workspaceBytes() > 8_000_000, "the workspace holds the step's tensors: " + steady.workspaceBytes());
    }

    /**
     * resnet takes the paths seed does not: Winograd, the direct stride-2 passes, batch norm. Counted on
     * every thread, since the kernels' workers allocate too (58 KB measured; 135 KB while the strided input
     * gradient still built its tables on every call).
     */
    @Test
    void aResnetTrainingStepAllocatesNoLargeArraysOnAnyThread() {
        Steady steady = measure(Models.create("resnet", new Rng(0)), 5, true, 128 * 1024);
        assertTrue(steady.bytesPerStep() < 128 * 1024, "a steady-state step allocated " + steady.bytesPerStep()
                + " bytes over all threads");
    }

    /** The check and copy of the model after every step, which a diverged run goes back to, allocate nothing. */
    @Test
    void keepingTheLastGoodStateAllocatesNothing() {
        LastFiniteState last = new LastFiniteState(Models.resnet(), 0);
        for (int step = 1; step <= 200; step++) {
            last.stage(step);
            last.confirm();
        }
        long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int step = 201; step <= 300; step++) {
            last.stage(step);
            last.confirm();
        }
        long bytes = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertTrue(bytes < 1024, "100 checks and copies allocated " + bytes + " bytes");
    }

    private record Steady(long bytesPerStep, long workspaceBytes) {
    }

    /**
     * Bytes a step once the JIT has compiled the step's code: rounds of {@code steps} steps after 20 untimed ones,
     * until a round stays under {@code limit} or {@link #ROUNDS} have run. Vector code that C2 has not compiled
     * yet allocates: seed's steps, run alone in a fresh JVM, allocated 2.8 MB each after 20 steps and 10 KB after
     * 120, and how warm the suite's earlier tests leave the JIT varies. A step that allocates once compiled stays
     * over the limit in every round.
     */
    private static Steady measure(Module model, int steps, boolean allThreads, long limit) {
        try (SteadyTraining training = new SteadyTraining(model, 64)) {
            training.steps(20);
            long bytes = training.bytesPerStep(steps, allThreads);
            for (int round = 1; round < ROUNDS && bytes >= limit; round++) {
                bytes = training.bytesPerStep(steps, allThreads);
            }
            return new Steady(bytes, training.workspaceBytes());
        }
    }
}
