package io.cnn4j.nn;

import io.cnn4j.autograd.Functional;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * What {@link Flatten} and {@link Unflatten} share: they move no data, only regroup dimensions, so each runs as a
 * reshape to its {@link #outputShape} (which also checks the input) and exports as an ONNX Reshape.
 */
abstract sealed class ReshapeLayer extends Module permits Flatten, Unflatten {
    @Override
    protected final Tensor compute(Tensor input) {
        return Functional.reshape(input, outputShape(input.shape()).dims());
    }

    /** Dimension {@code dim} of a rank-{@code rank} input, negative ones counting from the end as in PyTorch. */
    static int axis(int dim, int rank) {
        return dim < 0 ? dim + rank : dim;
    }

    /** A Reshape of {@code x} to {@code shape}, the batch dimension copied from the input (ONNX's 0). */
    static String reshape(OnnxScope onnx, String x, Shape shape) {
        long[] dims = Arrays.stream(shape.dims()).asLongStream().toArray();
        dims[0] = 0;
        return onnx.node("Reshape", List.of(x, onnx.constant("shape", dims)));
    }
}
