package io.cnn4j.train;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training under the JVM's default flags reaches the same steady state as under the launcher's: a program
 * started with only {@code --add-modules jdk.incubator.vector} (default collector, tiered compilation)
 * reaches steps that allocate kilobytes, as {@link SteadyStateAllocationTest} sees in the test JVM. Where
 * the JIT leaves a kernel's vectors boxed, or runs the Vector API's Java fallback, vector operations
 * allocate, hundreds of kilobytes a step or more, and the steps run slower. The tests' own JVM runs with
 * {@code -XX:-TieredCompilation}, so this starts a JVM of its own.
 */
class DefaultJvmFlagsAllocationTest {
    /** Kilobytes of bookkeeping a step are fine; a kernel whose vectors are boxed allocates far more. */
    private static final long LIMIT = 256 * 1024;

    @Test
    void seedTrainsWithoutAllocatingUnderDefaultFlags() throws Exception {
        assertSteady("seed", 64, 40);
    }

    /** resnet takes the paths seed does not: Winograd, the direct stride-2 passes, batch norm. */
    @Test
    void resnetTrainsWithoutAllocatingUnderDefaultFlags() throws Exception {
        assertSteady("resnet", 64, 25);
    }

    private static void assertSteady(String model, int batch, int rounds) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = Files.createTempFile("cnn4j-default-flags", ".log");
        try {
            Process child = new ProcessBuilder(List.of(java, "--add-modules", "jdk.incubator.vector",
                    "-cp", System.getProperty("java.class.path"), SteadyTraining.class.getName(),
                    model, Integer.toString(batch), Long.toString(LIMIT), Integer.toString(rounds)))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean exited = child.waitFor(2, TimeUnit.MINUTES);
            if (!exited) {
                child.destroyForcibly().waitFor();
            }
            String output = Files.readString(log);
            assertTrue(exited, "the child JVM did not finish in 2 minutes:\n" + output);
            assertEquals(0, child.exitValue(), model + " kept allocating " + LIMIT + "+ bytes a step under the JVM's"
                    + " default flags (a kernel's vectors boxed, or run by the Vector API's Java fallback):\n" + output);
        } finally {
            Files.delete(log);
        }
    }
}
