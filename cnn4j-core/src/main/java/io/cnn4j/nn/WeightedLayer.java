package io.cnn4j.nn;

import io.cnn4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * What the layers with a {@code weight} and an optional {@code bias [C_out]} share: registering the two under
 * PyTorch's names in that order (so state dicts line up), the accessors, and the input list of their ONNX node.
 * Each layer still owns its settings, shapes and initialisation, which differ.
 */
abstract sealed class WeightedLayer extends Module permits Conv2d, ConvTranspose2d, ConvNd, Linear {
    final Tensor weight;
    final Tensor bias;

    /** Zeros until drawn or loaded: the forward pass refuses to run until then. */
    WeightedLayer(int[] weightShape, int outputs, boolean withBias) {
        weight = registerParameter("weight", Tensor.zeros(weightShape));
        bias = withBias ? registerParameter("bias", Tensor.zeros(outputs)) : null;
        requireInitialization();
    }

    public Tensor weight() {
        return weight;
    }

    /** The bias, or null for a layer built without one. */
    public Tensor bias() {
        return bias;
    }

    /** {@code x}, the weight and the bias if there is one: the inputs of an ONNX Conv, ConvTranspose or Gemm node. */
    final List<String> onnxInputs(OnnxScope onnx, String x) {
        List<String> inputs = new ArrayList<>(List.of(x, onnx.parameter("weight", weight)));
        if (bias != null) {
            inputs.add(onnx.parameter("bias", bias));
        }
        return inputs;
    }
}
