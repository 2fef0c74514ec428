package io.cnn4j.data;

import java.io.IOException;

/**
 * A data file (or directory) that is missing, malformed or inconsistent with its partner. The message
 * is one sentence that names the file, such as {@code "data/train-images-idx3-ubyte.gz is truncated:
 * its header promises 47040016 bytes but it holds 1000 (after gzip decompression)"}, so a command-line
 * tool can print it as it is.
 */
public final class DataFileException extends IOException {
    private final String source;

    public DataFileException(String source, String message) {
        super(message);
        this.source = source;
    }

    public DataFileException(String source, String message, Throwable cause) {
        super(message, cause);
        this.source = source;
    }

    /** An exception's message, or its kind when it has none: a message must never read "null". */
    static String reason(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /** The file, directory or classpath resource the problem is about, as the message names it. */
    public String source() {
        return source;
    }
}
