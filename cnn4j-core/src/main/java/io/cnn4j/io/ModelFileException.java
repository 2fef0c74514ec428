package io.cnn4j.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A valid safetensors file that is not a usable cnn4j model: it has no architecture, its architecture
 * cannot be built, or its weights do not fit the model. The message starts with the file and names
 * the tensor and both shapes where they differ.
 */
public final class ModelFileException extends IOException {
    private final transient Path file;

    public ModelFileException(Path file, String problem, Throwable cause) {
        // Tensor names and keys come from the file: they must not break the message's line or the terminal.
        super(file + ": " + StrictJson.printable(problem), cause);
        this.file = file;
    }

    public ModelFileException(Path file, String problem) {
        this(file, problem, null);
    }

    /** The model file that was read or written. */
    public Path file() {
        return file;
    }
}
