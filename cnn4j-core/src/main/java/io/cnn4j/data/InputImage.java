package io.cnn4j.data;

import io.cnn4j.tensor.Tensor;

import java.util.List;

/**
 * An image ready for a model: {@code tensor} is {@code [1, C, H, W]} in [0, 1], {@code source} names the
 * file (or {@code file#index} for an image out of an IDX file), and {@code notes} says what was done to
 * make it fit, such as {@code "composited transparent areas over black"}, for a tool to show the user.
 */
public record InputImage(Tensor tensor, String source, List<String> notes) {
    public InputImage {
        notes = List.copyOf(notes);
    }
}
