package io.cnn4j.onnx;

import io.cnn4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds an {@link OnnxGraph} a node at a time, in the order the nodes compute (which ONNX requires):
 * float inputs, initializers from cnn4j tensors, nodes of ONNX's own domain with one output each, and
 * the outputs. Every value and node gets a name of its own: a node named like an earlier one is
 * numbered ({@code /0/Add}, {@code /0/Add_1}) and its output is named after it
 * ({@code /0/Add_1_output_0}), as {@code torch.onnx.export} names them. A node may read only values
 * defined before it, so that a mistake shows where it is made rather than in a runtime.
 *
 * {@snippet :
 * GraphBuilder g = new GraphBuilder("scaled");
 * String x = g.input("input", ValueInfo.Dim.named("batch"), ValueInfo.Dim.of(4));
 * String w = g.initializer("scale.weight", Tensor.full(2f, 4));
 * g.output(g.node("/scale/Mul", "Mul", List.of(x, w)), "output", ValueInfo.Dim.named("batch"), ValueInfo.Dim.of(4));
 * OnnxGraph graph = g.build();
 * }
 */
public final class GraphBuilder {
    private final String name;
    private final List<OnnxNode> nodes = new ArrayList<>();
    private final List<OnnxTensor> initializers = new ArrayList<>();
    private final List<ValueInfo> inputs = new ArrayList<>();
    private final List<ValueInfo> outputs = new ArrayList<>();
    private final Set<String> values = new HashSet<>();
    private final Set<String> nodeNames = new HashSet<>();

    public GraphBuilder(String name) {
        this.name = name;
    }

    /** Declares a float input of the graph, a caller-fed value of these dims; returns its name. */
    public String input(String name, ValueInfo.Dim... dims) {
        define(name);
        inputs.add(ValueInfo.floats(name, dims));
        return name;
    }

    /** Adds a constant holding {@code value}'s elements and dims, called {@code name}; returns the name. */
    public String initializer(String name, Tensor value) {
        return initializer(OnnxTensor.ofFloats(name, value.toArray(), Arrays.stream(value.dims()).asLongStream().toArray()));
    }

    /** Adds the constant {@code value} under its own name; returns the name. */
    public String initializer(OnnxTensor value) {
        define(value.name());
        initializers.add(value);
        return value.name();
    }

    /**
     * Adds a node of ONNX's domain reading {@code inputs} (each defined already) and writing one value;
     * {@code name} is numbered when an earlier node has it. Returns the name of the value it writes.
     */
    public String node(String name, String opType, List<String> inputs, OnnxAttribute... attributes) {
        for (String input : inputs) {
            if (!values.contains(input)) {
                throw new IllegalArgumentException("node '" + name + "' (" + opType + ") reads '" + input
                        + "', which no input, initializer or earlier node defines");
            }
        }
        String unique = name;
        for (int n = 1; !nodeNames.add(unique); n++) {
            unique = name + "_" + n;
        }
        String output = unique + "_output_0";
        define(output);
        nodes.add(OnnxNode.of(unique, opType, inputs, List.of(output), attributes));
        return output;
    }

    /**
     * Declares {@code value} an output of the graph called {@code name}, of these dims: the node writing
     * it writes {@code name} instead, or an Identity node copies it there when no node writes it (an input
     * passed straight through).
     */
    public void output(String value, String name, ValueInfo.Dim... dims) {
        if (!values.contains(value)) {
            throw new IllegalArgumentException("output '" + name + "' is the value '" + value + "', which nothing defines");
        }
        int writer = writerOf(value);
        if (writer < 0 || value.equals(name)) {
            if (!value.equals(name)) {
                define(name);
                nodes.add(OnnxNode.of("/" + name + "/Identity", "Identity", List.of(value), List.of(name)));
            }
        } else {
            define(name);
            values.remove(value);
            for (int i = 0; i < nodes.size(); i++) {
                nodes.set(i, renamed(nodes.get(i), value, name));
            }
        }
        outputs.add(ValueInfo.floats(name, dims));
    }

    private int writerOf(String value) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).outputs().contains(value)) {
                return i;
            }
        }
        return -1;
    }

    private static OnnxNode renamed(OnnxNode node, String from, String to) {
        List<String> in = node.inputs().stream().map(v -> v.equals(from) ? to : v).toList();
        List<String> out = node.outputs().stream().map(v -> v.equals(from) ? to : v).toList();
        return new OnnxNode(node.name(), node.opType(), node.domain(), in, out, node.attributes());
    }

    private void define(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("a value of graph '" + name + "' needs a name");
        }
        if (!values.add(value)) {
            throw new IllegalArgumentException("graph '" + name + "' already has a value called '" + value + "'");
        }
    }

    /** The graph as built so far. */
    public OnnxGraph build() {
        return new OnnxGraph(name, nodes, initializers, inputs, outputs, List.of());
    }
}
