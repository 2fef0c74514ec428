package io.cnn4j.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TerminalWidthTest {

    @Test
    void sttySizeGivesRowsThenColumns() {
        assertEquals(132, TerminalWidth.parse("43 132\n", "80"));
    }

    @Test
    void anUnsizedTerminalOrNoneFallsBackOnColumnsThenEighty() {
        assertEquals(100, TerminalWidth.parse("0 0\n", "100"));
        assertEquals(100, TerminalWidth.parse(null, " 100 "));
        assertEquals(80, TerminalWidth.parse(null, null));
        assertEquals(80, TerminalWidth.parse("garbage", "wide"));
        assertEquals(80, TerminalWidth.parse(null, "-5"));
    }
}
