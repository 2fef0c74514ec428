package io.cnn4j.io;

import io.cnn4j.fuzz.HostileInput;
import io.cnn4j.limits.InputFileException;
import io.cnn4j.limits.MemoryBudget;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a safetensors file is checked for before it is opened, and before its tensors take memory. */
class SafeTensorsInputTest {
    @TempDir
    Path dir;

    @Test
    void fifoAsModelFileIsRefusedNotOpened() throws Exception {
        Path fifo = HostileInput.fifo(dir.resolve("model.safetensors"));
        String message = "safetensors file " + fifo + " is not a regular file (a FIFO); cnn4j reads only regular files,"
                + " so that reading cannot block or never end";
        // --model-file, --init, --resume and summary all come here.
        for (Executable read : List.<Executable>of(() -> ModelFile.read(fifo), () -> ModelFile.load(fifo),
                () -> ModelFile.architecture(fifo), () -> SafeTensors.read(fifo), () -> SafeTensors.readHeader(fifo))) {
            InputFileException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                    assertThrows(InputFileException.class, read));
            assertEquals(message, e.getMessage());
        }
    }

    @Test
    void aMissingFileIsStillNoSuchFile() {
        Path missing = dir.resolve("missing.safetensors");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> SafeTensors.read(missing));
        assertEquals(missing.toString(), e.getFile());
    }

    @Test
    void tensorsLargerThanTheHeapAreRefusedBeforeLoading() throws Exception {
        // A sparse file with one bfloat16 tensor that, as float32, needs more than the whole heap.
        long max = Runtime.getRuntime().maxMemory();
        long n = Math.min(Integer.MAX_VALUE - 8, max / Float.BYTES + 1);
        Assumptions.assumeTrue(n * Float.BYTES > max, "a heap under 8 GB");
        Path file = SafeTensorsValidationTest.rawFile(dir, "{\"w\":{\"dtype\":\"BF16\",\"shape\":[" + n
                + "],\"data_offsets\":[0," + 2 * n + "]}}", new byte[0]);
        try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
            sparse.setLength(sparse.length() + 2 * n);
        }
        assertEquals(n, SafeTensors.readHeader(file).elementCount(), "the header alone is read");
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(file));
        String start = file + ": loading its 1 tensor (" + n + " values as float32) needs "
                + MemoryBudget.format(4 * n) + " of memory, but the JVM has ";
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }

    @Test
    void aHeaderWhoseJsonWouldNotFitTheHeapIsRefusedBeforeItIsRead() throws Exception {
        // 99 MB of header, just under the format's limit, in a sparse file: parsed, it would take some 4 GB.
        Assumptions.assumeTrue(Runtime.getRuntime().maxMemory() < 3_900_000_000L, "a heap under 4 GB");
        Path file = dir.resolve("header.safetensors");
        try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
            sparse.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(99_000_000).array());
            sparse.setLength(8 + 99_000_000);
        }
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.readHeader(file));
        assertTrue(e.getMessage().startsWith(file + ": parsing its 99.0 MB header needs 4.0 GB of memory, but the JVM"
                + " has "), e.getMessage());
    }
}
