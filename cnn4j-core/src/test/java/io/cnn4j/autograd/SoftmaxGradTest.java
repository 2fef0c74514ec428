package io.cnn4j.autograd;

import io.cnn4j.tensor.OnEveryBackend;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.TestTensors;
import org.junit.jupiter.api.Test;

/** Finite-difference checks of {@link Functional#softmax} and {@link Functional#logSoftmax} over {@code [N, C]}. */
@OnEveryBackend
class SoftmaxGradTest {

    @Test
    void softmax() {
        Tensor x = TestTensors.uniform(new Rng(1), -2, 2, 3, 5).requiresGrad(true);
        GradCheck.check(in -> Functional.softmax(in[0]), x);
    }

    @Test
    void logSoftmax() {
        Tensor x = TestTensors.uniform(new Rng(2), -2, 2, 3, 5).requiresGrad(true);
        GradCheck.check(in -> Functional.logSoftmax(in[0]), x);
    }

    @Test
    void singleRowAndTwoClasses() {
        Tensor x = TestTensors.uniform(new Rng(3), -2, 2, 1, 2).requiresGrad(true);
        GradCheck.check(in -> Functional.softmax(in[0]), x);
        GradCheck.check(in -> Functional.logSoftmax(in[0]), x);
    }

    /** Logits near 50 would overflow exp() in float32 without the row maximum subtracted first. */
    @Test
    void largeLogits() {
        Tensor x = TestTensors.uniform(new Rng(4), 98, 102, 2, 4).requiresGrad(true);
        GradCheck.check(in -> Functional.softmax(in[0]), x);
        GradCheck.check(in -> Functional.logSoftmax(in[0]), x);
    }
}
