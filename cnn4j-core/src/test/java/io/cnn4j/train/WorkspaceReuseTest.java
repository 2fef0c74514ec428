package io.cnn4j.train;

import io.cnn4j.kernel.CpuKernels;
import io.cnn4j.loss.Losses;
import io.cnn4j.models.Models;
import io.cnn4j.nn.Module;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.Workspace;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Operations whose kernel writes every element of its output take their arrays from the workspace
 * without zeroing them ({@link Tensor#empty}), so a step then starts on the last step's values. If a
 * kernel left any element unwritten, that stale value would leak into the step: here a step on one batch
 * in a workspace that has just served a step on another batch must give bitwise the gradients of the
 * same step on freshly allocated arrays.
 */
class WorkspaceReuseTest {
    @Test
    void aStepOnReusedArraysGivesTheGradientsOfAStepOnFreshOnes() {
        // resnet3 has every path that lends unzeroed arrays: batch norm with and without a fused ReLU,
        // residual sums, gradients summed where a tensor feeds two branches, Winograd and direct convolutions.
        try (CpuKernels kernels = new CpuKernels(2)) {
            Module model = Models.create("resnet3", new Rng(4)).to(kernels);
            Workspace workspace = new Workspace();
            try (var ws = workspace.open()) {
                gradients(model, batch(5));
            }
            List<float[]> reused;
            try (var ws = workspace.open()) {
                reused = gradients(model, batch(6));
            }
            List<float[]> fresh = gradients(model, batch(6));
            for (int i = 0; i < fresh.size(); i++) {
                assertArrayEquals(fresh.get(i), reused.get(i), "gradient of parameter " + i);
            }
        }
    }

    private static Tensor batch(long seed) {
        Rng rng = new Rng(seed);
        float[] pixels = new float[6 * 28 * 28];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = rng.uniform(-1, 1);
        }
        return Tensor.of(pixels, 6, 1, 28, 28);
    }

    /** The parameters' gradients after one forward and backward pass on {@code images}, copied out. */
    private static List<float[]> gradients(Module model, Tensor images) {
        for (Tensor p : model.parameters()) {
            p.zeroGrad();
        }
        Losses.crossEntropy(model.forward(images), new int[] {0, 1, 2, 3, 4, 5}).backward();
        List<float[]> grads = new ArrayList<>();
        for (Tensor p : model.parameters()) {
            grads.add(p.grad().data().clone());
        }
        return grads;
    }
}
