package io.cnn4j.tensor;

import io.cnn4j.autograd.Functional;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Backpropagation through long chains walks the graph without recursion: no StackOverflowError. */
class DeepGraphTest {
    private static final int DEPTH = 10_000;

    /** {@code y = x + x + ... + x} (10,001 terms) as a chain of 10,000 additions: dy/dx = 10,001. */
    @Test
    void tenThousandAdditions() {
        Tensor x = Tensor.of(new float[] {0.25f, -1f}, 2).requiresGrad(true);
        Tensor y = x;
        for (int i = 0; i < DEPTH; i++) {
            y = Functional.add(y, x);
        }
        Functional.sum(y).backward();
        assertArrayEquals(new float[] {DEPTH + 1, DEPTH + 1}, x.grad().data());
    }

    /** A chain of 10,000 operations each with a single input, ending in a reshape back and forth. */
    @Test
    void tenThousandUnaryOperations() {
        Tensor x = Tensor.of(new float[] {1f, 2f, 3f, 4f}, 2, 2).requiresGrad(true);
        Tensor y = x;
        for (int i = 0; i < DEPTH / 2; i++) {
            y = Functional.reshape(Functional.mul(y, Tensor.full(1f, 2, 2)), 4);
            y = Functional.reshape(y, 2, 2);
        }
        Functional.sum(y).backward();
        assertArrayEquals(new float[] {1f, 1f, 1f, 1f}, x.grad().data());
    }
}
