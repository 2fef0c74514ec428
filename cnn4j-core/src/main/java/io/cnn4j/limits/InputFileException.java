package io.cnn4j.limits;

import java.io.IOException;
import java.nio.file.Path;

/** A file that cannot be read as input: missing, unreadable, a directory, a FIFO or device, or too large. */
public final class InputFileException extends IOException {
    private final transient Path file;

    public InputFileException(Path file, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    /** The file the message is about. */
    public Path file() {
        return file;
    }
}
