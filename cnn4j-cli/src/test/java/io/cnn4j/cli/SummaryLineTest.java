package io.cnn4j.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SummaryLineTest {
    private static final List<String> PARTS = List.of("epoch 1/2: train loss 0.7220 acc 0.7522",
            "test loss 0.5193 acc 0.8030", "3.4 s, 2,913 img/s");

    @Test
    void aWideTerminalGetsOneLine() {
        assertEquals("epoch 1/2: train loss 0.7220 acc 0.7522 | test loss 0.5193 acc 0.8030 | 3.4 s, 2,913 img/s",
                SummaryLine.fit(PARTS, Integer.MAX_VALUE));
    }

    @Test
    void aNarrowTerminalGetsAPartPerLineWhereTheNextWouldPassTheWidth() {
        String n = System.lineSeparator();
        assertEquals("epoch 1/2: train loss 0.7220 acc 0.7522 | test loss 0.5193 acc 0.8030" + n
                + "  3.4 s, 2,913 img/s", SummaryLine.fit(PARTS, 79));
        assertEquals("epoch 1/2: train loss 0.7220 acc 0.7522" + n + "  test loss 0.5193 acc 0.8030" + n
                + "  3.4 s, 2,913 img/s", SummaryLine.fit(PARTS, 39));
    }
}
