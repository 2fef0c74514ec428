package io.cnn4j.optim;

import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.TestTensors;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An optimizer restored from another's {@link Optimizer#state()} continues bit for bit as the original
 * would have: the basis of resuming training from a checkpoint.
 */
class OptimizerStateTest {

    @Test
    void restoredOptimizersContinueBitForBit() {
        List<Function<List<Tensor>, Optimizer>> kinds = List.of(
                p -> new Sgd(p, 0.1, 0.9, 0, 0.01, true),
                p -> new Adam(p, 0.05, 0.9, 0.999, 1e-8, 0.1),
                p -> new AdamW(p, 0.05),
                p -> new Adam(p, 0.05, 0.9, 0.999, 1e-8, 0, true),
                p -> new RmsProp(p, 0.01, 0.9, 1e-8, 0.01, 0.5, true),
                p -> new Adagrad(p, 0.1, 0.05, 0, 0.1, 1e-10));
        for (var make : kinds) {
            List<Tensor> straight = params();
            Optimizer a = make.apply(straight);
            for (int t = 1; t <= 6; t++) {
                step(a, straight, t);
            }

            List<Tensor> first = params();
            Optimizer b = make.apply(first);
            for (int t = 1; t <= 3; t++) {
                step(b, first, t);
            }
            OptimizerState saved = b.state();
            List<Tensor> second = List.of(first.get(0).copy().requiresGrad(true), first.get(1).copy().requiresGrad(true));
            Optimizer c = make.apply(second);
            c.setLearningRate(123);
            c.restore(saved);
            assertEquals(b.learningRate(), c.learningRate());
            for (int t = 4; t <= 6; t++) {
                step(c, second, t);
            }
            String name = a.getClass().getSimpleName();
            assertArrayEquals(straight.get(0).data(), second.get(0).data(), name);
            assertArrayEquals(straight.get(1).data(), second.get(1).data(), name);
        }
    }

    @Test
    void stateOfAnotherKindOrShapeIsRefused() {
        Adam adam = new Adam(params(), 0.1);
        step(adam, adam.parameters(), 2);
        var e = assertThrows(IllegalArgumentException.class, () -> new Sgd(params(), 0.1).restore(adam.state()));
        assertTrue(e.getMessage().contains("Adam") && e.getMessage().contains("Sgd"), e.getMessage());
        List<Tensor> other = List.of(Tensor.zeros(3).requiresGrad(true), Tensor.zeros(4).requiresGrad(true));
        e = assertThrows(IllegalArgumentException.class, () -> new Adam(other, 0.1).restore(adam.state()));
        assertTrue(e.getMessage().contains("exp_avg.0"), e.getMessage());
    }

    private static List<Tensor> params() {
        return List.of(TestTensors.formula(0.1, 1.0, 2, 3).requiresGrad(true), TestTensors.formula(1.3, 0.5, 4).requiresGrad(true));
    }

    /** Step {@code t}; the second parameter has no gradient at step 2, so per-parameter counts differ. */
    private static void step(Optimizer opt, List<Tensor> params, int t) {
        params.get(0).setGrad(TestTensors.formula(0.3 * t, 0.8, 2, 3));
        params.get(1).setGrad(t == 2 ? null : TestTensors.formula(0.3 * t + 0.7, 0.8, 4));
        opt.step();
    }
}
