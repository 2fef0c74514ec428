package io.cnn4j.nn;

import io.cnn4j.tensor.Shape;

import java.util.Arrays;
import java.util.stream.IntStream;

import static io.cnn4j.nn.LayerType.Kind.SIZES;
import static io.cnn4j.nn.LayerType.Kind.WHOLE;

/**
 * PyTorch's {@code nn.Unflatten(dim, unflattened_size)}: dimension {@code dim} (negative counts from the end)
 * split into {@code unflattened_size}, whose product it must be; the inverse of {@link Flatten}.
 * {@code Unflatten(1, [2, 4])} turns {@code [N, 8, H, W]} into {@code [N, 2, 4, H, W]}, a clip of 4 frames.
 */
public final class Unflatten extends ReshapeLayer {
    public static final LayerType TYPE = LayerType.of("Unflatten", c -> new Unflatten(c.intArg("dim"), c.intsArg("unflattened_size")))
            .require("dim", WHOLE).require("unflattened_size", SIZES)
            .exportsTo(Unflatten.class, (layer, onnx, x) -> reshape(onnx, x, layer.outputShape(onnx.inputShape())));

    private final int dim;
    private final int[] sizes;

    public Unflatten(int dim, int... unflattenedSize) {
        if (unflattenedSize.length == 0 || Arrays.stream(unflattenedSize).min().getAsInt() < 1) {
            throw new IllegalArgumentException("Unflatten: unflattened_size must be sizes >= 1, got "
                    + Arrays.toString(unflattenedSize));
        }
        this.dim = dim;
        this.sizes = unflattenedSize.clone();
    }

    @Override
    public Shape outputShape(Shape input) {
        int rank = input.rank();
        int d = axis(dim, rank);
        long product = Arrays.stream(sizes).asLongStream().reduce(1, (a, b) -> a * b);
        if (d < 0 || d >= rank || input.dim(d) != product) {
            throw new IllegalArgumentException(this + " cannot unflatten input " + input + ": "
                    + (d < 0 || d >= rank ? "it has no dimension " + dim : "dimension " + dim + " holds " + input.dim(d)
                    + ", not " + product));
        }
        int[] dims = input.dims();
        return Shape.of(IntStream.concat(IntStream.concat(Arrays.stream(dims, 0, d), Arrays.stream(sizes)),
                Arrays.stream(dims, d + 1, rank)).toArray());
    }

    @Override
    public LayerConfig config() {
        return TYPE.config("dim", dim, "unflattened_size", IntStream.of(sizes).boxed().toList());
    }

    @Override
    public String toString() {
        String tuple = String.join(", ", IntStream.of(sizes).mapToObj(Integer::toString).toList());
        return "Unflatten(dim=" + dim + ", unflattened_size=(" + tuple + (sizes.length == 1 ? ",))" : "))");
    }
}
