package io.cnn4j.limits;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CountsTest {
    @Test
    void sumsAndProductsThatFitAreExact() {
        assertEquals(7, Counts.sum(3, 4));
        assertEquals(2_116_000_000L, Counts.product(46_000, 46_000));
        assertEquals(0, Counts.product(Long.MAX_VALUE, 3, 0));
        assertEquals(1, Counts.product());
    }

    @Test
    void sumsAndProductsBeyondALongStopAtItsLargestValue() {
        assertEquals(Long.MAX_VALUE, Counts.sum(Long.MAX_VALUE, 1));
        assertEquals(Long.MAX_VALUE, Counts.product(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, Counts.product(Long.MAX_VALUE, 1));
    }

    @Test
    void aNegativeCountIsAMistake() {
        assertEquals("a count cannot be negative, got -1",
                assertThrows(IllegalArgumentException.class, () -> Counts.product(2, -1)).getMessage());
    }
}
