package io.cnn4j.train;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that is not a usable training checkpoint: not one at all, written by an incompatible version,
 * or damaged. The message starts with the file.
 */
public final class CheckpointException extends IOException {
    private final transient Path file;

    public CheckpointException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The checkpoint that was read. */
    public Path file() {
        return file;
    }
}
