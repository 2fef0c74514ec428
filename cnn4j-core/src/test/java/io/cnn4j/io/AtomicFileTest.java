package io.cnn4j.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtomicFileTest {

    private static void write(Path target, String text) throws IOException {
        AtomicFile.write(target, channel -> channel.write(ByteBuffer.wrap(text.getBytes())));
    }

    @Test
    void aWriteRemovesTheStaleTemporariesOfKilledWritesButNotRecentOnes(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("run.ckpt");
        Path stale = Files.writeString(dir.resolve(".run.ckpt.0123abcd.tmp"), "half a checkpoint");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(AtomicFile.STALE).minusSeconds(60)));
        Path live = Files.writeString(dir.resolve(".run.ckpt.4567ef01.tmp"), "another writer, still writing");
        Path other = Files.writeString(dir.resolve(".other.ckpt.89ab.tmp"), "another target's");
        Files.setLastModifiedTime(other, FileTime.from(Instant.now().minus(AtomicFile.STALE).minusSeconds(60)));

        write(target, "complete");

        assertEquals("complete", Files.readString(target));
        assertFalse(Files.exists(stale), "stale temporary of this target removed");
        assertTrue(Files.exists(live), "a recent temporary may belong to a live writer");
        assertTrue(Files.exists(other), "another target's temporaries are not this write's business");
    }

    @Test
    void aWriteRemovesAtOnceTheTemporariesOfWritersThatAreGone(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("model.safetensors");
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path killed = Files.writeString(dir.resolve(".model.safetensors." + gone.pid() + "-89abcdef.tmp"), "half a model");
        Path mine = Files.writeString(dir.resolve(".model.safetensors." + ProcessHandle.current().pid() + "-1234.tmp"),
                "a write of this process, still going");

        write(target, "complete");

        assertFalse(Files.exists(killed), "a killed writer's temporary goes with the next write, however recent");
        assertTrue(Files.exists(mine), "a running writer's temporary stays");
    }

    @Test
    void aFullDiskOrAFolderInTheWayIsReportedWithTheTargetsName(@TempDir Path dir) throws IOException {
        Path folder = Files.createDirectory(dir.resolve("model.safetensors"));
        var e = assertThrows(FileSystemException.class, () -> write(folder, "x"));
        assertEquals(folder + ": is a directory; give a file name to write to", e.getMessage());

        Path target = dir.resolve("out.bin");
        var full = assertThrows(FileSystemException.class, () -> AtomicFile.write(target, channel -> {
            throw new IOException("No space left on device");
        }));
        assertEquals(target + ": cannot be written: No space left on device", full.getMessage());
        try (var left = Files.list(dir)) {
            assertEquals(1, left.count(), "the failed write's temporary file is gone");
        }
    }
}
