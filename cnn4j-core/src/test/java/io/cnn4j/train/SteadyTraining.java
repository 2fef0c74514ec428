package io.cnn4j.train;

import io.cnn4j.kernel.CpuKernels;
import io.cnn4j.loss.Losses;
import io.cnn4j.models.Models;
import io.cnn4j.nn.Module;
import io.cnn4j.optim.Adam;
import io.cnn4j.tensor.Execution;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.Workspace;

import java.lang.management.ManagementFactory;

/**
 * A model training with Adam on one fixed batch of random 28x28 images on two kernel threads, a
 * {@link Workspace} open around each step as {@link Trainer} does, and the bytes its steps allocate as
 * the JVM counts them (so the figure does not depend on how busy the machine is).
 *
 * <p>Its {@link #main} runs in a JVM of its own, started by {@link DefaultJvmFlagsAllocationTest} with
 * the JVM's default flags, and trains until the steps stop allocating or a round limit is reached.
 */
final class SteadyTraining implements AutoCloseable {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    /** Steps per round of {@link #main}. */
    private static final int ROUND = 10;
    /** Rounds in a row under the limit that make {@link #main} succeed. */
    private static final int CLEAN_ROUNDS = 3;

    private final CpuKernels kernels = new CpuKernels(2);
    private final Module model;
    private final Adam adam;
    private final Tensor images;
    private final int[] labels;
    private final Workspace workspace = new Workspace();

    SteadyTraining(Module model, int batch) {
        this.model = model;
        this.adam = new Adam(model.parameters(), 1e-3);
        Rng rng = new Rng(2);
        float[] pixels = new float[batch * 28 * 28];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = rng.uniform(0, 1);
        }
        images = Tensor.of(pixels, batch, 1, 28, 28);
        labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = i % 10;
        }
    }

    void steps(int n) {
        Execution.run(kernels, () -> {
            for (int i = 0; i < n; i++) {
                try (var ws = workspace.open()) {
                    adam.zeroGrad();
                    Losses.crossEntropy(model.forward(images), labels).backward();
                    adam.step();
                }
            }
        });
    }

    /** Runs {@code n} steps and returns the bytes allocated per step, on the calling thread or on all threads. */
    long bytesPerStep(int n, boolean allThreads) {
        long before = allThreads ? THREADS.getTotalThreadAllocatedBytes() : THREADS.getCurrentThreadAllocatedBytes();
        steps(n);
        long after = allThreads ? THREADS.getTotalThreadAllocatedBytes() : THREADS.getCurrentThreadAllocatedBytes();
        return (after - before) / n;
    }

    long workspaceBytes() {
        return workspace.bytes();
    }

    @Override
    public void close() {
        kernels.close();
    }

    /**
     * Arguments: a built-in model's name, the batch size, a limit in bytes per step and a number of rounds.
     * Prints each round's bytes per step (all threads); exits with 0 once {@link #CLEAN_ROUNDS} rounds in a
     * row stayed under the limit, with 1 if the rounds ran out first.
     */
    public static void main(String[] args) {
        long limit = Long.parseLong(args[2]);
        int rounds = Integer.parseInt(args[3]);
        int clean = 0;
        try (SteadyTraining training = new SteadyTraining(Models.create(args[0], new Rng(0)), Integer.parseInt(args[1]))) {
            for (int round = 1; round <= rounds && clean < CLEAN_ROUNDS; round++) {
                long bytes = training.bytesPerStep(ROUND, true);
                System.out.println(args[0] + " round " + round + ": " + bytes + " bytes a step");
                clean = bytes < limit ? clean + 1 : 0;
            }
        }
        System.exit(clean >= CLEAN_ROUNDS ? 0 : 1);
    }
}
