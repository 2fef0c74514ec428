package io.cnn4j.io;

import io.cnn4j.tensor.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The contents of a safetensors file: its tensors as float32, by name in header order, and its
 * {@code __metadata__} strings (empty when the file has none).
 */
public record TensorFile(LinkedHashMap<String, Tensor> tensors, Map<String, String> metadata) {

    public TensorFile {
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }
}
