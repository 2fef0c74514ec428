package io.cnn4j.io;

import io.cnn4j.nn.Module;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A model loaded from a model file, with the file's metadata (format, version, architecture, name, ...). */
public record SavedModel(Module model, Map<String, String> metadata) {

    public SavedModel {
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** The name it was saved under ({@code "seed"}, ...), or null when the file does not say. */
    public String modelName() {
        return metadata.get(ModelFile.MODEL_NAME_KEY);
    }
}
