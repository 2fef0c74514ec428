package io.cnn4j.tensor;

import io.cnn4j.autograd.Conv2dSpec;
import io.cnn4j.autograd.Functional;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link GradMode#noGrad()}: nothing is recorded inside the scope, and scopes nest and restore. */
class GradModeTest {

    @Test
    void noOperationRecordsInsideNoGrad() {
        Tensor x = Tensor.full(0.5f, 1, 2, 4, 4).requiresGrad(true);
        Tensor w = Tensor.full(0.1f, 3, 2, 3, 3).requiresGrad(true);
        Tensor b = Tensor.zeros(3).requiresGrad(true);
        Tensor lw = Tensor.full(0.2f, 2, 5).requiresGrad(true);
        Tensor v = Tensor.full(0.3f, 2, 5).requiresGrad(true);
        try (var _ = GradMode.noGrad()) {
            assertFalse(GradMode.isEnabled());
            Tensor conv = Functional.conv2d(x, w, b, Conv2dSpec.defaults());
            List<Tensor> results = List.of(conv,
                    Functional.conv2dRelu(x, w, b, Conv2dSpec.defaults()),
                    Functional.maxPool2d(conv, 2, 2, 0),
                    Functional.avgPool2d(conv, 2, 2, 0, true),
                    Functional.linear(v, lw, null),
                    Functional.linearRelu(v, lw, null),
                    Functional.relu(v), Functional.leakyRelu(v, 0.1f), Functional.sigmoid(v), Functional.tanh(v),
                    Functional.softmax(v), Functional.logSoftmax(v),
                    Functional.reshape(v, 10), Functional.flatten(x),
                    Functional.dropout(v, 0.5f, new Rng(1)),
                    Functional.add(v, v), Functional.mul(v, v), Functional.sum(v), Functional.mean(v),
                    Functional.crossEntropy(v, new int[] {0, 4}, 0.1f), Functional.mse(v, v));
            for (Tensor r : results) {
                assertFalse(r.requiresGrad(), "requiresGrad of " + r);
                assertNull(r.gradFn(), "gradFn of " + r);
            }
        }
        assertTrue(GradMode.isEnabled());
    }

    @Test
    void scopesNestAndRestoreTheOuterMode() {
        Tensor x = Tensor.zeros(2).requiresGrad(true);
        try (var _ = GradMode.noGrad()) {
            try (var _ = GradMode.noGrad()) {
                assertFalse(GradMode.isEnabled());
            }
            assertFalse(GradMode.isEnabled(), "closing the inner scope keeps the outer one in force");
            assertNull(Functional.tanh(x).gradFn());
        }
        assertTrue(GradMode.isEnabled());
        assertTrue(Functional.tanh(x).requiresGrad());
    }

    @Test
    void anExceptionInsideTheScopeStillRestores() {
        assertThrows(IllegalArgumentException.class, () -> {
            try (var _ = GradMode.noGrad()) {
                Functional.add(Tensor.zeros(2), Tensor.zeros(3));
            }
        });
        assertTrue(GradMode.isEnabled());
    }

    @Test
    void theModeBelongsToTheThread() throws InterruptedException {
        AtomicBoolean enabledElsewhere = new AtomicBoolean();
        try (var _ = GradMode.noGrad()) {
            Thread t = new Thread(() -> enabledElsewhere.set(GradMode.isEnabled()));
            t.start();
            t.join();
        }
        assertTrue(enabledElsewhere.get(), "another thread still records");
    }

    @Test
    void aResultOfNoGradCannotBackpropagate() {
        Tensor x = Tensor.zeros(2).requiresGrad(true);
        Tensor loss;
        try (var _ = GradMode.noGrad()) {
            loss = Functional.sum(x);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("GradMode.noGrad()"), e.getMessage());
    }

    @Test
    void enableGradRecordsInsideNoGradAndRestoresIt() {
        try (var off = GradMode.noGrad()) {
            try (var on = GradMode.enableGrad()) {
                assertTrue(GradMode.isEnabled());
            }
            assertFalse(GradMode.isEnabled(), "the enclosing noGrad again");
        }
        assertTrue(GradMode.isEnabled());
    }
}
