package io.cnn4j.onnx;

import java.util.List;
import java.util.Objects;

/**
 * A model's graph: nodes in the order the file lists them (ONNX requires topological order, which an
 * importer checks rather than trusts), constant tensors, and the declared inputs, outputs and
 * intermediate values. Inputs that are also initializers are constants, not inputs a caller feeds.
 */
public record OnnxGraph(String name, List<OnnxNode> nodes, List<OnnxTensor> initializers, List<ValueInfo> inputs,
                        List<ValueInfo> outputs, List<ValueInfo> valueInfo) {

    public OnnxGraph {
        Objects.requireNonNull(name, "name");
        nodes = List.copyOf(nodes);
        initializers = List.copyOf(initializers);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        valueInfo = List.copyOf(valueInfo);
    }

    /** The initializer called {@code name}, or null. */
    public OnnxTensor initializer(String name) {
        for (OnnxTensor t : initializers) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
