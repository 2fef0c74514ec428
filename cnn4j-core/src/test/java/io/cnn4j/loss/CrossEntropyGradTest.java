package io.cnn4j.loss;

import io.cnn4j.autograd.GradCheck;
import io.cnn4j.tensor.OnEveryBackend;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.TestTensors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Finite-difference checks of {@link Losses#crossEntropy} with respect to the logits. */
@OnEveryBackend
class CrossEntropyGradTest {
    private static final int[] LABELS = {1, 0, 4, 2};

    @ParameterizedTest(name = "label smoothing {0}")
    @ValueSource(floats = {0f, 0.1f, 0.5f, 1f})
    void crossEntropy(float smoothing) {
        Tensor logits = TestTensors.uniform(new Rng(1), -2, 2, 4, 5).requiresGrad(true);
        GradCheck.check(in -> Losses.crossEntropy(in[0], LABELS, smoothing), logits);
    }

    @ParameterizedTest(name = "label smoothing {0}")
    @ValueSource(floats = {0f, 0.1f})
    void batchOfOne(float smoothing) {
        Tensor logits = TestTensors.uniform(new Rng(2), -2, 2, 1, 3).requiresGrad(true);
        GradCheck.check(in -> Losses.crossEntropy(in[0], new int[] {2}, smoothing), logits);
    }

    /** Confident, large logits: the gradient (softmax - target) / N must stay finite and exact. */
    @ParameterizedTest(name = "label smoothing {0}")
    @ValueSource(floats = {0f, 0.1f})
    void largeLogits(float smoothing) {
        Tensor logits = TestTensors.uniform(new Rng(3), 95, 105, 2, 3).requiresGrad(true);
        GradCheck.check(in -> Losses.crossEntropy(in[0], new int[] {0, 2}, smoothing), logits);
    }
}
