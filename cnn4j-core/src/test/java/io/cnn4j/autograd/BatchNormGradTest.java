package io.cnn4j.autograd;

import io.cnn4j.tensor.GradMode;
import io.cnn4j.tensor.OnEveryBackend;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.TestTensors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Finite-difference checks of {@link Functional#batchNorm}: input, weight and bias, in training mode (batch
 * statistics, whose dependence on every input makes the input gradient the interesting one) and in
 * evaluation mode (running statistics), for {@code [N, C]}, {@code [N, C, L]} and {@code [N, C, H, W]}; and
 * the running statistics' update against the formula worked in double.
 */
@OnEveryBackend
class BatchNormGradTest {
    private static final double MOMENTUM = 0.1;
    private static final double EPS = 1e-5;

    record Case(String name, int[] x, boolean training, boolean affine, boolean running) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("2d training", new int[] {3, 2, 3, 4}, true, true, true),
                new Case("2d training, batch 1", new int[] {1, 3, 2, 3}, true, true, true),
                new Case("2d evaluation", new int[] {2, 3, 3, 3}, false, true, true),
                new Case("2d training, not affine", new int[] {2, 2, 3, 3}, true, false, true),
                new Case("2d without running statistics (batch statistics in evaluation too)", new int[] {2, 2, 2, 3},
                        false, true, false),
                new Case("1d [N, C] training", new int[] {6, 4}, true, true, true),
                new Case("1d [N, C] evaluation", new int[] {5, 3}, false, true, true),
                new Case("1d [N, C, L] training", new int[] {3, 2, 5}, true, true, true));
    }

    /** Input, weight, bias and running statistics of a case; the running variance positive. */
    private static Tensor[] inputs(Case c, long seed) {
        Rng rng = new Rng(seed);
        int channels = c.x()[1];
        Tensor x = TestTensors.uniform(rng, -1, 1, c.x()).requiresGrad(true);
        Tensor w = c.affine() ? TestTensors.uniform(rng, 0.5, 1.5, channels).requiresGrad(true) : null;
        Tensor b = c.affine() ? TestTensors.uniform(rng, -0.5, 0.5, channels).requiresGrad(true) : null;
        Tensor mean = c.running() ? TestTensors.uniform(rng, -0.3, 0.3, channels) : null;
        Tensor var = c.running() ? TestTensors.uniform(rng, 0.5, 1.5, channels) : null;
        return new Tensor[] {x, w, b, mean, var};
    }

    private static Tensor batchNorm(Case c, Tensor[] t, boolean relu) {
        return relu
                ? Functional.batchNormRelu(t[0], t[3], t[4], t[1], t[2], c.training(), MOMENTUM, EPS)
                : Functional.batchNorm(t[0], t[3], t[4], t[1], t[2], c.training(), MOMENTUM, EPS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void batchNorm(Case c) {
        Tensor[] t = inputs(c, 21);
        if (c.affine()) {
            GradCheck.check(in -> batchNorm(c, new Tensor[] {in[0], in[1], in[2], t[3], t[4]}, false), t[0], t[1], t[2]);
        } else {
            GradCheck.check(in -> batchNorm(c, new Tensor[] {in[0], null, null, t[3], t[4]}, false), t[0]);
        }
    }

    /** The fused ReLU masks the gradient; inputs from the first seed whose outputs all lie 0.1 from zero. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void batchNormRelu(Case c) {
        Tensor[] t = kinkFreeInputs(c);
        if (c.affine()) {
            GradCheck.check(in -> batchNorm(c, new Tensor[] {in[0], in[1], in[2], t[3], t[4]}, true), t[0], t[1], t[2]);
        } else {
            GradCheck.check(in -> batchNorm(c, new Tensor[] {in[0], null, null, t[3], t[4]}, true), t[0]);
        }
        try (var _ = GradMode.noGrad()) {
            float[] expected = Functional.relu(batchNorm(c, t, false)).data();
            assertArrayEquals(expected, batchNorm(c, t, true).data(), "fused forward");
        }
    }

    private static Tensor[] kinkFreeInputs(Case c) {
        for (long seed = 100; seed < 5100; seed++) {
            Tensor[] t = inputs(c, seed);
            try (var _ = GradMode.noGrad()) {
                if (TestTensors.minAbs(batchNorm(c, t, false)) >= 0.1) {
                    return t;
                }
            }
        }
        return fail("no seed gave outputs 0.1 away from zero for " + c);
    }

    @Test
    void trainingMovesTheRunningStatisticsTowardsTheBatchsWithTheUnbiasedVariance() {
        Case c = new Case("update", new int[] {3, 2, 2, 5}, true, true, true);
        Tensor[] t = inputs(c, 5);
        float[] mean0 = t[3].toArray();
        float[] var0 = t[4].toArray();
        Functional.batchNorm(t[0], t[3], t[4], t[1], t[2], true, 0.25, EPS);
        float[] x = t[0].data();
        int count = 3 * 10;
        for (int ch = 0; ch < 2; ch++) {
            double sum = 0;
            for (int n = 0; n < 3; n++) {
                for (int i = 0; i < 10; i++) {
                    sum += x[(n * 2 + ch) * 10 + i];
                }
            }
            double mean = sum / count;
            double squares = 0;
            for (int n = 0; n < 3; n++) {
                for (int i = 0; i < 10; i++) {
                    double d = x[(n * 2 + ch) * 10 + i] - mean;
                    squares += d * d;
                }
            }
            assertEquals(0.75 * mean0[ch] + 0.25 * mean, t[3].data()[ch], 1e-6, "running mean " + ch);
            assertEquals(0.75 * var0[ch] + 0.25 * squares / (count - 1), t[4].data()[ch], 1e-6, "running variance " + ch);
        }
    }

    @Test
    void evaluationLeavesTheRunningStatisticsAlone() {
        Case c = new Case("eval", new int[] {2, 2, 2, 2}, false, true, true);
        Tensor[] t = inputs(c, 6);
        float[] mean0 = t[3].toArray();
        float[] var0 = t[4].toArray();
        Functional.batchNorm(t[0], t[3], t[4], t[1], t[2], false, MOMENTUM, EPS);
        assertArrayEquals(mean0, t[3].data());
        assertArrayEquals(var0, t[4].data());
    }

    @Test
    void trainingNeedsMoreThanOneValuePerChannel() {
        Tensor x = Tensor.zeros(1, 4);
        var e = assertThrows(IllegalArgumentException.class,
                () -> Functional.batchNorm(x, Tensor.zeros(4), Tensor.full(1f, 4), null, null, true, MOMENTUM, EPS));
        assertTrue(e.getMessage().contains("more than 1 value per channel when training, got input [1, 4]"), e.getMessage());
    }

    @Test
    void statisticsOfTheWrongSizeAreRefused() {
        Tensor x = Tensor.zeros(2, 3, 2, 2);
        var e = assertThrows(IllegalArgumentException.class,
                () -> Functional.batchNorm(x, Tensor.zeros(4), Tensor.full(1f, 4), null, null, false, MOMENTUM, EPS));
        assertTrue(e.getMessage().contains("has 3 channels but a statistic or parameter has shape [4]"), e.getMessage());
    }
}
