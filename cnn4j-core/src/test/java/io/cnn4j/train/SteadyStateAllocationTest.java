package io.cnn4j.train;

import io.cnn4j.kernel.Backend;
import io.cnn4j.kernel.CpuKernels;
import io.cnn4j.loss.Losses;
import io.cnn4j.models.Models;
import io.cnn4j.nn.Module;
import io.cnn4j.optim.Adam;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.Workspace;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Steady-state training allocates no large arrays: with a {@link Workspace} open around each step, as
 * {@link Trainer} does, a step of {@code seed} on a batch of 64 allocates a few kilobytes of bookkeeping
 * (graph nodes, lambdas) where its tensors alone would take about 12 MB. Counted in bytes by the JVM,
 * so the figure does not depend on how busy the machine is.
 */
class SteadyStateAllocationTest {

    @Test
    void aSeedTrainingStepAllocatesNoLargeArrays() {
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (CpuKernels kernels = new CpuKernels(2); var scope = Backend.scoped(kernels)) {
            Module model = Models.seed();
            Adam adam = new Adam(model.parameters(), 1e-3);
            Rng rng = new Rng(2);
            float[] pixels = new float[64 * 28 * 28];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = rng.uniform(0, 1);
            }
            Tensor images = Tensor.of(pixels, 64, 1, 28, 28);
            int[] labels = new int[64];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = i % 10;
            }
            Workspace workspace = new Workspace();
            Runnable step = () -> {
                try (var ws = workspace.open()) {
                    adam.zeroGrad();
                    Losses.crossEntropy(model.forward(images), labels).backward();
                    adam.step();
                }
            };
            for (int i = 0; i < 20; i++) {
                step.run();
            }
            int steps = 20;
            long before = bean.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < steps; i++) {
                step.run();
            }
            long perStep = (bean.getCurrentThreadAllocatedBytes() - before) / steps;
            assertTrue(perStep < 64 * 1024, "a steady-state step allocated " + perStep + " bytes on the training thread");
            assertTrue(workspace.bytes() > 8_000_000, "the workspace holds the step's tensors: " + workspace.bytes());
        }
    }
}
