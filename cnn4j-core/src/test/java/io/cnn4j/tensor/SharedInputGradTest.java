package io.cnn4j.tensor;

import io.cnn4j.autograd.Functional;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A tensor read by two branches of the graph gets the sum of both branches' gradients. */
class SharedInputGradTest {

    @Test
    void aLeafOnTwoBranches() {
        Tensor x = Tensor.of(new float[] {1f, -2f}, 2).requiresGrad(true);
        Tensor a = Tensor.of(new float[] {3f, 4f}, 2);
        // y = x*a + x*x: dy/dx = a + 2x
        Tensor y = Functional.add(Functional.mul(x, a), Functional.mul(x, x));
        y.backward(Tensor.of(new float[] {1f, 10f}, 2));
        assertArrayEquals(new float[] {5f, 0f}, x.grad().data());
    }

    /** An intermediate result used twice: the engine sums both gradients before passing them further back. */
    @Test
    void anIntermediateOnTwoBranches() {
        float[] xs = {0.3f, -0.7f, 1.1f};
        float[] as = {2f, -1f, 0.5f};
        Tensor x = Tensor.of(xs.clone(), 3).requiresGrad(true);
        Tensor h = Functional.tanh(x);
        Tensor y = Functional.add(Functional.mul(h, Tensor.of(as.clone(), 3)), Functional.sigmoid(h));
        Functional.sum(y).backward();
        for (int i = 0; i < 3; i++) {
            double th = Math.tanh(xs[i]);
            double s = 1 / (1 + Math.exp(-th));
            double expected = (as[i] + s * (1 - s)) * (1 - th * th);
            assertEquals(expected, x.grad().data()[i], 1e-6, "element " + i);
        }
    }

    /** Diamond: two paths from x meet again; x's gradient is the sum over both paths, counted once each. */
    @Test
    void aDiamond() {
        Tensor x = Tensor.of(new float[] {2f}, 1).requiresGrad(true);
        Tensor left = Functional.mul(x, Tensor.of(new float[] {3f}, 1));
        Tensor right = Functional.mul(x, x);
        Tensor top = Functional.mul(left, right); // 3x^3, derivative 9x^2 = 36
        Functional.sum(top).backward();
        assertArrayEquals(new float[] {36f}, x.grad().data());
    }
}
