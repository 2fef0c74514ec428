package io.cnn4j.autograd;

import io.cnn4j.tensor.OnEveryBackend;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.TestTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Finite-difference checks of the element-wise activations. ReLU and leaky ReLU get inputs at least
 * 0.05 from their kink at zero, five steps away.
 */
@OnEveryBackend
class ActivationGradTest {

    @Test
    void relu() {
        Tensor x = TestTensors.awayFromZero(new Rng(1), 0.05, 2, 3, 4).requiresGrad(true);
        GradCheck.check(in -> Functional.relu(in[0]), x);
    }

    @ParameterizedTest(name = "slope {0}")
    @ValueSource(floats = {0.01f, 0.2f, 1.5f})
    void leakyRelu(float slope) {
        Tensor x = TestTensors.awayFromZero(new Rng(2), 0.05, 2, 3, 4).requiresGrad(true);
        GradCheck.check(in -> Functional.leakyRelu(in[0], slope), x);
    }

    @Test
    void sigmoid() {
        Tensor x = TestTensors.uniform(new Rng(3), -4, 4, 2, 3, 4).requiresGrad(true);
        GradCheck.check(in -> Functional.sigmoid(in[0]), x);
    }

    @Test
    void tanh() {
        Tensor x = TestTensors.uniform(new Rng(4), -3, 3, 2, 3, 4).requiresGrad(true);
        GradCheck.check(in -> Functional.tanh(in[0]), x);
    }
}
