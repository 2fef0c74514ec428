package io.cnn4j.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LiveBarTest {
    private static final String YELLOW = "\u001b[33m";
    private static final String RESET = "\u001b[0m";

    @Test
    void aLineThatFitsIsKeptWholeEvenWhenItEndsInAnEscapeSequence() {
        String line = "epoch 1/2  50% " + YELLOW + "│██  │" + RESET;
        assertEquals(line, LiveBar.fit(line, 21));
    }

    @Test
    void aLongerLineIsCutToTheColumnsWithItsColoursReset() {
        String line = "epoch 1/2  50% " + YELLOW + "│██  │" + RESET + " 1/2 loss 0.5";
        assertEquals("epoch 1/2  50% " + YELLOW + "│█" + RESET, LiveBar.fit(line, 17));
        assertEquals("epoch 1/2", LiveBar.fit("epoch 1/2  50%", 9));
    }

    @Test
    void aLongTaskNameKeepsItsEnd() {
        assertEquals("decoding train", LiveBar.shortened("decoding train", 14));
        assertEquals("\u2026photos/train", LiveBar.shortened("decoding /home/me/photos/train", 13));
        assertEquals("", LiveBar.shortened("decoding /home/me/photos/train", 1));
    }
}
