package io.cnn4j.tensor;

import io.cnn4j.autograd.Conv2dSpec;
import io.cnn4j.autograd.Functional;
import io.cnn4j.kernel.CountingKernels;
import io.cnn4j.kernel.ReferenceKernels;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Inputs that do not require a gradient get none, and backward does not compute it: observed through
 * a counting wrapper around the kernels, installed for each test and removed after it.
 */
class SkippedGradientWorkTest {

    private static Tensor input(boolean grad) {
        return TestTensors.uniform(new Rng(1), -1, 1, 2, 3, 6, 6).requiresGrad(grad);
    }

    private static Tensor weight(boolean grad) {
        return TestTensors.uniform(new Rng(2), -1, 1, 4, 3, 3, 3).requiresGrad(grad);
    }

    private static Tensor bias(boolean grad) {
        return TestTensors.uniform(new Rng(3), -1, 1, 4).requiresGrad(grad);
    }

    private static void convBackward(Tensor x, Tensor w, Tensor b) {
        Functional.sum(Functional.conv2d(x, w, b, Conv2dSpec.of(1, 1, 1, 1))).backward();
    }

    @Test
    void convInputGradientIsNotComputedForAnImage() {
        Tensor x = input(false);
        Tensor w = weight(true);
        Tensor b = bias(true);
        CountingKernels k = new CountingKernels(new ReferenceKernels());
        Execution.run(k, () -> {
            convBackward(x, w, b);
            assertEquals(0, k.calls("conv2dBackwardInput"));
            assertEquals(1, k.calls("conv2dBackwardWeight"));
        });
        assertNull(x.grad());
        assertNotNull(w.grad());
        assertNotNull(b.grad());
    }

    @Test
    void frozenConvWeightsGetNoGradient() {
        Tensor x = input(true);
        Tensor w = weight(false);
        Tensor b = bias(false);
        CountingKernels k = new CountingKernels(new ReferenceKernels());
        Execution.run(k, () -> {
            convBackward(x, w, b);
            assertEquals(1, k.calls("conv2dBackwardInput"));
            assertEquals(0, k.calls("conv2dBackwardWeight"));
            assertEquals(0, k.calls("biasGradient"));
        });
        assertNotNull(x.grad());
        assertNull(w.grad());
        assertNull(b.grad());
    }

    /** Only the bias trains: its gradient is a sum over the output gradient, no weight gradient is due. */
    @Test
    void aTrainableBiasAloneSkipsTheWeightGradient() {
        Tensor x = input(false);
        Tensor w = weight(false);
        Tensor b = bias(true);
        CountingKernels k = new CountingKernels(new ReferenceKernels());
        Execution.run(k, () -> {
            convBackward(x, w, b);
            assertEquals(0, k.calls("conv2dBackwardInput"));
            assertEquals(0, k.calls("conv2dBackwardWeight"));
        });
        assertNull(w.grad());
        // d sum(y) / d bias[c] = number of outputs per channel: batch 2 * 6 * 6
        assertArrayEquals(new float[] {72f, 72f, 72f, 72f}, b.grad().data());
    }

    @Test
    void linearInputGradientIsNotComputedForAConstantInput() {
        Tensor x = TestTensors.uniform(new Rng(4), -1, 1, 3, 5);
        Tensor w = TestTensors.uniform(new Rng(5), -1, 1, 2, 5).requiresGrad(true);
        CountingKernels k = new CountingKernels(new ReferenceKernels());
        Execution.run(k, () -> {
            Functional.sum(Functional.linear(x, w, null)).backward();
            assertEquals(1, k.calls("gemm"), "one GEMM in backward, for the weight gradient only");
        });
        assertNull(x.grad());
        assertNotNull(w.grad());
    }

    @Test
    void mulComputesOnlyTheWantedSide() {
        Tensor a = TestTensors.uniform(new Rng(6), -1, 1, 4).requiresGrad(true);
        Tensor c = TestTensors.uniform(new Rng(7), -1, 1, 4);
        CountingKernels k = new CountingKernels(new ReferenceKernels());
        Execution.run(k, () -> {
            Tensor y = Functional.mul(a, c);
            k.reset();
            Functional.sum(y).backward();
            assertEquals(1, k.calls("mul"));
        });
        assertNull(c.grad());
    }

    @Test
    void operationsOnConstantsRecordNothing() {
        Tensor y = Functional.tanh(Functional.add(Tensor.zeros(3), Tensor.full(1f, 3)));
        assertNull(y.gradFn());
        assertFalse(y.requiresGrad());
    }
}
