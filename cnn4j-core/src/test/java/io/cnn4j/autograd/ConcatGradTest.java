package io.cnn4j.autograd;

import io.cnn4j.tensor.OnEveryBackend;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.TestTensors;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Functional#concat} along dimension 1: finite differences, the layout of the result, and its errors. */
@OnEveryBackend
class ConcatGradTest {

    private static Tensor input(long seed, int... dims) {
        return TestTensors.uniform(new Rng(seed), -1, 1, dims).requiresGrad(true);
    }

    @Test
    void imagesOfDifferentChannelCounts() {
        GradCheck.check(in -> Functional.concat(List.of(in)), input(1, 2, 3, 2, 3), input(2, 2, 1, 2, 3), input(3, 2, 2, 2, 3));
    }

    @Test
    void featureRows() {
        GradCheck.check(in -> Functional.concat(List.of(in)), input(4, 3, 4), input(5, 3, 2));
    }

    /** The same tensor twice: its gradient is the sum of both slices. */
    @Test
    void aTensorWithItself() {
        GradCheck.check(in -> Functional.concat(List.of(in[0], in[0])), input(6, 2, 2, 3));
    }

    @Test
    void channelsOfEachImageFollowOneAnother() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 1, 2);
        Tensor b = Tensor.of(new float[] {5, 6, 7, 8, 9, 10, 11, 12}, 2, 2, 2);
        Tensor y = Functional.concat(List.of(a, b));
        assertArrayEquals(new int[] {2, 3, 2}, y.dims());
        assertArrayEquals(new float[] {1, 2, 5, 6, 7, 8, 3, 4, 9, 10, 11, 12}, y.data());
    }

    @Test
    void onlyInputsThatWantAGradientGetOne() {
        Tensor a = input(7, 2, 2);
        Tensor constant = TestTensors.uniform(new Rng(8), -1, 1, 2, 3);
        Functional.concat(List.of(a, constant)).backward(Tensor.full(1f, 2, 5));
        assertArrayEquals(new float[] {1, 1, 1, 1}, a.grad().data());
        assertNull(constant.grad());
    }

    @Test
    void shapesThatDifferOutsideDimensionOneAreRefused() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Functional.concat(List.of(Tensor.zeros(2, 3, 4, 4), Tensor.zeros(2, 3, 2, 2))));
        assertEquals("concat: tensor 1 has shape [2, 3, 2, 2] but tensor 0 has [2, 3, 4, 4]; all must agree except in dimension 1",
                e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Functional.concat(List.of())).getMessage()
                .contains("nothing to concatenate"));
    }
}
