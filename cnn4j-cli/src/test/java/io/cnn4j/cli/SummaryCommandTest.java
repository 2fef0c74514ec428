package io.cnn4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cnn4j summary} works from shape inference and the description alone: no forward pass runs and no
 * weights of a described model are allocated, so huge models and inputs are summarised at once.
 */
class SummaryCommandTest {
    @TempDir
    Path tmp;

    @Test
    void summaryOf4096ChannelConvolutionsRunsNoForwardPass() throws IOException {
        // A forward pass of the second convolution alone is 118 billion multiply-adds: minutes on a CPU.
        Path config = write("wide.json", """
                {"type": "Sequential", "children": [
                  {"type": "Conv2d", "args": {"in_channels": 1, "out_channels": 4096, "kernel_size": 3, "padding": 1}},
                  {"type": "ReLU"},
                  {"type": "Conv2d", "args": {"in_channels": 4096, "out_channels": 4096, "kernel_size": 3, "padding": 1}},
                  {"type": "ReLU"},
                  {"type": "AdaptiveAvgPool2d", "args": {"output_size": 1}},
                  {"type": "Flatten"},
                  {"type": "Linear", "args": {"in_features": 4096, "out_features": 10}}]}""");
        CliRun run = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> CliRun.of("summary", "--model-config", config.toString()));
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("Conv2d(4096, 4096, kernel_size=3, padding=1)"), run.toString());
        assertTrue(run.out().contains("[N, 4096, 28, 28]"), run.toString());
        assertTrue(run.out().contains("Total params: 151,080,970 (604.3 MB as float32)"), run.toString());
        // Four outputs of 4096 x 28 x 28, then 4096 + 4096 + 10.
        assertTrue(run.out().contains("Activations per image: 12,853,258 values (51.4 MB as float32)"), run.toString());
    }

    @Test
    void summaryOfA942MParameterModelPrintsPositiveSizes() throws IOException {
        // 3.8 GB of weights: more than the tests' heap, so the summary can only work from the description.
        Path config = write("huge.json", """
                {"type": "Sequential", "children": [
                  {"type": "Flatten"},
                  {"type": "Linear", "args": {"in_features": 784, "out_features": 1200000}}]}""");
        CliRun run = CliRun.of("summary", "--model-config", config.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("Total params: 942,000,000 (3.8 GB as float32)"), run.toString());
        assertTrue(run.out().contains("Trainable params: 942,000,000"), run.toString());
        assertTrue(run.out().contains(" 942,000,000\n"), "the layer's own count:\n" + run);
        // No count overflowed into a negative number (the temporary folder's name may hold "-5", so it is left out).
        assertFalse(run.out().replace(config.toString(), "").matches("(?s).*-\\d.*"), run.toString());
    }

    @Test
    void summaryOfA4096By4096InputNeedsNoMemoryForIt() {
        CliRun seed = CliRun.of("summary", "--model", "seed", "--input-shape", "1,4096,4096");
        assertFailsWith(seed, "layer 4: Linear(4608, 10) expects input [N, 4608], got [1, 133955712]");
        CliRun resnet = CliRun.of("summary", "--model", "resnet", "--input-shape", "1,4096,4096");
        assertEquals(0, resnet.exitCode(), resnet.toString());
        assertTrue(resnet.out().contains("[N, 32, 4096, 4096]"), resnet.toString());
        assertTrue(resnet.out().matches("(?s).*Activations per image: [0-9,]+ values \\([0-9.]+ GB as float32\\).*"),
                resnet.toString());
    }

    @Test
    void theInputShapeIsThreeBoundedNumbers() {
        assertFailsWith(CliRun.of("summary", "--model", "seed", "--input-shape", "1,28"),
                "--input-shape needs three numbers C,H,W, got 2");
        assertFailsWith(CliRun.of("summary", "--model", "seed", "--input-shape", "0,28,28"),
                "--input-shape 0,28,28: each number must be from 1 to 65536, got 0");
        assertFailsWith(CliRun.of("summary", "--model", "seed", "--input-shape", "1,70000,1"),
                "--input-shape 1,70000,1: each number must be from 1 to 65536, got 70000");
        assertFailsWith(CliRun.of("summary", "--model", "seed", "--input-shape", "65,4096,4096"),
                "--input-shape 65,4096,4096: an image of 1,090,519,040 values is more than the 1,073,741,824 (4.3 GB as"
                        + " float32) summary takes");
    }

    @Test
    void aBadArgumentInADescriptionIsNamedWithTheFileAndPlace() throws IOException {
        Path config = write("groups.json", """
                {"type": "Sequential", "children": [
                  {"type": "Linear", "args": {"in_features": 46000, "out_features": 46000}},
                  {"type": "Conv2d", "args": {"in_channels": 1, "out_channels": 32, "kernel_size": 3, "groups": 3}}]}""");
        assertFailsWith(CliRun.of("summary", "--model-config", config.toString()),
                config + ": children[1] (Conv2d): Conv2d: groups=3 must divide in_channels=1 and out_channels=32");
    }

    private Path write(String name, String json) throws IOException {
        Path file = tmp.resolve(name);
        Files.writeString(file, json);
        return file;
    }

    private static void assertFailsWith(CliRun run, String fragment) {
        assertEquals(1, run.exitCode(), run.toString());
        assertFalse(run.err().contains("\tat "), "no stack trace expected:\n" + run);
        assertTrue(run.err().contains(fragment), "expected the error to mention '" + fragment + "':\n" + run);
    }
}
