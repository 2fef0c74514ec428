package io.cnn4j.autograd;

import io.cnn4j.tensor.OnEveryBackend;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.TestTensors;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Finite-difference checks of {@link Functional#add}, {@link Functional#addRelu}, {@link Functional#mul},
 * {@link Functional#sum} and {@link Functional#mean}.
 */
@OnEveryBackend
class ArithmeticGradTest {

    private static Tensor input(long seed, int... dims) {
        return TestTensors.uniform(new Rng(seed), -1, 1, dims).requiresGrad(true);
    }

    @Test
    void add() {
        GradCheck.check(in -> Functional.add(in[0], in[1]), input(1, 2, 3), input(2, 2, 3));
    }

    /** Sums at least 0.04 from ReLU's kink, four steps of the finite difference. */
    @Test
    void addRelu() {
        Tensor a = TestTensors.awayFromZero(new Rng(8), 0.05, 2, 3, 4).requiresGrad(true);
        Tensor b = TestTensors.uniform(new Rng(9), -0.01, 0.01, 2, 3, 4).requiresGrad(true);
        GradCheck.check(in -> Functional.addRelu(in[0], in[1]), a, b);
    }

    @Test
    void addReluKnownValues() {
        Tensor a = Tensor.of(new float[] {1f, -3f, 0.5f, 2f}, 4).requiresGrad(true);
        Tensor b = Tensor.of(new float[] {1f, 1f, -1f, -2f}, 4).requiresGrad(true);
        Tensor y = Functional.addRelu(a, b);
        assertArrayEquals(new float[] {2f, 0f, 0f, 0f}, y.data());
        y.backward(Tensor.of(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, 4));
        assertArrayEquals(new float[] {0.5f, 0f, 0f, 0f}, a.grad().data());
        assertArrayEquals(new float[] {0.5f, 0f, 0f, 0f}, b.grad().data());
    }

    /** The same tensor as both operands: its gradient is the sum of both, twice the upstream. */
    @Test
    void addOfATensorToItself() {
        GradCheck.check(in -> Functional.add(in[0], in[0]), input(3, 2, 3));
    }

    @Test
    void mul() {
        GradCheck.check(in -> Functional.mul(in[0], in[1]), input(4, 3, 2, 2), input(5, 3, 2, 2));
    }

    @Test
    void mulOfATensorByItself() {
        GradCheck.check(in -> Functional.mul(in[0], in[0]), input(6, 5));
    }

    @Test
    void sum() {
        GradCheck.check(in -> Functional.sum(in[0]), input(7, 2, 3, 4));
    }

    @Test
    void mean() {
        GradCheck.check(in -> Functional.mean(in[0]), input(8, 2, 3, 4));
    }

    /** {@code mean(a*b + a)}: {@code a} reaches the result by two paths whose gradients add up. */
    @Test
    void aTensorOnTwoPaths() {
        GradCheck.check(in -> Functional.mean(Functional.add(Functional.mul(in[0], in[1]), in[0])),
                input(9, 4, 3), input(10, 4, 3));
    }
}
