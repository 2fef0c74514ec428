package io.cnn4j.nn;

import io.cnn4j.autograd.Functional;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

/**
 * Max pooling with a square window over {@code [N, C, H, W]}: {@code H_out = floor((H + 2p - k) / s) + 1}.
 * The stride defaults to the window size, as in PyTorch.
 */
public final class MaxPool2d extends Module {
    public static final LayerType TYPE = PoolConfig.type("MaxPool2d",
            c -> new MaxPool2d(c.intArg("kernel_size"), PoolConfig.stride(c), c.intArg("padding")))
            .exportsTo(MaxPool2d.class, (layer, onnx, x) -> layer.config.toOnnx(onnx, x, "MaxPool"));

    private final PoolConfig config;

    public MaxPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0);
    }

    public MaxPool2d(int kernelSize, int stride, int padding) {
        this.config = new PoolConfig("MaxPool2d", kernelSize, stride, padding);
    }

    @Override
    protected Tensor compute(Tensor input) {
        outputShape(input.shape());
        return Functional.maxPool2d(input, config.kernelSize(), config.stride(), config.padding());
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
