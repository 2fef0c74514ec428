package io.cnn4j.onnx;

import java.io.IOException;

/**
 * A file that is not an ONNX model cnn4j can read: truncated, with lengths that lie, with a tensor whose
 * data does not match its dims, or with a construct cnn4j refuses. The message names the file and what
 * was wrong, in one sentence.
 */
public final class OnnxFormatException extends IOException {
    public OnnxFormatException(String message) {
        super(message);
    }
}
