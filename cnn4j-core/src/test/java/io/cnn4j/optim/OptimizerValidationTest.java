package io.cnn4j.optim;

import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Optimizer arguments are checked at construction; each error names the optimizer and the argument. */
class OptimizerValidationTest {

    private static List<Tensor> params() {
        return List.of(Tensor.zeros(3).requiresGrad(true));
    }

    private static void rejects(Executable construct, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construct);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + e.getMessage() + "' should mention '" + f + "'");
        }
    }

    @Test
    void parameters() {
        rejects(() -> new Sgd(List.of(), 0.1), "Sgd", "no parameters");
        rejects(() -> new Adam(List.of(Tensor.zeros(2)), 0.1), "Adam", "[2]", "does not require a gradient");
    }

    @Test
    void learningRate() {
        rejects(() -> new Sgd(params(), -0.1), "Sgd", "learning rate", "-0.1");
        rejects(() -> new Adam(params(), Double.NaN), "Adam", "learning rate", "NaN");
        rejects(() -> new AdamW(params(), -1), "AdamW", "learning rate");
        assertDoesNotThrow(() -> new Sgd(params(), 0));
    }

    @Test
    void sgdOptions() {
        rejects(() -> new Sgd(params(), 0.1, -0.5, 0, 0, false), "SGD", "momentum", "-0.5");
        rejects(() -> new Sgd(params(), 0.1, 0.9, 1.5, 0, false), "SGD", "dampening", "1.5");
        rejects(() -> new Sgd(params(), 0.1, 0.9, 0, -1e-4, false), "SGD", "weight decay");
        rejects(() -> new Sgd(params(), 0.1, 0, 0, 0, true), "SGD", "Nesterov", "momentum > 0");
        rejects(() -> new Sgd(params(), 0.1, 0.9, 0.1, 0, true), "SGD", "Nesterov", "no dampening");
        assertDoesNotThrow(() -> new Sgd(params(), 0.1, 0.9, 0, 1e-4, true));
    }

    @Test
    void adamOptions() {
        rejects(() -> new Adam(params(), 1e-3, 1.0, 0.999, 1e-8, 0), "Adam", "beta1", "1.0");
        rejects(() -> new Adam(params(), 1e-3, -0.1, 0.999, 1e-8, 0), "Adam", "beta1");
        rejects(() -> new Adam(params(), 1e-3, 0.9, 1.0, 1e-8, 0), "Adam", "beta2");
        rejects(() -> new Adam(params(), 1e-3, 0.9, 0.999, -1e-8, 0), "Adam", "eps");
        rejects(() -> new Adam(params(), 1e-3, 0.9, 0.999, 1e-8, -0.01), "Adam", "weight decay");
        rejects(() -> new AdamW(params(), 1e-3, 0.9, 1.5, 1e-8, 0.01), "AdamW", "beta2");
        assertDoesNotThrow(() -> new Adam(params(), 1e-3, 0, 0, 0, 0));
    }
}
