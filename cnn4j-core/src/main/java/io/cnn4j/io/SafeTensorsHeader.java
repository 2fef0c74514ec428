package io.cnn4j.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a safetensors file says about itself, without its tensor data: every tensor in header order, the
 * free-form {@code __metadata__} strings, and where the data section starts in the file.
 */
public record SafeTensorsHeader(List<TensorInfo> tensors, Map<String, String> metadata, long dataStart) {

    public SafeTensorsHeader {
        tensors = List.copyOf(tensors);
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** Total number of elements over all tensors: for a model file, its parameter count. */
    public long elementCount() {
        long n = 0;
        for (TensorInfo t : tensors) {
            n += t.elementCount();
        }
        return n;
    }
}
