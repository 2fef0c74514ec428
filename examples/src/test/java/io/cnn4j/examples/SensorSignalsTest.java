package io.cnn4j.examples;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The example learns its task: two epochs tell the four activities apart on nine recordings in ten. */
class SensorSignalsTest {
    @Test
    void theOneDimensionalNetworkLearnsTheActivities() {
        double accuracy = SensorSignals.train(2);
        assertTrue(accuracy >= 0.9, "test accuracy " + accuracy);
    }
}
