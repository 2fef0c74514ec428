package io.cnn4j.cli;

import io.cnn4j.data.Normalize;
import io.cnn4j.io.SavedModel;

import java.util.Map;

/**
 * The normalisation a model was trained with travels in its file's metadata, so that {@code eval} and
 * {@code predict} feed it images the way training did.
 */
final class InputNormalization {
    /** Metadata key; the value is {@link Normalize#spec()}, e.g. {@code 0.286:0.353}. */
    static final String KEY = "cnn4j.normalize";

    private InputNormalization() {
    }

    /** The model's normalisation, or null when it was trained on plain [0, 1] pixels. */
    static Normalize of(SavedModel model) {
        String spec = model.metadata().get(KEY);
        return spec == null ? null : Normalize.parse(spec);
    }

    /** Adds {@code normalize} (if any) to a model file's metadata. */
    static void record(Normalize normalize, Map<String, String> metadata) {
        if (normalize != null) {
            metadata.put(KEY, normalize.spec());
        }
    }
}
