package io.cnn4j.nn;

import io.cnn4j.models.Models;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Weight initialisation: PyTorch's default bounds with the right fan-in, the Xavier and He scales on
 * layers large enough that the sample statistics are tight, and repeatability from a seed.
 *
 * <p>Statistical bounds are several standard errors wide: with n values the sample standard deviation
 * of a uniform or normal sample is within about {@code 1/sqrt(2n)} relative (0.2% for n = 120,000), so
 * a 2% tolerance never fails by chance while a wrong fan (or a missing factor of 2 or 3) is off by 20%
 * or more.
 */
class InitTest {

    private static double mean(float[] a) {
        double s = 0;
        for (float v : a) {
            s += v;
        }
        return s / a.length;
    }

    private static double std(float[] a) {
        double m = mean(a);
        double s = 0;
        for (float v : a) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / a.length);
    }

    private static double maxAbs(float[] a) {
        double max = 0;
        for (float v : a) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    /** Every value within {@code ±bound}, the extremes close to it, and the ten bins of the range evenly filled. */
    private static void assertUniform(float[] a, double bound, String what) {
        assertTrue(maxAbs(a) <= (float) bound, what + ": max |w| " + maxAbs(a) + " exceeds " + bound);
        assertTrue(maxAbs(a) > 0.99 * bound, what + ": max |w| " + maxAbs(a) + " never comes near " + bound);
        int[] bins = new int[10];
        for (float v : a) {
            bins[Math.min(9, (int) ((v + bound) / (2 * bound) * 10))]++;
        }
        // Each bin holds n/10 on average, with a standard deviation of sqrt(n * 0.09): allow 5 of them.
        double slack = 5 * Math.sqrt(a.length * 0.09);
        for (int b = 0; b < 10; b++) {
            assertEquals(a.length / 10.0, bins[b], slack, what + ": bin " + b + " of 10");
        }
        assertEquals(bound / Math.sqrt(3), std(a), 0.02 * bound / Math.sqrt(3), what + ": standard deviation");
    }

    private static void assertNormal(float[] a, double std, String what) {
        assertEquals(0, mean(a), 5 * std / Math.sqrt(a.length), what + ": mean");
        assertEquals(std, std(a), 0.02 * std, what + ": standard deviation");
        int within = 0;
        for (float v : a) {
            within += Math.abs(v) <= std ? 1 : 0;
        }
        // P(|z| <= 1) = 0.6827 for a normal distribution (0.577 for a uniform one with the same std).
        assertEquals(0.6827, within / (double) a.length, 0.01, what + ": share within one standard deviation");
    }

    @Test
    void linearDefaultIsUniformWithinOneOverSqrtFanIn() {
        Linear fc = new Linear(200, 600);
        fc.initialize(new Rng(1));
        double bound = 1 / Math.sqrt(200);
        assertUniform(fc.weight().data(), bound, "Linear(200, 600) weight");
        assertTrue(maxAbs(fc.bias().data()) <= (float) bound, "bias within the same bound");
        assertTrue(maxAbs(fc.bias().data()) > 0.9 * bound, "bias spread over the bound");
    }

    /** Fan-in of a grouped convolution is in/groups * k * k: 8/4 * 25 = 50 here, not 200. */
    @Test
    void convDefaultUsesTheFanInOfOneGroup() {
        Conv2d conv = new Conv2d(Conv2dConfig.of(8, 2000, 5).groups(4));
        conv.initialize(new Rng(2));
        double bound = 1 / Math.sqrt(50);
        assertUniform(conv.weight().data(), bound, "Conv2d(8, 2000, 5, groups=4) weight");
        assertTrue(maxAbs(conv.bias().data()) <= (float) bound);
    }

    @Test
    void xavier() {
        Linear fc = new Linear(300, 500);
        fc.initialize(Init.XAVIER_UNIFORM, new Rng(3));
        assertUniform(fc.weight().data(), Math.sqrt(6.0 / 800), "Xavier uniform");
        assertArrayEquals(new float[500], fc.bias().data(), "Xavier leaves the bias at zero");

        fc.initialize(Init.XAVIER_NORMAL, new Rng(4));
        assertNormal(fc.weight().data(), Math.sqrt(2.0 / 800), "Xavier normal");
        assertArrayEquals(new float[500], fc.bias().data());
    }

    @Test
    void he() {
        Conv2d conv = new Conv2d(Conv2dConfig.of(16, 600, 3));
        int fanIn = 16 * 9;
        conv.initialize(Init.HE_UNIFORM, new Rng(5));
        assertUniform(conv.weight().data(), Math.sqrt(6.0 / fanIn), "He uniform");
        assertArrayEquals(new float[600], conv.bias().data(), "He leaves the bias at zero");

        conv.initialize(Init.HE_NORMAL, new Rng(6));
        assertNormal(conv.weight().data(), Math.sqrt(2.0 / fanIn), "He normal");
    }

    @Test
    void theSameSeedGivesTheSameWeights() {
        Map<String, Tensor> first = Models.create("lenet5", new Rng(42)).stateDict();
        Map<String, Tensor> second = Models.create("lenet5", new Rng(42)).stateDict();
        Map<String, Tensor> other = Models.create("lenet5", new Rng(43)).stateDict();
        assertEquals(first.keySet(), second.keySet());
        for (String name : first.keySet()) {
            assertArrayEquals(first.get(name).data(), second.get(name).data(), name);
            assertFalse(Arrays.equals(first.get(name).data(), other.get(name).data()), name + " with another seed");
        }
    }

    @Test
    void initializeWithTheSameGeneratorSeedRepeats() {
        Linear a = new Linear(10, 20);
        Linear b = new Linear(10, 20);
        a.initialize(Init.HE_NORMAL, new Rng(7));
        b.initialize(Init.HE_NORMAL, new Rng(7));
        assertArrayEquals(a.weight().data(), b.weight().data());
    }

    @Test
    void parsesSchemeNames() {
        assertEquals(Init.XAVIER_UNIFORM, Init.parse("xavier-uniform"));
        assertEquals(Init.HE_NORMAL, Init.parse(" He_Normal "));
        assertEquals(Init.PYTORCH, Init.parse("pytorch"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Init.parse("glorot"));
        assertTrue(e.getMessage().contains("'glorot'") && e.getMessage().contains("xavier-uniform"), e.getMessage());
    }
}
