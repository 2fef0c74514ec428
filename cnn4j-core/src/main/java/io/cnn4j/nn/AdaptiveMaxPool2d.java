package io.cnn4j.nn;

import io.cnn4j.autograd.Functional;
import io.cnn4j.tensor.Tensor;

/**
 * Max pooling of {@code [N, C, H, W]} to a fixed {@code [N, C, h, w]} whatever the input size: PyTorch's
 * {@code nn.AdaptiveMaxPool2d(output_size)}, with its windows (which differ in size where the output size
 * does not divide the input's); {@code AdaptiveMaxPool2d(1)} is global max pooling.
 */
public final class AdaptiveMaxPool2d extends AdaptivePool2d {
    public static final LayerType TYPE = AdaptiveSize.type("AdaptiveMaxPool2d", AdaptiveMaxPool2d::new)
            .exportsTo(AdaptiveMaxPool2d.class, (layer, onnx, x) -> layer.size.toOnnx(onnx, x, "GlobalMaxPool", "MaxPool"));

    public AdaptiveMaxPool2d(int outputSize) {
        this(outputSize, outputSize);
    }

    public AdaptiveMaxPool2d(int height, int width) {
        this(new AdaptiveSize("AdaptiveMaxPool2d", height, width));
    }

    private AdaptiveMaxPool2d(AdaptiveSize size) {
        super(size);
    }

    @Override
    protected Tensor compute(Tensor input) {
        outputShape(input.shape());
        return Functional.adaptiveMaxPool2d(input, size.height(), size.width());
    }

    @Override
    LayerType type() {
        return TYPE;
    }
}
