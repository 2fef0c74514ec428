package io.cnn4j.tensor;

import io.cnn4j.autograd.Functional;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** backward() refuses what it cannot do, with a message that says why and what to do instead. */
class BackwardPreconditionsTest {

    @Test
    void aNonScalarNeedsAnExplicitGradient() {
        Tensor y = Functional.tanh(Tensor.zeros(2, 3).requiresGrad(true));
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("one-element tensor"), e.getMessage());
        assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
        assertTrue(e.getMessage().contains("backward(Tensor)"), e.getMessage());
    }

    @Test
    void theGradientMustHaveTheTensorsShape() {
        Tensor y = Functional.tanh(Tensor.zeros(2, 3).requiresGrad(true));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> y.backward(Tensor.zeros(3, 2)));
        assertTrue(e.getMessage().contains("[3, 2]") && e.getMessage().contains("[2, 3]"), e.getMessage());
    }

    @Test
    void aTensorThatNoParameterReachedCannotBackpropagate() {
        Tensor loss = Functional.sum(Functional.tanh(Tensor.zeros(4)));
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("does not require a gradient"), e.getMessage());
    }

    @Test
    void onlyLeavesCanStopRequiringAGradient() {
        Tensor y = Functional.tanh(Tensor.zeros(2).requiresGrad(true));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.requiresGrad(false));
        assertTrue(e.getMessage().contains("detach()"), e.getMessage());
    }
}
