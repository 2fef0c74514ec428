package io.cnn4j.tensor;

import io.cnn4j.autograd.Functional;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A computed tensor keeps the gradient that passes through it only when asked to, as PyTorch's retain_grad. */
class RetainGradTest {

    /** {@code y = x * 3; loss = sum(y * y)}: dLoss/dy = 2y = 6x, and through both uses it adds up. */
    @Test
    void aRetainedIntermediateHoldsItsGradient() {
        Tensor x = Tensor.of(new float[] {1f, -2f}, 2).requiresGrad(true);
        Tensor y = Functional.mul(x, Tensor.of(new float[] {3f, 3f}, 2)).retainGrad();
        Tensor z = Functional.mul(x, Tensor.of(new float[] {3f, 3f}, 2));
        Functional.sum(Functional.mul(y, y)).backward();
        assertArrayEquals(new float[] {6f, -12f}, y.grad().data(), "dLoss/dy = 2y");
        assertArrayEquals(new float[] {18f, -36f}, x.grad().data(), "the leaf's gradient is unchanged by retaining");
        Functional.sum(z).backward();
        assertNull(z.grad(), "an intermediate not asked to keep its gradient keeps none");
    }

    @Test
    void theRootOfBackwardCanRetainItsOwnGradient() {
        Tensor x = Tensor.of(new float[] {2f}, 1).requiresGrad(true);
        Tensor y = Functional.mul(x, x).retainGrad();
        y.backward(Tensor.of(new float[] {5f}, 1));
        assertArrayEquals(new float[] {5f}, y.grad().data());
        assertArrayEquals(new float[] {20f}, x.grad().data());
    }
}
