package io.cnn4j.limits;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InputFilesTest {
    @TempDir
    Path tmp;

    @Test
    void aRegularFileGivesItsSize() throws Exception {
        Path f = Files.write(tmp.resolve("a.json"), new byte[123]);
        assertEquals(123, InputFiles.requireRegularFile(f, "model description"));
    }

    @Test
    void aMissingFileIsNamed() {
        Path f = tmp.resolve("nope.json");
        var e = assertThrows(InputFileException.class, () -> InputFiles.requireRegularFile(f, "model description"));
        assertEquals("model description " + f + " does not exist", e.getMessage());
    }

    @Test
    void aDirectoryIsRefused() {
        var e = assertThrows(InputFileException.class, () -> InputFiles.requireRegularFile(tmp, "model file"));
        assertEquals("model file " + tmp + " is a directory, not a file", e.getMessage());
    }

    @Test
    void aFifoIsRefusedWithoutBlocking() throws Exception {
        Path fifo = tmp.resolve("fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo failed");
        var e = assertThrows(InputFileException.class, () -> InputFiles.requireRegularFile(fifo, "checkpoint"));
        assertEquals("checkpoint " + fifo + " is not a regular file (a FIFO); cnn4j reads only regular files, so that"
                + " reading cannot block or never end", e.getMessage());
    }

    @Test
    void aDeviceIsRefused() {
        Path zero = Path.of("/dev/zero");
        if (Files.exists(zero)) {
            var e = assertThrows(InputFileException.class, () -> InputFiles.requireRegularFile(zero, "model description"));
            assertTrue(e.getMessage().contains("is not a regular file (a character device)"), e.getMessage());
        }
    }

    @Test
    void aFileOverItsLimitIsRefusedWithBothSizes() throws Exception {
        Path f = Files.write(tmp.resolve("big.json"), new byte[2_500_000]);
        var e = assertThrows(InputFileException.class, () -> InputFiles.requireRegularFile(f, "model description", 1_000_000));
        assertEquals("model description " + f + " is 2.5 MB, more than the 1.0 MB such a file may have", e.getMessage());
    }
}
