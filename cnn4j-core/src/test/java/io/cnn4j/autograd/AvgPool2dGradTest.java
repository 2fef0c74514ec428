package io.cnn4j.autograd;

import io.cnn4j.tensor.OnEveryBackend;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.TestTensors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Finite-difference checks of {@link Functional#avgPool2d}, with padding counted in the divisor and not. */
@OnEveryBackend
class AvgPool2dGradTest {

    @ParameterizedTest(name = "input {0}x{1}, kernel {2}, stride {3}, padding {4}, countPadding {5}")
    @CsvSource({
        "6, 6, 2, 2, 0, true",
        "7, 6, 3, 2, 1, true",
        "7, 6, 3, 2, 1, false",
        "5, 7, 3, 1, 1, true",
        "5, 7, 3, 1, 1, false",
        "5, 5, 4, 3, 2, false",
        "5, 5, 4, 3, 2, true",
        "7, 7, 2, 3, 0, true"})
    void avgPool2d(int h, int w, int kernel, int stride, int padding, boolean countPadding) {
        Tensor x = TestTensors.uniform(new Rng(h * 31L + w), -1, 1, 2, 3, h, w).requiresGrad(true);
        GradCheck.check(in -> Functional.avgPool2d(in[0], kernel, stride, padding, countPadding), x);
    }
}
