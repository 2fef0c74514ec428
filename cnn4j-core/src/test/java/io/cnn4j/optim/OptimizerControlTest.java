package io.cnn4j.optim;

import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** What an optimizer does besides the update rule: zeroing gradients and changing the learning rate. */
class OptimizerControlTest {

    @Test
    void zeroGradZeroesEveryParameterGradientInPlace() {
        Tensor a = Tensor.zeros(2).requiresGrad(true);
        Tensor b = Tensor.zeros(3).requiresGrad(true);
        a.setGrad(Tensor.full(1f, 2));
        b.setGrad(Tensor.full(2f, 3));
        Tensor buffer = a.grad();
        new Sgd(List.of(a, b), 0.1).zeroGrad();
        assertSame(buffer, a.grad());
        assertArrayEquals(new float[2], a.grad().data());
        assertArrayEquals(new float[3], b.grad().data());
    }

    @Test
    void aNewLearningRateAppliesFromTheNextStep() {
        Tensor p = Tensor.of(new float[] {1f}, 1).requiresGrad(true);
        p.setGrad(Tensor.of(new float[] {1f}, 1));
        Sgd sgd = new Sgd(List.of(p), 0.5);
        sgd.step();
        assertEquals(0.5f, p.data()[0]);
        sgd.setLearningRate(0.25);
        assertEquals(0.25, sgd.learningRate());
        sgd.step();
        assertEquals(0.25f, p.data()[0]);
    }

    @Test
    void aParameterWithoutAGradientIsLeftAlone() {
        Tensor p = Tensor.of(new float[] {1f, 2f}, 2).requiresGrad(true);
        Tensor q = Tensor.of(new float[] {3f}, 1).requiresGrad(true);
        q.setGrad(Tensor.of(new float[] {1f}, 1));
        for (Optimizer opt : List.of(new Sgd(List.of(p, q), 0.1, 0.9, 0, 0.1, false),
                new Adam(List.of(p, q), 0.1, 0.9, 0.999, 1e-8, 0.1), new AdamW(List.of(p, q), 0.1))) {
            opt.step();
            assertArrayEquals(new float[] {1f, 2f}, p.data(), opt.getClass().getSimpleName());
        }
    }
}
