package io.cnn4j.autograd;

import io.cnn4j.tensor.GradMode;
import io.cnn4j.tensor.OnEveryBackend;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.TestTensors;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Finite-difference checks of {@link Functional#linear} and {@link Functional#linearRelu}: input, weight and bias. */
@OnEveryBackend
class LinearGradTest {

    private static Tensor[] inputs(long seed, int batch, int in, int out) {
        Rng rng = new Rng(seed);
        return new Tensor[] {
            TestTensors.uniform(rng, -1, 1, batch, in).requiresGrad(true),
            TestTensors.uniform(rng, -0.5, 0.5, out, in).requiresGrad(true),
            TestTensors.uniform(rng, -0.5, 0.5, out).requiresGrad(true)};
    }

    @Test
    void withBias() {
        GradCheck.check(in -> Functional.linear(in[0], in[1], in[2]), inputs(1, 3, 5, 4));
    }

    @Test
    void withoutBias() {
        Tensor[] t = inputs(2, 3, 5, 4);
        GradCheck.check(in -> Functional.linear(in[0], in[1], null), t[0], t[1]);
    }

    @Test
    void batchOfOneAndASingleOutput() {
        GradCheck.check(in -> Functional.linear(in[0], in[1], in[2]), inputs(3, 1, 7, 1));
    }

    /**
     * Inputs from the first seed whose pre-activations lie at least 0.02 from zero: a step of 0.01 in one
     * input moves a pre-activation by at most 0.01, so no step crosses the ReLU's kink.
     */
    @Test
    void fusedRelu() {
        for (long seed = 100; seed < 1100; seed++) {
            Tensor[] t = inputs(seed, 4, 6, 5);
            try (var _ = GradMode.noGrad()) {
                if (TestTensors.minAbs(Functional.linear(t[0], t[1], t[2])) < 0.02) {
                    continue;
                }
                float[] unfused = Functional.relu(Functional.linear(t[0], t[1], t[2])).data();
                assertArrayEquals(unfused, Functional.linearRelu(t[0], t[1], t[2]).data(), "fused forward");
            }
            GradCheck.check(in -> Functional.linearRelu(in[0], in[1], in[2]), t);
            return;
        }
        fail("no seed gave pre-activations 0.02 away from zero");
    }
}
