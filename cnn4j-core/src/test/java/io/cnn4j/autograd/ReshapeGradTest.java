package io.cnn4j.autograd;

import io.cnn4j.tensor.OnEveryBackend;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.TestTensors;
import org.junit.jupiter.api.Test;

/** Finite-difference checks of {@link Functional#reshape} and {@link Functional#flatten}. */
@OnEveryBackend
class ReshapeGradTest {

    private static Tensor input(long seed, int... dims) {
        return TestTensors.uniform(new Rng(seed), -1, 1, dims).requiresGrad(true);
    }

    @Test
    void reshape() {
        GradCheck.check(in -> Functional.reshape(in[0], 4, 6), input(1, 2, 3, 4));
    }

    @Test
    void flatten() {
        GradCheck.check(in -> Functional.flatten(in[0]), input(2, 2, 3, 2, 2));
    }

    /** A nonlinear op after the reshape: the gradient must come back in the input's layout. */
    @Test
    void reshapeBetweenOperations() {
        GradCheck.check(in -> Functional.tanh(Functional.reshape(Functional.mul(in[0], in[0]), 3, 2, 2)), input(3, 2, 6));
    }
}
