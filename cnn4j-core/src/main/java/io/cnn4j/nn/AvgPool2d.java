package io.cnn4j.nn;

import io.cnn4j.autograd.Functional;
import io.cnn4j.autograd.Pool2dSpec;
import io.cnn4j.onnx.OnnxAttribute;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

/**
 * Average pooling over {@code [N, C, H, W]}; the stride defaults to the window.
 * With padding, {@code countIncludePad} (PyTorch's default: true) says whether the padded zeros count
 * in each window's divisor.
 */
public final class AvgPool2d extends Module {
    public static final LayerType TYPE = PoolConfig.type("AvgPool2d",
                    c -> new AvgPool2d(PoolConfig.of("AvgPool2d", c), c.boolArg("count_include_pad")))
            .optional("count_include_pad", LayerType.Kind.BOOLEAN, true)
            .exportsTo(AvgPool2d.class, (layer, onnx, x) -> layer.config.toOnnx(onnx, x, "AveragePool",
                    OnnxAttribute.of("count_include_pad", layer.countIncludePad ? 1L : 0L)));

    private final PoolConfig config;
    private final boolean countIncludePad;

    public AvgPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0, true);
    }

    public AvgPool2d(int kernelSize, int stride, int padding, boolean countIncludePad) {
        this(PoolConfig.of("AvgPool2d", kernelSize, stride, padding), countIncludePad);
    }

    /** Any window, stride and padding, and PyTorch's {@code ceil_mode}. */
    public AvgPool2d(Pool2dSpec spec, boolean countIncludePad) {
        this(new PoolConfig("AvgPool2d", spec), countIncludePad);
    }

    private AvgPool2d(PoolConfig config, boolean countIncludePad) {
        this.config = config;
        this.countIncludePad = countIncludePad;
    }

    @Override
    protected Tensor compute(Tensor input) {
        outputShape(input.shape());
        return Functional.avgPool2d(input, config.spec(), countIncludePad);
    }

    @Override
    public Shape outputShape(Shape input) {
        return config.outputShape(this, input);
    }

    @Override
    public LayerConfig config() {
        return config.toLayerConfig(TYPE, "count_include_pad", countIncludePad);
    }

    @Override
    public String toString() {
        return config.describe(true, countIncludePad);
    }
}
