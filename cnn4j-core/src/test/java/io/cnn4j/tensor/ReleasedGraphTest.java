package io.cnn4j.tensor;

import io.cnn4j.autograd.Functional;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** backward() frees the graph it ran through; running through it again fails with a message that says so. */
class ReleasedGraphTest {

    @Test
    void secondBackwardThroughTheSameGraphThrows() {
        Tensor x = Tensor.of(new float[] {1f, 2f}, 2).requiresGrad(true);
        Tensor loss = Functional.sum(Functional.tanh(x));
        loss.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("a second time"), e.getMessage());
        assertTrue(e.getMessage().contains("Compute the forward pass again"), e.getMessage());
    }

    /** A new loss built on an intermediate result of the consumed graph reaches the freed part and fails. */
    @Test
    void aNewLossOnAConsumedIntermediateThrows() {
        Tensor x = Tensor.of(new float[] {1f, 2f}, 2).requiresGrad(true);
        Tensor h = Functional.tanh(x);
        Functional.sum(h).backward();
        Tensor again = Functional.mean(h);
        assertThrows(IllegalStateException.class, again::backward);
    }

    @Test
    void aFreshForwardPassWorksAgain() {
        Tensor x = Tensor.of(new float[] {1f, 2f}, 2).requiresGrad(true);
        Functional.sum(Functional.mul(x, x)).backward();
        Functional.sum(Functional.mul(x, x)).backward();
        assertArrayEquals(new float[] {4f, 8f}, x.grad().data());
    }
}
