package io.cnn4j.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
}
