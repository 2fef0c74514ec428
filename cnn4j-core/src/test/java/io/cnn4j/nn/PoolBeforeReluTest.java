package io.cnn4j.nn;

import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.TestTensors;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A convolution, ReLU and max pooling in a {@link Sequential} run as convolution, pooling, ReLU while
 * gradients are recorded: the same bits as in their own order (which a hook on the ReLU keeps), output,
 * input gradient and the convolution's gradients, for windows that overlap, windows with padding, and
 * windows where every value is negative (which pool to 0 either way and pass no gradient).
 */
class PoolBeforeReluTest {
    @Test
    void poolingBeforeTheReluGivesTheSameBits() {
        check(() -> new MaxPool2d(2));
        check(() -> new MaxPool2d(3, 2, 1));
    }

    private static void check(Supplier<MaxPool2d> pool) {
        Tensor x = TestTensors.uniform(new Rng(3), -1, 1, 2, 3, 9, 9);
        float[][][] results = new float[2][][];
        List<String> order = new ArrayList<>();
        for (int hooked = 0; hooked < 2; hooked++) {
            Sequential m = new Sequential(new Conv2d(Conv2dConfig.of(3, 4, 3).padding(1)), new ReLU(),
                    pool.get());
            m.initialize(new Rng(7));
            if (hooked == 1) {
                m.get(1).addForwardHook((l, in, out) -> order.add(out.gradFn().name()));
            }
            Tensor input = x.copy().requiresGrad(true);
            Tensor y = m.forward(input);
            if (hooked == 0) {
                assertEquals("ReLU", y.gradFn().name(), "the ReLU runs last");
            }
            Tensor upstream = TestTensors.uniform(new Rng(5), -1, 1, y.dims());
            y.backward(upstream);
            results[hooked] = new float[][] {y.data(), input.grad().data(),
                    m.namedParameters().get("0.weight").grad().data(), m.namedParameters().get("0.bias").grad().data()};
        }
        assertEquals(List.of("ReLU"), order, "a hook on the ReLU sees it run in its place");
        String[] what = {"output", "input gradient", "weight gradient", "bias gradient"};
        for (int i = 0; i < what.length; i++) {
            assertArrayEquals(results[1][i], results[0][i], what[i]);
        }
        int negative = 0;
        for (float v : results[0][0]) {
            negative += v == 0f ? 1 : 0;
        }
        assertTrue(negative > 0, "some windows pool only values at or below 0");
    }
}
