package io.cnn4j.nn;

import io.cnn4j.autograd.Conv2dSpec;
import io.cnn4j.autograd.Functional;
import io.cnn4j.tensor.Tensor;

/**
 * 1-D convolution over sequences {@code [N, C_in, L]}, giving {@code [N, C_out, L_out]}: PyTorch's
 * {@code nn.Conv1d}, weight {@code [C_out, C_in/groups, k]}. It runs as a 2-D convolution of one row with a
 * {@code 1 x k} kernel, so it takes the same vectorised paths as {@link Conv2d}.
 */
public final class Conv1d extends ConvNd implements ReluFusable {
    /** PyTorch's {@code nn.Conv1d} arguments; sized without building the weights. */
    public static final LayerType TYPE = ConvNd.type(1, Conv1d::new).exportsTo(Conv1d.class, Conv1d::toOnnx);

    private final Conv2dSpec spec;

    public Conv1d(int inChannels, int outChannels, int kernelSize) {
        this(ConvNdConfig.conv1d(inChannels, outChannels, kernelSize));
    }

    public Conv1d(ConvNdConfig config) {
        super(1, config);
        spec = new Conv2dSpec(1, config.stride()[0], 0, 0, config.padBefore(0), config.padAfter(0), 1, config.dilation()[0],
                config.groups());
    }

    @Override
    protected Tensor compute(Tensor input) {
        return compute(input, false);
    }

    @Override
    public Tensor computeWithRelu(Tensor input) {
        return compute(input, true);
    }

    private Tensor compute(Tensor input, boolean relu) {
        int length = outputShape(input.shape()).dim(2);
        Tensor rows = Functional.reshape(input, input.dim(0), input.dim(1), 1, input.dim(2));
        Tensor kernel = Functional.reshape(weight, weight.dim(0), weight.dim(1), 1, weight.dim(2));
        Tensor y = relu ? Functional.conv2dRelu(rows, kernel, bias, spec) : Functional.conv2d(rows, kernel, bias, spec);
        return Functional.reshape(y, input.dim(0), config.outChannels(), length);
    }
}
