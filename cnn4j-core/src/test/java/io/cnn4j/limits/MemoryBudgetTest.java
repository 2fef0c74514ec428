package io.cnn4j.limits;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryBudgetTest {
    @Test
    void aSmallClaimFits() {
        assertDoesNotThrow(() -> MemoryBudget.require(1 << 20, "a test buffer"));
    }

    @Test
    void aClaimBeyondTheHeapIsRefusedWithItsSize() {
        long tooMuch = Runtime.getRuntime().maxMemory() + 1;
        var e = assertThrows(TooLargeException.class, () -> MemoryBudget.require(tooMuch, "an IDX file's 2147483639 images"));
        assertTrue(e.getMessage().startsWith("an IDX file's 2147483639 images needs " + MemoryBudget.format(tooMuch)
                + " of memory, but the JVM has "), e.getMessage());
    }

    @Test
    void sizesReadAsPeopleWriteThem() {
        assertEquals("1 byte", MemoryBudget.format(1));
        assertEquals("999 bytes", MemoryBudget.format(999));
        assertEquals("1.0 kB", MemoryBudget.format(1000));
        assertEquals("8.5 GB", MemoryBudget.format(8_464_000_000L));
        assertEquals("9.2 EB", MemoryBudget.format(Long.MAX_VALUE));
    }

    @Test
    void floatBytesSaturate() {
        assertEquals(40, MemoryBudget.floats(10));
        assertEquals(Long.MAX_VALUE, MemoryBudget.floats(Long.MAX_VALUE / 2));
    }
}
