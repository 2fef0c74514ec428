package io.cnn4j.nn;

import io.cnn4j.autograd.Conv3dSpec;
import io.cnn4j.autograd.Functional;
import io.cnn4j.tensor.Tensor;

/**
 * 3-D convolution over volumes or clips {@code [N, C_in, D, H, W]} (D the frames of a clip), giving
 * {@code [N, C_out, D_out, H_out, W_out]}: PyTorch's {@code nn.Conv3d}, weight {@code [C_out, C_in/groups, kD, kH, kW]}.
 */
public final class Conv3d extends ConvNd implements ReluFusable {
    /** PyTorch's {@code nn.Conv3d} arguments; sized without building the weights. */
    public static final LayerType TYPE = ConvNd.type(3, Conv3d::new).exportsTo(Conv3d.class, Conv3d::toOnnx);

    private final Conv3dSpec spec;

    public Conv3d(int inChannels, int outChannels, int kernelSize) {
        this(ConvNdConfig.conv3d(inChannels, outChannels, kernelSize));
    }

    public Conv3d(ConvNdConfig config) {
        super(3, config);
        int[] before = new int[3];
        int[] after = new int[3];
        for (int a = 0; a < 3; a++) {
            before[a] = config.padBefore(a);
            after[a] = config.padAfter(a);
        }
        spec = new Conv3dSpec(config.stride(), before, after, config.dilation(), config.groups());
    }

    @Override
    protected Tensor compute(Tensor input) {
        outputShape(input.shape());
        return Functional.conv3d(input, weight, bias, spec);
    }

    @Override
    public Tensor computeWithRelu(Tensor input) {
        outputShape(input.shape());
        return Functional.conv3dRelu(input, weight, bias, spec);
    }
}
