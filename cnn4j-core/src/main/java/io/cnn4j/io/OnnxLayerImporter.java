package io.cnn4j.io;

import io.cnn4j.nn.Module;
import io.cnn4j.onnx.OnnxNode;
import io.cnn4j.onnx.OnnxTensor;
import io.cnn4j.tensor.Shape;

import java.util.List;

/**
 * Turns one ONNX node into the cnn4j layer that computes it, for {@link OnnxImport}: cnn4j's own layers
 * have one each, and a layer of one's own gets one through {@link OnnxImport#with}.
 *
 * {@snippet :
 * OnnxImport importer = OnnxImport.builtIn().with("Swish", (node, constants, input) -> new Swish());
 * }
 */
@FunctionalInterface
public interface OnnxLayerImporter {

    /**
     * The layer, its weights set, that computes {@code node} on one input of shape {@code input} (the batch
     * dimension 1). {@code constants} holds the node's inputs after the first, which must be constants
     * (initializers or Constant nodes), in order; an omitted optional input is null.
     *
     * @throws IllegalArgumentException naming the attribute or input whose value the layer cannot take
     */
    Module build(OnnxNode node, List<OnnxTensor> constants, Shape input);
}
