package io.cnn4j.onnx;

import java.util.List;
import java.util.Objects;

/**
 * One operation of a graph: its op type in a domain ({@code ""} is ONNX's own), the names of the values it
 * reads and writes (an empty input name is an omitted optional input), and its attributes.
 */
public record OnnxNode(String name, String opType, String domain, List<String> inputs, List<String> outputs,
                       List<OnnxAttribute> attributes) {

    public OnnxNode {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(opType, "opType");
        Objects.requireNonNull(domain, "domain");
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributes = List.copyOf(attributes);
    }

    /** A node of ONNX's own domain. */
    public static OnnxNode of(String name, String opType, List<String> inputs, List<String> outputs,
                              OnnxAttribute... attributes) {
        return new OnnxNode(name, opType, "", inputs, outputs, List.of(attributes));
    }

    /** The attribute called {@code name}, or null when the node has none of that name. */
    public OnnxAttribute attribute(String name) {
        for (OnnxAttribute a : attributes) {
            if (a.name().equals(name)) {
                return a;
            }
        }
        return null;
    }

    /** An INT attribute's value, or {@code otherwise} when absent. */
    public long intAttribute(String name, long otherwise) {
        OnnxAttribute a = attribute(name);
        return a == null ? otherwise : a.intValue();
    }

    /** A FLOAT attribute's value, or {@code otherwise} when absent. */
    public float floatAttribute(String name, float otherwise) {
        OnnxAttribute a = attribute(name);
        return a == null ? otherwise : a.floatValue();
    }

    /** An INTS attribute's values, or {@code otherwise} when absent. */
    public long[] intsAttribute(String name, long[] otherwise) {
        OnnxAttribute a = attribute(name);
        return a == null ? otherwise : a.ints();
    }

    /** A STRING attribute's value, or {@code otherwise} when absent. */
    public String stringAttribute(String name, String otherwise) {
        OnnxAttribute a = attribute(name);
        return a == null ? otherwise : a.stringValue();
    }

    /** How messages name the node: {@code "node 'Conv_0' (Conv)"}. */
    public String describe() {
        return "node '" + (name.isEmpty() ? outputs.isEmpty() ? "?" : outputs.getFirst() : name) + "' (" + (domain.isEmpty() ? "" : domain + ".") + opType + ")";
    }
}
