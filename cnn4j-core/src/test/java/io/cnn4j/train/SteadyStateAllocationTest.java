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
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void aSeedTrainingStepAllocatesNoLargeArrays() {
        Steady steady = measure(Models.create("seed", new Rng(0)), 20, false);
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
        Steady steady = measure(Models.create("resnet", new Rng(0)), 5, true);
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

    private static Steady measure(Module model, int steps, boolean allThreads) {
        try (SteadyTraining training = new SteadyTraining(model, 64)) {
            training.steps(20);
            return new Steady(training.bytesPerStep(steps, allThreads), training.workspaceBytes());
        }
    }
}
