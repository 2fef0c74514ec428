package io.cnn4j.nn;

import io.cnn4j.autograd.Functional;
import io.cnn4j.autograd.Pool2dSpec;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

/**
 * Max pooling over {@code [N, C, H, W]}: {@code H_out = floor((H + 2p - k) / s) + 1} (ceil with {@code ceil_mode}).
 * The stride defaults to the window size, as in PyTorch.
 */
public final class MaxPool2d extends Module {
    public static final LayerType TYPE = PoolConfig.type("MaxPool2d",
            c -> new MaxPool2d(PoolConfig.of("MaxPool2d", c)))
            .exportsTo(MaxPool2d.class, (layer, onnx, x) -> layer.config.toOnnx(onnx, x, "MaxPool"));

    private final PoolConfig config;

    public MaxPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0);
    }

    public MaxPool2d(int kernelSize, int stride, int padding) {
        this(PoolConfig.of("MaxPool2d", kernelSize, stride, padding));
    }

    /** Any window, stride and padding, and PyTorch's {@code ceil_mode}. */
    public MaxPool2d(Pool2dSpec spec) {
        this(new PoolConfig("MaxPool2d", spec));
    }

    private MaxPool2d(PoolConfig config) {
        this.config = config;
    }

    @Override
    protected Tensor compute(Tensor input) {
        outputShape(input.shape());
        return Functional.maxPool2d(input, config.spec());
    }

    @Override
    public Shape outputShape(Shape input) {
        return config.outputShape(this, input);
    }

    @Override
    public LayerConfig config() {
        return config.toLayerConfig(TYPE);
    }

    @Override
    public String toString() {
        return config.describe(false, false);
    }
}
