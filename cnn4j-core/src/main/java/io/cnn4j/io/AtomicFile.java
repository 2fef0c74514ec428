package io.cnn4j.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces a file all at once: the content goes to a temporary file beside the target, is forced to
 * disk, and is then renamed over the target. A crash or an exception midway leaves either the old file
 * or the new one, never half of the new one; readers never see a partial write.
 *
 * <p>A process killed mid-write cannot delete its temporary file. Its name carries the writer's process
 * id, so the next write of the same target (or {@link OutputFiles#check}) deletes the temporaries of
 * writers that are no longer running; one whose process id is live again (reused, or another machine's
 * writer on a shared folder) is deleted once older than {@link #STALE}, an age no live write reaches.
 */
final class AtomicFile {
    static final Duration STALE = Duration.ofHours(1);
    /** {@code .<target>.<pid>-<random>.tmp}; files of older versions have no pid: {@code .<target>.<random>.tmp}. */
    private static final Pattern WRITER = Pattern.compile("(\\d+)-[0-9a-f]+\\.tmp");

    /** Writes the whole content through the channel, from position 0. */
    @FunctionalInterface
    interface Content {
        void writeTo(FileChannel channel) throws IOException;
    }

    private AtomicFile() {
    }

    /**
     * Replaces {@code target} with the content. A failure of the file system (no space, no permission, a
     * directory in the way) is a {@link FileSystemException} naming the target and the reason.
     */
    static void write(Path target, Content content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (Files.isDirectory(absolute)) {
            throw new FileSystemException(target.toString(), null, "is a directory; give a file name to write to");
        }
        // Same directory, so the rename stays within one file system and can be atomic. The name is
        // hidden and random so that concurrent writers of one target do not collide; CREATE_NEW (not
        // Files.createTempFile) keeps the permissions the umask gives a normal file.
        Path temp = temporary(absolute);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                content.writeTo(channel);
                channel.force(true);
            }
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteAfterFailure(temp, e);
            throw named(target, e);
        } catch (RuntimeException | Error e) {
            deleteAfterFailure(temp, e);
            throw e;
        }
        deleteLeftovers(absolute);
        syncDirectory(dir);
    }

    private static void deleteAfterFailure(Path temp, Throwable failure) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException cleanup) {
            failure.addSuppressed(cleanup);
        }
    }

    /** A new temporary file name for {@code target}, in its directory, marked with this process's id. */
    static Path temporary(Path target) {
        return target.resolveSibling(prefix(target) + ProcessHandle.current().pid() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
    }

    /**
     * Deletes the temporary files of earlier writes of {@code target} whose writers are gone. Best effort:
     * a temporary that cannot be listed or deleted stays; leftovers only cost disk space.
     */
    static void deleteLeftovers(Path target) {
        String prefix = prefix(target);
        Instant cutoff = Instant.now().minus(STALE);
        Path dir = target.toAbsolutePath().getParent();
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, p -> {
            String f = p.getFileName().toString();
            return f.startsWith(prefix) && f.endsWith(".tmp");
        })) {
            for (Path p : leftovers) {
                Matcher m = WRITER.matcher(p.getFileName().toString().substring(prefix.length()));
                boolean writerGone = m.matches() && !isRunning(Long.parseLong(m.group(1)));
                if (writerGone || Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Never fail a write over leftovers.
        }
    }

    private static boolean isRunning(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static String prefix(Path target) {
        return "." + target.getFileName() + ".";
    }

    /**
     * The JDK says "No space left on device" without a file, or names the hidden temporary file: say
     * which file could not be written.
     */
    private static IOException named(Path target, IOException e) {
        String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
                : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        IOException named = new FileSystemException(target.toString(), null, "cannot be written: " + reason);
        named.initCause(e);
        return named;
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
