package io.cnn4j.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputLockTest {
    @TempDir
    Path tmp;

    @Test
    void aSecondClaimOfOneFileIsRefusedUntilTheFirstEnds() throws Exception {
        Path metrics = tmp.resolve("metrics.jsonl");
        try (OutputLock first = OutputLock.claim(metrics, "--metrics-out")) {
            var e = assertThrows(FileSystemException.class, () -> OutputLock.claim(tmp.resolve("./metrics.jsonl"), "--metrics-out"));
            assertEquals(tmp.resolve("./metrics.jsonl") + ": cannot write --metrics-out: another run (process "
                    + ProcessHandle.current().pid() + ") is writing it; wait for it to end, or give another file", e.getMessage());
        }
        try (OutputLock again = OutputLock.claim(metrics, "--metrics-out")) {
            assertTrue(Files.exists(tmp.resolve(".metrics.jsonl.lock")));
        }
        assertFalse(Files.exists(tmp.resolve(".metrics.jsonl.lock")), "the lock file goes when the claim ends");
    }

    /** The child claims the file named by its argument, says so, and waits to be killed. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            OutputLock.claim(Path.of(args[0]), "--save");
            System.out.println("claimed");
            Thread.sleep(60_000);
        }
    }

    @Test
    void anotherProcessesClaimIsRefusedAndEndsWithIt() throws Exception {
        Path model = tmp.resolve("model.safetensors");
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Holder.class.getName(),
                model.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
            assertEquals("claimed", out.readLine());
            var e = assertThrows(FileSystemException.class, () -> OutputLock.claim(model, "--save"));
            assertTrue(e.getMessage().contains("another run (process " + child.pid() + ") is writing it"), e.getMessage());
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        // Killed, it holds nothing: its lock file is left, but not its lock.
        try (OutputLock mine = OutputLock.claim(model, "--save")) {
            assertTrue(Files.exists(tmp.resolve(".model.safetensors.lock")));
        }
    }
}
