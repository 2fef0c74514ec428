package io.cnn4j.nn;

import io.cnn4j.onnx.GraphBuilder;
import io.cnn4j.onnx.OnnxAttribute;
import io.cnn4j.onnx.OnnxTensor;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

import java.util.List;

/**
 * Where one layer's ONNX nodes go while a model is exported: the graph being built, the layer's path in
 * the model ({@code "features.0"}, the names its parameters carry) and the shape of its input for one
 * image. Its nodes are named {@code /<path>/<OpType>} and its parameters {@code <path>.<name>}, as
 * {@code torch.onnx.export} names them, so that an exported file reads like PyTorch's.
 */
public final class OnnxScope {
    private final GraphBuilder graph;
    private final LayerRegistry layers;
    private final String path;
    private final Module layer;
    private final Shape input;

    private OnnxScope(GraphBuilder graph, LayerRegistry layers, String path, Module layer, Shape input) {
        this.graph = graph;
        this.layers = layers;
        this.path = path;
        this.layer = layer;
        this.input = input;
    }

    /**
     * Adds {@code model}'s nodes to {@code graph}, reading the value {@code input}, a batch of one of
     * shape {@code inputShape}; returns the name of the value the model computes. Each layer is exported
     * by the mapping its type in {@code layers} declares.
     *
     * @throws IllegalArgumentException naming the first layer that cannot be exported, by its path and type
     */
    public static String export(Module model, LayerRegistry layers, GraphBuilder graph, String input, Shape inputShape) {
        return new OnnxScope(graph, layers, "", model, inputShape).export(input);
    }

    private String export(String value) {
        LayerType type = layers.find(layer.config().type()).orElse(null);
        if (type == null) {
            throw unsupported("its type '" + layer.config().type() + "' is not in the layer registry " + layers.names()
                    + "; export it with a LayerRegistry that holds its LayerType");
        }
        if (type.onnxMapping() == null) {
            throw unsupported("its type '" + type.name() + "' declares no ONNX mapping (LayerType.exportsTo)");
        }
        if (!type.isContainer()) {
            outputShape(); // an input the layer refuses is reported before its mapping reads the shape
        }
        String output = type.onnxMapping().export(layer, this, value);
        outputShape();
        return output;
    }

    /** The shape the layer gives for this input, refused in the layer's name when it cannot take it. */
    Shape outputShape() {
        try {
            return layer.outputShape(input);
        } catch (IllegalArgumentException e) {
            throw unsupported(e.getMessage());
        }
    }

    /** The layer's path in the model, {@code ""} for the model itself. */
    public String path() {
        return path;
    }

    /** The shape of the layer's input for one image: {@code [1, C, H, W]}, or {@code [1, F]} after a Flatten. */
    public Shape inputShape() {
        return input;
    }

    /** Adds a node named {@code /<path>/<opType>} reading {@code inputs}; returns the name of the value it writes. */
    public String node(String opType, List<String> inputs, OnnxAttribute... attributes) {
        return graph.node("/" + path + (path.isEmpty() ? "" : "/") + opType, opType, inputs, attributes);
    }

    /** Adds the layer's parameter or buffer {@code name} as the initializer {@code <path>.<name>}; returns that name. */
    public String parameter(String name, Tensor value) {
        return graph.initializer(path.isEmpty() ? name : path + "." + name, value);
    }

    /**
     * Adds a constant the layer computes with that is none of its parameters, as the initializer
     * {@code /<path>/<name>} (a name no parameter has); returns that name.
     */
    public String constant(String name, Tensor value) {
        return graph.initializer("/" + path + (path.isEmpty() ? "" : "/") + name, value);
    }

    /**
     * Adds the layer's counter {@code name} (a batch norm's {@code num_batches_tracked}) as an int64 scalar
     * initializer {@code <path>.<name>} that no node reads: ONNX has no use for it, but a model imported
     * again keeps it.
     */
    public String counter(String name, long value) {
        return graph.initializer(OnnxTensor.ofLongs(path.isEmpty() ? name : path + "." + name, new long[] {value}));
    }

    /** Adds a one-dimensional int64 constant (a shape for Reshape, axes), named as {@link #constant(String, Tensor)}. */
    public String constant(String name, long[] values) {
        return graph.initializer(OnnxTensor.ofLongs("/" + path + (path.isEmpty() ? "" : "/") + name, values, values.length));
    }

    /** Exports the layer's child {@code name} reading {@code input}; returns the name of the value it computes. */
    public String child(String name, Module child, String input) {
        return new OnnxScope(graph, layers, path.isEmpty() ? name : path + "." + name, child, this.input).export(input);
    }

    /**
     * Exports the children in turn, each reading what the one before computed: a chain, as in a
     * {@link Sequential}. Returns the name of the last one's value ({@code input} when there are none).
     */
    public String chain(List<String> names, List<Module> children, String input) {
        String value = input;
        Shape shape = this.input;
        for (int i = 0; i < children.size(); i++) {
            OnnxScope scope = new OnnxScope(graph, layers, path.isEmpty() ? names.get(i) : path + "." + names.get(i),
                    children.get(i), shape);
            value = scope.export(value);
            shape = scope.outputShape();
        }
        return value;
    }

    /** The error for a layer this export cannot write: one sentence naming its path and type, and why. */
    public IllegalArgumentException unsupported(String why) {
        String type = layers.find(layer.config().type()).map(LayerType::isContainer).orElse(false)
                ? layer.config().type() : layer.toString();
        return new IllegalArgumentException("cannot export " + (path.isEmpty() ? "the model" : "layer '" + path + "'")
                + " (" + type + ") to ONNX: " + why);
    }
}
