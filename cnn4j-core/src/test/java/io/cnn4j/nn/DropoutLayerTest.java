package io.cnn4j.nn;

import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.TestTensors;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@link Dropout} layer: in training the gradient is upstream times the forward pass's mask; in evaluation it is the identity. */
class DropoutLayerTest {

    @Test
    void trainingGradientIsTheMaskOfTheForwardPass() {
        Dropout dropout = new Dropout(0.25f);
        dropout.initialize(new Rng(1));
        Tensor x = TestTensors.awayFromZero(new Rng(2), 0.1, 10, 40).requiresGrad(true);
        Tensor y = dropout.forward(x);
        Tensor upstream = TestTensors.uniform(new Rng(3), -1, 1, 10, 40);
        y.backward(upstream);
        int kept = 0;
        for (int i = 0; i < x.size(); i++) {
            float mask = y.data()[i] / x.data()[i];
            boolean keep = Math.abs(mask - 1f / 0.75f) < 1e-5f;
            assertTrue(keep || mask == 0f, "mask " + mask + " at " + i);
            kept += keep ? 1 : 0;
            assertEquals(keep ? upstream.data()[i] / 0.75f : 0f, x.grad().data()[i], 1e-6f, "gradient at " + i);
        }
        // 400 draws, keep probability 0.75: 300 expected, standard deviation 8.7.
        assertEquals(300, kept, 40);
    }

    @Test
    void eachForwardPassDrawsANewMask() {
        Dropout dropout = new Dropout(0.5f);
        dropout.initialize(new Rng(4));
        Tensor x = Tensor.full(1f, 64);
        assertNotEquals(Arrays.toString(dropout.forward(x).data()), Arrays.toString(dropout.forward(x).data()));
    }

    @Test
    void evaluationPassesInputAndGradientThrough() {
        Dropout dropout = new Dropout(0.5f);
        dropout.initialize(new Rng(5));
        dropout.eval();
        Tensor x = TestTensors.uniform(new Rng(6), -1, 1, 3, 4).requiresGrad(true);
        Tensor y = dropout.forward(x);
        assertSame(x, y);
        Tensor upstream = TestTensors.uniform(new Rng(7), -1, 1, 3, 4);
        y.backward(upstream);
        assertArrayEquals(upstream.data(), x.grad().data());
    }
}
