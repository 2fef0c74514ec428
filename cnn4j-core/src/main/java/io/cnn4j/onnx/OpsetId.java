package io.cnn4j.onnx;

import java.util.Objects;

/** An operator set a model uses: its domain ({@code ""} for the default ONNX domain) and version. */
public record OpsetId(String domain, long version) {
    public OpsetId {
        Objects.requireNonNull(domain, "domain");
    }
}
