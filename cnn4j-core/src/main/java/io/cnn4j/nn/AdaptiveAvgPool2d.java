package io.cnn4j.nn;

import io.cnn4j.autograd.Functional;
import io.cnn4j.tensor.Tensor;

/**
 * Average pooling of {@code [N, C, H, W]} to a fixed {@code [N, C, h, w]} whatever the input size:
 * PyTorch's {@code nn.AdaptiveAvgPool2d(output_size)}, with its windows (which differ in size where the
 * output size does not divide the input's). {@code AdaptiveAvgPool2d(1)} is global average pooling, the
 * usual head of a residual network.
 */
public final class AdaptiveAvgPool2d extends AdaptivePool2d {
    public static final LayerType TYPE = AdaptiveSize.type("AdaptiveAvgPool2d", AdaptiveAvgPool2d::new)
            .exportsTo(AdaptiveAvgPool2d.class, (layer, onnx, x) -> layer.size.toOnnx(onnx, x, "GlobalAveragePool", "AveragePool"));

    public AdaptiveAvgPool2d(int outputSize) {
        this(outputSize, outputSize);
    }

    public AdaptiveAvgPool2d(int height, int width) {
        this(new AdaptiveSize("AdaptiveAvgPool2d", height, width));
    }

    private AdaptiveAvgPool2d(AdaptiveSize size) {
        super(size);
    }

    @Override
    protected Tensor compute(Tensor input) {
        outputShape(input.shape());
        return Functional.adaptiveAvgPool2d(input, size.height(), size.width());
    }

    @Override
    LayerType type() {
        return TYPE;
    }
}
