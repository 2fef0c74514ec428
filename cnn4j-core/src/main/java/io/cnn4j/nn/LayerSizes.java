package io.cnn4j.nn;

import io.cnn4j.tensor.Shape;

import java.util.function.UnaryOperator;

/**
 * What a leaf layer's description says of its sizes before it is built: the layer as code would construct
 * it ({@code Linear(4608, 10)}), how many parameters and buffer values it would hold, and the shape of
 * its output for an input shape (throwing as its forward pass would). A {@link LayerType} that makes
 * them itself ({@link LayerType#sizedBy}) allocates nothing and draws no random numbers, whatever sizes
 * the description claims.
 */
public record LayerSizes(String layer, long parameters, long buffers, UnaryOperator<Shape> shape) {
}
