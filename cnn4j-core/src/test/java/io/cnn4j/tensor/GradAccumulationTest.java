package io.cnn4j.tensor;

import io.cnn4j.autograd.Functional;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Leaf gradients add up over backward passes until they are zeroed, and never alias the caller's tensors. */
class GradAccumulationTest {

    private static final float[] C = {0.5f, -2f, 3f};

    /** {@code sum(x * c)}, whose gradient with respect to x is c. */
    private static Tensor loss(Tensor x) {
        return Functional.sum(Functional.mul(x, Tensor.of(C.clone(), 3)));
    }

    @Test
    void twoBackwardPassesAddUpUntilZeroGrad() {
        Tensor x = Tensor.of(new float[] {1f, 2f, 3f}, 3).requiresGrad(true);
        loss(x).backward();
        assertArrayEquals(C, x.grad().data());
        loss(x).backward();
        assertArrayEquals(new float[] {1f, -4f, 6f}, x.grad().data());

        Tensor buffer = x.grad();
        x.zeroGrad();
        assertSame(buffer, x.grad(), "zeroGrad keeps the gradient's buffer");
        assertArrayEquals(new float[3], x.grad().data());
        loss(x).backward();
        assertArrayEquals(C, x.grad().data());
    }

    @Test
    void setGradNullStartsAfresh() {
        Tensor x = Tensor.of(new float[] {1f, 2f, 3f}, 3).requiresGrad(true);
        loss(x).backward();
        x.setGrad(null);
        assertNull(x.grad());
        loss(x).backward();
        assertArrayEquals(C, x.grad().data());
    }

    @Test
    void backwardOnALeafAddsTheGivenGradient() {
        Tensor x = Tensor.zeros(2).requiresGrad(true);
        Tensor g = Tensor.of(new float[] {1f, 2f}, 2);
        x.backward(g);
        x.backward(g);
        assertArrayEquals(new float[] {2f, 4f}, x.grad().data());
        assertArrayEquals(new float[] {1f, 2f}, g.data(), "the caller's gradient is not written to");
    }

    /** add() hands its upstream gradient straight to both inputs: the leaf must still get its own copy. */
    @Test
    void theLeafGradientIsNotTheUpstreamTensor() {
        Tensor x = Tensor.zeros(2).requiresGrad(true);
        Tensor y = Functional.add(x, Tensor.of(new float[] {5f, 6f}, 2));
        Tensor upstream = Tensor.of(new float[] {1f, 2f}, 2);
        y.backward(upstream);
        upstream.data()[0] = 99f;
        assertArrayEquals(new float[] {1f, 2f}, x.grad().data());

        Functional.add(x, x).backward(Tensor.of(new float[] {1f, 1f}, 2));
        assertArrayEquals(new float[] {3f, 4f}, x.grad().data());
        assertArrayEquals(new float[] {99f, 2f}, upstream.data(), "accumulating never writes into an upstream gradient");
    }
}
