package io.cnn4j.onnx;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An ONNX model as cnn4j reads and writes it: the format's IR version, the operator sets it uses, who
 * produced it, its graph, and its metadata_props (key/value strings, in file order).
 */
public record OnnxModel(long irVersion, List<OpsetId> opsets, String producerName, String producerVersion,
                        OnnxGraph graph, Map<String, String> metadata) {

    public OnnxModel {
        opsets = List.copyOf(opsets);
        Objects.requireNonNull(producerName, "producerName");
        Objects.requireNonNull(producerVersion, "producerVersion");
        Objects.requireNonNull(graph, "graph");
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** The version of the default ONNX operator set, or -1 when the model imports none. */
    public long opsetVersion() {
        for (OpsetId o : opsets) {
            if (o.domain().isEmpty() || o.domain().equals("ai.onnx")) {
                return o.version();
            }
        }
        return -1;
    }
}
