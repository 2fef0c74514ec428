package io.cnn4j.tensor;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Element-wise comparison of float arrays that names the worst element when it fails. */
public final class TensorAssert {
    private TensorAssert() {
    }

    /**
     * Asserts {@code |actual - expected| <= atol + rtol * |expected|} for every element; on failure the
     * message gives the worst element's coordinates in {@code shape}, both values and how many elements
     * failed.
     */
    public static void assertClose(String what, Shape shape, float[] expected, float[] actual, double atol, double rtol) {
        assertEquals(expected.length, actual.length, what + ": number of elements");
        int worst = -1;
        double worstRatio = 0;
        int failed = 0;
        for (int i = 0; i < expected.length; i++) {
            double allowed = atol + rtol * Math.abs(expected[i]);
            double err = Math.abs((double) actual[i] - expected[i]);
            double ratio = err == 0 ? 0 : Double.isNaN(err) ? Double.POSITIVE_INFINITY : err / allowed;
            if (ratio > 1) {
                failed++;
            }
            if (ratio > worstRatio || worst < 0) {
                worstRatio = ratio;
                worst = i;
            }
        }
        if (failed > 0) {
            fail(String.format("%s: %d of %d elements differ by more than %.1e + %.1e*|expected|; worst at %s:"
                            + " expected %.9g, actual %.9g (difference %.3g)",
                    what, failed, expected.length, atol, rtol, Arrays.toString(shape.coordinates(worst)),
                    expected[worst], actual[worst], Math.abs((double) actual[worst] - expected[worst])));
        }
    }

    /** Asserts every element of {@code actual} equals {@code expected} exactly. */
    public static void assertExactly(String what, Shape shape, float[] expected, float[] actual) {
        assertClose(what, shape, expected, actual, 0, 0);
    }
}
