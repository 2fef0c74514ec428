package io.cnn4j.autograd;

import io.cnn4j.tensor.OnEveryBackend;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.TestTensors;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Functional#dropout} and {@link Functional#dropout2d}: the gradient is the upstream gradient times the (scaled) mask of the forward pass. */
@OnEveryBackend
class DropoutGradTest {

    /** A fresh generator with the same seed on every call gives the same mask every call. */
    @Test
    void finiteDifferencesWithAFixedMask() {
        Tensor x = TestTensors.uniform(new Rng(1), -1, 1, 3, 8).requiresGrad(true);
        GradCheck.check(in -> Functional.dropout(in[0], 0.3f, new Rng(42)), x);
    }

    @Test
    void gradientEqualsTheMask() {
        float p = 0.4f;
        Tensor x = TestTensors.awayFromZero(new Rng(2), 0.1, 20, 50).requiresGrad(true);
        Tensor y = Functional.dropout(x, p, new Rng(43));
        Tensor upstream = TestTensors.uniform(new Rng(3), -1, 1, 20, 50);
        y.backward(upstream);

        float keep = 1f / (1f - p);
        int dropped = 0;
        for (int i = 0; i < x.size(); i++) {
            float mask = y.data()[i] / x.data()[i];
            boolean kept = Math.abs(mask - keep) < 1e-5f;
            assertTrue(kept || mask == 0f, "mask value " + mask + " at " + i);
            dropped += kept ? 0 : 1;
            assertEquals(kept ? upstream.data()[i] * keep : 0f, x.grad().data()[i], 0f, "gradient at " + i);
        }
        // 1000 Bernoulli(0.4) draws: 400 expected, standard deviation 15.5; 4.5 deviations either side.
        assertTrue(dropped > 330 && dropped < 470, dropped + " of 1000 dropped with p = 0.4");
    }

    @Test
    void channelDropoutFiniteDifferencesWithAFixedMask() {
        Tensor x = TestTensors.uniform(new Rng(6), -1, 1, 2, 3, 2, 2).requiresGrad(true);
        GradCheck.check(in -> Functional.dropout2d(in[0], 0.5f, new Rng(45)), x);
    }

    /** Every plane of {@code [N, C, H, W]} is kept whole (scaled) or dropped whole, and its gradient with it. */
    @Test
    void channelDropoutDropsWholePlanes() {
        float p = 0.3f;
        Tensor x = TestTensors.awayFromZero(new Rng(7), 0.1, 8, 50, 3, 2).requiresGrad(true);
        Tensor y = Functional.dropout2d(x, p, new Rng(46));
        Tensor upstream = TestTensors.uniform(new Rng(8), -1, 1, 8, 50, 3, 2);
        y.backward(upstream);
        float keep = 1f / (1f - p);
        int dropped = 0;
        for (int plane = 0; plane < 400; plane++) {
            boolean kept = y.data()[plane * 6] != 0f;
            dropped += kept ? 0 : 1;
            for (int i = plane * 6; i < plane * 6 + 6; i++) {
                assertEquals(kept ? x.data()[i] * keep : 0f, y.data()[i], 1e-6f, "output at " + i);
                assertEquals(kept ? upstream.data()[i] * keep : 0f, x.grad().data()[i], 1e-6f, "gradient at " + i);
            }
        }
        // 400 Bernoulli(0.3) planes: 120 expected, standard deviation 9.2; 4.5 deviations either side.
        assertTrue(dropped > 78 && dropped < 162, dropped + " of 400 planes dropped with p = 0.3");
    }

    @Test
    void probabilityZeroPassesTheGradientThrough() {
        Tensor x = TestTensors.uniform(new Rng(4), -1, 1, 4, 5).requiresGrad(true);
        Tensor upstream = TestTensors.uniform(new Rng(5), -1, 1, 4, 5);
        Functional.dropout(x, 0f, new Rng(44)).backward(upstream);
        assertArrayEquals(upstream.data(), x.grad().data());
    }
}
