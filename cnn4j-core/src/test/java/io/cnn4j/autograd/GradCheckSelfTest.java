package io.cnn4j.autograd;

import io.cnn4j.tensor.GradMode;
import io.cnn4j.tensor.Node;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.TestTensors;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checker itself: it passes a correct gradient and catches wrong or missing ones, naming the element. */
class GradCheckSelfTest {
    private static final int CORRECT = -1;
    private static final int NO_GRADIENT = -2;

    /**
     * {@code y = x^3} element-wise with the backward {@code 3 x^2 g}, except that element {@code bug}
     * gets 0.05 too much (or, with {@code NO_GRADIENT}, that no gradient comes back at all).
     */
    private static Tensor cube(Tensor x, int bug) {
        float[] in = x.data();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = in[i] * in[i] * in[i];
        }
        Tensor y = Tensor.of(out, x.shape());
        if (!x.requiresGrad() || !GradMode.isEnabled()) {
            return y;
        }
        return y.recordedBy(new Node() {
            @Override
            public String name() {
                return "Cube";
            }

            @Override
            public List<Tensor> inputs() {
                return List.of(x);
            }

            @Override
            public Tensor[] backward(Tensor g) {
                if (bug == NO_GRADIENT) {
                    return new Tensor[] {null};
                }
                float[] dx = new float[in.length];
                for (int i = 0; i < in.length; i++) {
                    dx[i] = 3 * in[i] * in[i] * g.data()[i] + (i == bug ? 0.05f : 0f);
                }
                return new Tensor[] {Tensor.of(dx, x.shape())};
            }

            @Override
            public void release() {
            }
        });
    }

    @Test
    void passesACorrectGradient() {
        Tensor x = TestTensors.uniform(new Rng(1), -1, 1, 2, 3).requiresGrad(true);
        GradCheck.check(in -> cube(in[0], CORRECT), x);
    }

    @Test
    void failsAWrongElementAndNamesIt() {
        Tensor x = TestTensors.uniform(new Rng(1), -1, 1, 2, 3).requiresGrad(true);
        AssertionError e = assertThrows(AssertionError.class, () -> GradCheck.check(in -> cube(in[0], 4), x));
        String m = e.getMessage();
        assertTrue(m.contains("input 0 [2, 3]: 1 of 6 checked elements out of tolerance; worst at [1, 1]"), m);
        assertTrue(m.contains("analytic ") && m.contains("numeric "), m);
    }

    @Test
    void failsAMissingGradient() {
        Tensor x = TestTensors.uniform(new Rng(2), -1, 1, 4).requiresGrad(true);
        AssertionError e = assertThrows(AssertionError.class, () -> GradCheck.check(in -> cube(in[0], NO_GRADIENT), x));
        assertTrue(e.getMessage().contains("input 0 [4] requires a gradient but backward() gave it none"), e.getMessage());
    }

    @Test
    void treatsAnInputWithoutRequiresGradAsAConstant() {
        Tensor x = TestTensors.uniform(new Rng(3), -1, 1, 3).requiresGrad(true);
        Tensor c = TestTensors.uniform(new Rng(4), -1, 1, 3);
        GradCheck.check(in -> Functional.mul(in[0], in[1]), x, c);
        assertNull(c.grad());
    }

    @Test
    void reportsTheWorstElementAsAValue() {
        Tensor x = TestTensors.uniform(new Rng(1), -1, 1, 2, 3).requiresGrad(true);
        GradCheck.Report report = GradCheck.DEFAULT.report(Map.of("x", x), () -> cube(x, 4));
        assertFalse(report.passed());
        GradCheck.Result worst = report.worst().orElseThrow();
        assertEquals("x", worst.name());
        assertArrayEquals(new int[] {1, 1}, worst.worstAt());
        assertEquals(0.05, worst.analytic() - worst.numeric(), 1e-3);
        assertTrue(report.toString().startsWith("gradient check failed"), report.toString());
    }

    @Test
    void refusesAFunctionThatChangesBetweenCalls() {
        Tensor x = TestTensors.uniform(new Rng(6), -1, 1, 8).requiresGrad(true);
        Rng rng = new Rng(7);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradCheck.check(in -> Functional.dropout(in[0], 0.5f, rng), x));
        assertEquals("gradient check: the function gave two different results for the same inputs; a stochastic one"
                + " (dropout while training) is checked in evaluation mode", e.getMessage());
    }

    @Test
    void leavesTheInputValuesAsTheyWere() {
        Tensor x = TestTensors.uniform(new Rng(5), -1, 1, 5).requiresGrad(true);
        float[] before = x.toArray();
        GradCheck.check(in -> Functional.tanh(in[0]), x);
        assertArrayEquals(before, x.data());
    }
}
