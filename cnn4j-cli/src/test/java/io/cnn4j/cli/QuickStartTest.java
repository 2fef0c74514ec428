package io.cnn4j.cli;

import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The accuracy gate of the quick start: the README's main job, on the embedded data, must keep
 * learning. A regression in any layer, gradient, optimizer or kernel shows up here as lost accuracy.
 */
class QuickStartTest {

    @Test
    void defaultTrainingOnTheEmbeddedDataReachesEightyPercent() {
        CliRun run = CliRun.of("train", "--data", "embedded");
        assertEquals(0, run.exitCode(), run.toString());
        Matcher m = Pattern.compile("test accuracy (\\d\\.\\d+)").matcher(run.out());
        assertTrue(m.find(), run.toString());
        double accuracy = Double.parseDouble(m.group(1));
        assertTrue(accuracy > 0.80, "quick start reached only " + accuracy + "\n" + run);
    }
}
