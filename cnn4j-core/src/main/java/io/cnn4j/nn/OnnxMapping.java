package io.cnn4j.nn;

/**
 * How a kind of layer becomes ONNX nodes, declared in its {@link LayerType} with
 * {@link LayerType#exportsTo}: given the layer and the name of the value it reads, it adds its nodes
 * and initializers through {@code onnx} and returns the name of the value it computes (the input's own
 * name for a layer that computes nothing at inference, such as dropout).
 *
 * @param <M> the layer's class
 */
@FunctionalInterface
public interface OnnxMapping<M extends Module> {
    String export(M layer, OnnxScope onnx, String input);
}
