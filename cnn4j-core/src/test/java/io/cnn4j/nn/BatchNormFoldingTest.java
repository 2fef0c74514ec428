package io.cnn4j.nn;

import io.cnn4j.kernel.CountingKernels;
import io.cnn4j.kernel.ReferenceKernels;
import io.cnn4j.models.Models;
import io.cnn4j.tensor.Execution;
import io.cnn4j.tensor.GradMode;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.TestTensors;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A convolution and the batch norm after it run as one convolution in an inference without gradients
 * (evaluation mode): the same outputs as the two layers run apart, to float rounding, and no pass of its own
 * for the normalisation; with gradients, in training mode or with a hook on the norm, the layers run apart.
 */
class BatchNormFoldingTest {

    /** A batch norm with running statistics and affine parameters away from their initial values. */
    private static BatchNorm2d trainedNorm(int channels, long seed) {
        BatchNorm2d norm = new BatchNorm2d(channels);
        Rng rng = new Rng(seed);
        copy(TestTensors.uniform(rng, 0.5, 2, channels), norm.weight());
        copy(TestTensors.uniform(rng, -1, 1, channels), norm.bias());
        copy(TestTensors.uniform(rng, -0.5, 0.5, channels), norm.runningMean());
        copy(TestTensors.uniform(rng, 0.1, 3, channels), norm.runningVar());
        norm.eval();
        return norm;
    }

    private static void copy(Tensor from, Tensor to) {
        System.arraycopy(from.data(), 0, to.data(), 0, to.size());
    }

    private static Conv2d conv(int in, int out, boolean bias, long seed) {
        Conv2d conv = new Conv2d(Conv2dConfig.of(in, out, 3).padding(1).bias(bias));
        conv.initialize(new Rng(seed));
        return conv;
    }

    /** The model's output without gradients, and with them (the layers apart), and the normalisation passes of each. */
    private static float[][] bothWays(Module model, Tensor x, int[] affinePasses) {
        CountingKernels k = new CountingKernels(new ReferenceKernels());
        float[][] out = new float[2][];
        Execution.run(k, () -> {
            try (var ignored = GradMode.noGrad()) {
                out[0] = model.forward(x).data().clone();
            }
            affinePasses[0] = k.calls("channelAffine");
            k.reset();
            out[1] = model.forward(x).data().clone();
            affinePasses[1] = k.calls("channelAffine");
        });
        return out;
    }

    private static void assertClose(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5f * Math.max(1f, Math.abs(expected[i])), "at " + i);
        }
    }

    @Test
    void convolutionBatchNormAndReluRunAsOneConvolution() {
        for (boolean bias : new boolean[] {true, false}) {
            for (boolean relu : new boolean[] {true, false}) {
                List<Module> layers = new ArrayList<>(List.of(conv(3, 5, bias, 1), trainedNorm(5, 2)));
                if (relu) {
                    layers.add(new ReLU());
                }
                Sequential model = new Sequential(layers);
                model.eval();
                int[] passes = new int[2];
                float[][] out = bothWays(model, TestTensors.uniform(new Rng(3), -1, 1, 2, 3, 6, 7), passes);
                assertClose(out[1], out[0]);
                assertEquals(0, passes[0], "folded: no normalisation pass");
                assertEquals(1, passes[1], "with gradients the norm runs on its own");
            }
        }
    }

    @Test
    void residualNetworksFoldEveryNormalisation() {
        Sequential model = Models.resnet();
        model.initialize(new Rng(4));
        stirStatistics(model, new Rng(5));
        model.eval();
        int[] passes = new int[2];
        float[][] out = bothWays(model, TestTensors.uniform(new Rng(6), -1, 1, 2, 1, 28, 28), passes);
        assertClose(out[1], out[0]);
        assertEquals(0, passes[0]);
        assertTrue(passes[1] > 0);
    }

    /** Running statistics away from their initial values in every batch norm under {@code m}. */
    private static void stirStatistics(Module m, Rng rng) {
        if (m instanceof BatchNorm2d norm) {
            BatchNorm2d stirred = trainedNorm(norm.runningMean().size(), rng.nextLong());
            copy(stirred.runningMean(), norm.runningMean());
            copy(stirred.runningVar(), norm.runningVar());
        }
        m.children().values().forEach(child -> stirStatistics(child, rng));
    }

    @Test
    void aHookOnTheNormOrTrainingModeKeepsTheLayersApart() {
        BatchNorm2d norm = trainedNorm(4, 7);
        Sequential model = new Sequential(conv(2, 4, true, 8), norm, new ReLU());
        model.eval();
        List<Tensor> seen = new ArrayList<>();
        norm.addForwardHook((layer, input, output) -> seen.add(output));
        int[] passes = new int[2];
        bothWays(model, TestTensors.uniform(new Rng(9), -1, 1, 1, 2, 5, 5), passes);
        assertEquals(1, passes[0]);
        assertEquals(2, seen.size());

        Sequential training = new Sequential(conv(2, 4, true, 8), new BatchNorm2d(4));
        bothWays(training, TestTensors.uniform(new Rng(9), -1, 1, 2, 2, 5, 5), passes);
        assertEquals(1, passes[0]);
    }
}
