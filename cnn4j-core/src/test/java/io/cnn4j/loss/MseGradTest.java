package io.cnn4j.loss;

import io.cnn4j.autograd.GradCheck;
import io.cnn4j.tensor.OnEveryBackend;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.TestTensors;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNull;

/** Finite-difference checks of {@link Losses#mse} with respect to the prediction and the target. */
@OnEveryBackend
class MseGradTest {

    @Test
    void predictionAndTarget() {
        Tensor prediction = TestTensors.uniform(new Rng(1), -1, 1, 3, 4).requiresGrad(true);
        Tensor target = TestTensors.uniform(new Rng(2), -1, 1, 3, 4).requiresGrad(true);
        GradCheck.check(in -> Losses.mse(in[0], in[1]), prediction, target);
    }

    @Test
    void predictionOnlyWithAConstantTarget() {
        Tensor prediction = TestTensors.uniform(new Rng(3), -1, 1, 2, 5).requiresGrad(true);
        Tensor target = TestTensors.uniform(new Rng(4), -1, 1, 2, 5);
        GradCheck.check(in -> Losses.mse(in[0], in[1]), prediction, target);
        assertNull(target.grad());
    }

    @Test
    void targetOnly() {
        Tensor prediction = TestTensors.uniform(new Rng(5), -1, 1, 6);
        Tensor target = TestTensors.uniform(new Rng(6), -1, 1, 6).requiresGrad(true);
        GradCheck.check(in -> Losses.mse(in[0], in[1]), prediction, target);
        assertNull(prediction.grad());
    }
}
