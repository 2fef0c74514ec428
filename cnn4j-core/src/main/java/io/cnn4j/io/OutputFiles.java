package io.cnn4j.io;

import io.cnn4j.limits.MemoryBudget;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks, before a long computation starts, that its results can be written: a run that trains for an
 * hour and then finds its output folder missing, read-only or full has lost the hour. cnn4j's writers
 * replace files atomically ({@link SafeTensors#write}), so a check here writes and deletes a temporary
 * file beside the target and never touches the target itself.
 */
public final class OutputFiles {
    private OutputFiles() {
    }

    /**
     * Makes sure {@code target} can be replaced by a file of about {@code bytes} bytes: creates its folder
     * if missing, checks that the target is not a folder, that a file can be created beside it, and that
     * the file system has that much space free (an existing target's space is not counted: the new file is
     * written beside it before it is replaced). Deletes the temporary files that killed writers of the
     * target left behind.
     *
     * @param what the output as the user knows it, such as {@code "--save"}, named in every message
     * @throws FileSystemException naming the path and what is wrong
     */
    public static void check(Path target, long bytes, String what) throws IOException {
        prepare(target, what);
        requireSpace(target, bytes, what);
    }

    /**
     * The part of {@link #check} that needs no size, for a program that claims its outputs before it
     * knows how large they will be: the folder, a file creatable beside the target, and the leftovers.
     */
    public static void prepare(Path target, String what) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        if (Files.isDirectory(absolute)) {
            throw problem(what, target, "is a folder; give a file name to write to");
        }
        Path dir = absolute.getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw problem(what, target, "its folder " + dir + " does not exist and cannot be created ("
                    + reason(e) + ")");
        }
        Path probe = AtomicFile.temporary(absolute);
        try {
            Files.createFile(probe);
        } catch (IOException e) {
            throw problem(what, target, "no file can be created in " + dir + " (" + reason(e) + ")");
        } finally {
            Files.deleteIfExists(probe);
        }
        AtomicFile.deleteLeftovers(absolute);
    }

    /** The rest of {@link #check}: the target's file system has {@code bytes} free. Its folder must exist. */
    public static void requireSpace(Path target, long bytes, String what) throws IOException {
        Path dir = target.toAbsolutePath().normalize().getParent();
        long usable = Files.getFileStore(dir).getUsableSpace();
        if (usable < bytes) {
            throw problem(what, target, "it needs about " + MemoryBudget.format(bytes) + " but " + dir + " has "
                    + MemoryBudget.format(usable) + " free");
        }
    }

    /**
     * Replaces {@code target} with {@code content} atomically: readers see the old file or the new one,
     * never a part, and a failure leaves the old file as it was.
     */
    public static void replace(Path target, byte[] content) throws IOException {
        AtomicFile.write(target, channel -> {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        });
    }

    private static FileSystemException problem(String what, Path target, String reason) {
        return new FileSystemException(target.toString(), null, "cannot write " + what + ": " + reason);
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
