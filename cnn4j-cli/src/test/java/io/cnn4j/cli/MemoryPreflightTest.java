package io.cnn4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Before the first step, a run knows from the model's description and the images' shape whether the
 * model takes the images and whether a step fits in memory; it says so instead of failing later or
 * running out of memory. (The tests run with -Xmx2g.)
 */
class MemoryPreflightTest {
    @TempDir
    Path tmp;

    private static void assertRefusedBeforeTraining(CliRun run, String... fragments) {
        assertEquals(1, run.exitCode(), run.toString());
        assertFalse(run.err().contains("\tat ") || run.err().contains("OutOfMemoryError"), run.toString());
        assertFalse(run.out().contains("epoch 1"), "nothing may be trained:\n" + run);
        for (String f : fragments) {
            assertTrue(run.err().contains(f), "expected the error to mention '" + f + "':\n" + run);
        }
    }

    @Test
    void aModelThatCannotTakeTheImagesFailsBeforeTraining() throws Exception {
        Path config = Files.writeString(tmp.resolve("wrong.json"), "{\"type\": \"Sequential\", \"children\": ["
                + "{\"type\": \"Flatten\"}, {\"type\": \"Linear\", \"args\": {\"in_features\": 10, \"out_features\": 10}}]}");
        assertRefusedBeforeTraining(CliRun.of("train", "--data", "embedded", "--model-config", config.toString()),
                "layer 1", "Linear(10, 10)", "[1, 784]");
    }

    @Test
    void aBatchTooLargeForTheHeapIsRefusedBeforeAnyStep() {
        // All 10,000 embedded images in one batch of resnet3 need tens of gigabytes.
        CliRun run = CliRun.of("train", "--data", "embedded", "--model", "resnet3", "--batch-size", "2147483647");
        assertRefusedBeforeTraining(run, "training at batch 10000 (", "of memory, but the JVM has", "-Xmx");
    }
}
