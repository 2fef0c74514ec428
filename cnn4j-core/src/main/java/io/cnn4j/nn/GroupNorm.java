package io.cnn4j.nn;

import io.cnn4j.autograd.Functional;
import io.cnn4j.onnx.OnnxAttribute;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * Group normalisation (Wu and He, 2018), PyTorch's {@code nn.GroupNorm}: the channels of {@code [N, C, *]}
 * in {@code num_groups} groups, each sample's group normalised with its own statistics, then each channel
 * scaled and shifted ({@code weight} and {@code bias} {@code [C]}). Independent of the batch size, so it
 * serves where batches are small. One group is LayerNorm over {@code [C, *]} with per-channel affine; C
 * groups is instance normalisation ({@link InstanceNorm2d}).
 */
public final class GroupNorm extends AffineNorm {
    public static final LayerType TYPE = LayerType.of("GroupNorm",
                    c -> new GroupNorm(c.intArg("num_groups"), c.intArg("num_channels"), c.doubleArg("eps"), c.boolArg("affine")))
            .require("num_groups", LayerType.Kind.WHOLE)
            .require("num_channels", LayerType.Kind.WHOLE)
            .optional("eps", LayerType.Kind.NUMBER, 1e-5)
            .optional("affine", LayerType.Kind.BOOLEAN, true)
            .exportsTo(GroupNorm.class, GroupNorm::toOnnx);

    private final int groups;
    private final int channels;

    public GroupNorm(int numGroups, int numChannels) {
        this(numGroups, numChannels, 1e-5, true);
    }

    public GroupNorm(int numGroups, int numChannels, double eps, boolean affine) {
        super("GroupNorm", eps, affine, checked(numGroups, numChannels));
        this.groups = numGroups;
        this.channels = numChannels;
    }

    private static int checked(int groups, int channels) {
        if (groups < 1 || channels < 1 || channels % groups != 0) {
            throw new IllegalArgumentException("GroupNorm: num_channels (" + channels + ") must be a positive multiple of"
                    + " num_groups (" + groups + ")");
        }
        return channels;
    }

    @Override
    protected Tensor compute(Tensor input) {
        checkInput(input.shape());
        return Functional.groupNorm(input, groups, weight, bias, eps);
    }

    /**
     * Opset 17 has no GroupNormalization: the groups become the channels of an InstanceNormalization over
     * {@code [N, G, rest]}, reshaped back, then each channel scaled and shifted.
     */
    private String toOnnx(OnnxScope onnx, String x) {
        String grouped = onnx.node("Reshape", List.of(x, onnx.constant("groups_shape", new long[] {0, groups, -1})));
        String normalised = onnx.node("InstanceNormalization", List.of(grouped, onnx.constant("ones", Tensor.full(1f, groups)),
                onnx.constant("zeros", Tensor.zeros(groups))), OnnxAttribute.of("epsilon", eps));
        String back = onnx.node("Reshape", List.of(normalised, onnx.node("Shape", List.of(x))));
        if (weight == null) {
            return back;
        }
        long[] perChannel = new long[onnx.inputShape().rank() - 1];
        Arrays.fill(perChannel, 1);
        perChannel[0] = channels;
        String shape = onnx.constant("affine_shape", perChannel);
        String scale = onnx.node("Reshape", List.of(onnx.parameter("weight", weight), shape));
        String shift = onnx.node("Reshape", List.of(onnx.parameter("bias", bias), shape));
        return onnx.node("Add", List.of(onnx.node("Mul", List.of(back, scale)), shift));
    }

    @Override
    void checkInput(Shape input) {
        if (input.rank() < 2 || input.dim(1) != channels) {
            throw new IllegalArgumentException(this + " expects input [N, " + channels + ", ...], got " + input);
        }
    }

    @Override
    public LayerConfig config() {
        return TYPE.config("num_groups", groups, "num_channels", channels, "eps", (double) eps, "affine", weight != null);
    }

    @Override
    public String toString() {
        return "GroupNorm(" + groups + ", " + channels + ", eps=" + eps + ", affine=" + (weight != null ? "True" : "False") + ")";
    }
}
