package io.cnn4j.loss;

import io.cnn4j.autograd.GradCheck;
import io.cnn4j.tensor.OnEveryBackend;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.TestTensors;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Finite-difference checks of {@link Losses#smoothL1} and {@link Losses#huber} on both sides of their
 * thresholds, with respect to the prediction and the target. Differences are kept away from the
 * threshold itself, where the second derivative jumps and a finite difference straddling it would not
 * match.
 */
@OnEveryBackend
class RegressionLossGradTest {

    @Test
    void smoothL1AndHuberOnBothSidesOfTheirThresholds() {
        Tensor prediction = TestTensors.uniform(new Rng(11), -2, 2, 4, 5).requiresGrad(true);
        Tensor target = TestTensors.uniform(new Rng(12), -2, 2, 4, 5).requiresGrad(true);
        for (float threshold : new float[] {0.7f, 1.0f}) {
            GradCheck.check(in -> Losses.smoothL1(in[0], in[1], threshold), prediction, target);
            GradCheck.check(in -> Losses.huber(in[0], in[1], threshold), prediction, target);
        }
    }

    @Test
    void shapesAndThresholdsOutsideTheirRangeAreRefused() {
        Tensor a = Tensor.zeros(2, 3);
        var e = assertThrows(IllegalArgumentException.class, () -> Losses.huber(a, Tensor.zeros(3, 2), 1f));
        assertEquals("huber: prediction [2, 3] and target [3, 2] differ in shape", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.huber(a, a, 0f));
        assertEquals("huber: delta must be > 0, got 0.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.smoothL1(a, a, -1f));
        assertEquals("smoothL1: beta must be >= 0, got -1.0", e.getMessage());
    }
}
