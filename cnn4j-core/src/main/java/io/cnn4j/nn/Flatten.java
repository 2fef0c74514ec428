package io.cnn4j.nn;

import io.cnn4j.onnx.OnnxAttribute;
import io.cnn4j.tensor.Shape;

import java.util.Arrays;
import java.util.List;

import static io.cnn4j.nn.LayerType.Kind.WHOLE;

/**
 * PyTorch's {@code nn.Flatten(start_dim=1, end_dim=-1)}: dimensions {@code start_dim} to {@code end_dim} (negative
 * ones count from the end) merged into one, in C order. The defaults turn {@code [N, C, H, W]} into
 * {@code [N, C*H*W]}; {@code Flatten(1, 2)} turns a {@code [N, 1, 28, 28]} image into a {@code [N, 28, 28]}
 * sequence of 28 channels.
 */
public final class Flatten extends ReshapeLayer {
    public static final LayerType TYPE = LayerType.of("Flatten", c -> new Flatten(c.intArg("start_dim"), c.intArg("end_dim")))
            .optional("start_dim", WHOLE, 1).optional("end_dim", WHOLE, -1)
            .exportsTo(Flatten.class, Flatten::toOnnx);

    private final int startDim;
    private final int endDim;

    public Flatten() {
        this(1, -1);
    }

    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Shape outputShape(Shape input) {
        int rank = input.rank();
        int start = axis(startDim, rank);
        int end = axis(endDim, rank);
        if (rank == 0 || start < 0 || end >= rank || start > end) {
            throw new IllegalArgumentException(this + " cannot flatten input " + input + ": it has no dimensions "
                    + startDim + " to " + endDim);
        }
        int[] dims = input.dims();
        int[] out = new int[rank - (end - start)];
        System.arraycopy(dims, 0, out, 0, start);
        out[start] = Math.toIntExact(Arrays.stream(dims, start, end + 1).asLongStream().reduce(1, Math::multiplyExact));
        System.arraycopy(dims, end + 1, out, start + 1, rank - end - 1);
        return Shape.of(out);
    }

    /** ONNX's Flatten for the default (everything after the batch), else a Reshape to the shape the input makes. */
    private String toOnnx(OnnxScope onnx, String x) {
        Shape input = onnx.inputShape();
        if (startDim == 1 && (endDim == -1 || endDim == input.rank() - 1)) {
            return onnx.node("Flatten", List.of(x), OnnxAttribute.of("axis", 1L));
        }
        return reshape(onnx, x, outputShape(input));
    }

    @Override
    public LayerConfig config() {
        // The defaults stay unsaid, so that the descriptions of models made before the arguments existed stay as they were.
        return startDim == 1 && endDim == -1 ? LayerConfig.of("Flatten") : TYPE.config("start_dim", startDim, "end_dim", endDim);
    }

    @Override
    public String toString() {
        return startDim == 1 && endDim == -1 ? "Flatten()" : "Flatten(start_dim=" + startDim + ", end_dim=" + endDim + ")";
    }
}
