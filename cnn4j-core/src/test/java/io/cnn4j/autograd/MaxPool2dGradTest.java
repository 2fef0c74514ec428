package io.cnn4j.autograd;

import io.cnn4j.tensor.OnEveryBackend;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.TestTensors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Finite-difference checks of {@link Functional#maxPool2d}. The inputs are distinct multiples of 0.05,
 * so a step of 0.01 never changes which element of a window is the largest.
 */
@OnEveryBackend
class MaxPool2dGradTest {

    @ParameterizedTest(name = "input {0}x{1}, kernel {2}, stride {3}, padding {4}")
    @CsvSource({
        "6, 6, 2, 2, 0",
        "7, 6, 3, 2, 1",
        "5, 7, 3, 1, 1",
        "7, 7, 2, 3, 0",
        "4, 5, 2, 1, 1",
        "5, 5, 4, 2, 2"})
    void maxPool2d(int h, int w, int kernel, int stride, int padding) {
        Tensor x = TestTensors.distinct(new Rng(h * 31L + w), 0.05, 2, 3, h, w).requiresGrad(true);
        GradCheck.check(in -> Functional.maxPool2d(in[0], kernel, stride, padding), x);
    }
}
