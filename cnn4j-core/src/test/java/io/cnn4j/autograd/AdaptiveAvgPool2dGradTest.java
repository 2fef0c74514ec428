package io.cnn4j.autograd;

import io.cnn4j.tensor.OnEveryBackend;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.TestTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Finite-difference checks of {@link Functional#adaptiveAvgPool2d}: global pooling, equal windows, and the
 * unequal, overlapping windows of sizes that do not divide the input's.
 */
@OnEveryBackend
class AdaptiveAvgPool2dGradTest {

    @ParameterizedTest(name = "input {0}x{1} to {2}x{3}")
    @CsvSource({"7, 7, 1, 1", "5, 3, 1, 1", "6, 4, 2, 2", "6, 4, 3, 1", "4, 4, 4, 4", "7, 7, 2, 2", "5, 9, 3, 4", "3, 2, 5, 4"})
    void adaptiveAvgPool2d(int h, int w, int outH, int outW) {
        Tensor x = TestTensors.uniform(new Rng(h * 31L + w), -1, 1, 2, 3, h, w).requiresGrad(true);
        GradCheck.check(in -> Functional.adaptiveAvgPool2d(in[0], outH, outW), x);
    }

    @Test
    void globalPoolingIsTheMeanOfEachPlane() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 10, 20, 30, 40}, 1, 2, 2, 2);
        Tensor y = Functional.adaptiveAvgPool2d(x, 1, 1);
        assertEquals(2.5f, y.get(0, 0, 0, 0));
        assertEquals(25f, y.get(0, 1, 0, 0));
    }

    @Test
    void windowsOfSizesThatDoNotDivideTheInputOverlapAsPyTorchsDo() {
        // 5 columns to 3: PyTorch's windows are columns [0, 2), [1, 4) and [3, 5).
        Tensor x = Tensor.of(new float[] {1, 2, 4, 8, 16}, 1, 1, 1, 5);
        Tensor y = Functional.adaptiveAvgPool2d(x, 1, 3);
        assertEquals(1.5f, y.get(0, 0, 0, 0));
        assertEquals(14f / 3, y.get(0, 0, 0, 1));
        assertEquals(12f, y.get(0, 0, 0, 2));
        Tensor m = Functional.adaptiveMaxPool2d(x, 1, 3);
        assertEquals(2f, m.get(0, 0, 0, 0));
        assertEquals(8f, m.get(0, 0, 0, 1));
        assertEquals(16f, m.get(0, 0, 0, 2));
    }
}
