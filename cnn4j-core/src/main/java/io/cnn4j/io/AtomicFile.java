package io.cnn4j.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a file all at once: the content goes to a temporary file beside the target, is forced to
 * disk, and is then renamed over the target. A crash or an exception midway leaves either the old file
 * or the new one, never half of the new one; readers never see a partial write.
 *
 * <p>A process killed mid-write cannot delete its temporary file; the next successful write of the same
 * target deletes those older than {@link #STALE}, an age no live write of a model or checkpoint reaches,
 * so a concurrent writer's file is left alone.
 */
final class AtomicFile {
    static final Duration STALE = Duration.ofHours(1);

    /** Writes the whole content through the channel, from position 0. */
    @FunctionalInterface
    interface Content {
        void writeTo(FileChannel channel) throws IOException;
    }

    private AtomicFile() {
    }

    static void write(Path target, Content content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        // Same directory, so the rename stays within one file system and can be atomic. The name is
        // hidden and random so that concurrent writers of one target do not collide; CREATE_NEW (not
        // Files.createTempFile) keeps the permissions the umask gives a normal file.
        Path temp = dir.resolve(temporaryPrefix(absolute.getFileName().toString())
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                content.writeTo(channel);
                channel.force(true);
            }
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
            deleteStaleTemporaries(dir, absolute.getFileName().toString());
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        syncDirectory(dir);
    }

    private static String temporaryPrefix(String name) {
        return "." + name + ".";
    }

    /** Best effort: a temporary file that cannot be listed or deleted stays, the write has succeeded. */
    private static void deleteStaleTemporaries(Path dir, String name) {
        String prefix = temporaryPrefix(name);
        Instant cutoff = Instant.now().minus(STALE);
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, p -> {
            String f = p.getFileName().toString();
            return f.startsWith(prefix) && f.endsWith(".tmp");
        })) {
            for (Path p : leftovers) {
                if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            // Leftovers only cost disk space; never fail a completed write over them.
        }
    }

    /** Makes the rename itself durable. Some platforms cannot open a directory; there it is skipped. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // The file itself is complete on disk; only the directory entry's durability is best effort.
        }
    }
}
