package io.cnn4j.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that is not a valid safetensors file, or holds data cnn4j cannot use. The message starts with
 * the file and names the offending tensor: {@code "model.safetensors: tensor '0.weight' has data_offsets
 * [0, 400] but only 96 bytes of data follow the header (truncated file?)"}.
 */
public final class SafeTensorsException extends IOException {
    private final transient Path file;

    public SafeTensorsException(Path file, String problem) {
        // Tensor names and keys come from the file: they must not break the message's line or the terminal.
        super(file + ": " + StrictJson.printable(problem));
        this.file = file;
    }

    /** The file that was read or written. */
    public Path file() {
        return file;
    }
}
