package io.cnn4j.limits;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Checks a file before it is opened for reading. Opening a FIFO blocks until something writes to it,
 * and a device such as {@code /dev/zero} never ends, so every file cnn4j reads by path must be a
 * regular file (symbolic links are followed); its size is then known and can bound what a reader
 * believes of the file's own claims.
 */
public final class InputFiles {
    private InputFiles() {
    }

    /**
     * Returns the size of {@code path} if it is a regular file that can be read; otherwise throws an
     * {@link InputFileException} whose message starts with {@code what} and the path, such as
     * {@code "model description /tmp/fifo is not a regular file (a FIFO) ..."}.
     */
    public static long requireRegularFile(Path path, String what) throws InputFileException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new InputFileException(path, what + " " + path + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new InputFileException(path, what + " " + path + " cannot be read: permission denied", e);
        } catch (IOException e) {
            throw new InputFileException(path, what + " " + path + " cannot be read: " + e.getMessage(), e);
        }
        if (attributes.isDirectory()) {
            throw new InputFileException(path, what + " " + path + " is a directory, not a file", null);
        }
        if (!attributes.isRegularFile()) {
            throw new InputFileException(path, what + " " + path + " is not a regular file (" + kind(path)
                    + "); cnn4j reads only regular files, so that reading cannot block or never end", null);
        }
        if (!Files.isReadable(path)) {
            throw new InputFileException(path, what + " " + path + " cannot be read: permission denied", null);
        }
        return attributes.size();
    }

    /**
     * Like {@link #requireRegularFile}, and also refuses a file larger than {@code limit} bytes, naming
     * both sizes: for files read whole into memory (descriptions, options), where a larger one is a mistake.
     */
    public static long requireRegularFile(Path path, String what, long limit) throws InputFileException {
        long size = requireRegularFile(path, what);
        if (size > limit) {
            throw new InputFileException(path, what + " " + path + " is " + MemoryBudget.format(size)
                    + ", more than the " + MemoryBudget.format(limit) + " such a file may have", null);
        }
        return size;
    }

    /** What a file that is not regular is, in words. */
    private static String kind(Path path) {
        try {
            Object mode = Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if (mode instanceof Integer m) {
                return switch (m & 0xF000) {
                    case 0x1000 -> "a FIFO";
                    case 0x2000 -> "a character device";
                    case 0x6000 -> "a block device";
                    case 0xC000 -> "a socket";
                    default -> "not a plain file";
                };
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // Not a POSIX file system: say less.
        }
        return "a device, FIFO or socket";
    }
}
