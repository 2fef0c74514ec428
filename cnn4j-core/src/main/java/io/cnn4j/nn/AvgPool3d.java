package io.cnn4j.nn;

import io.cnn4j.autograd.Functional;
import io.cnn4j.tensor.Tensor;

/**
 * PyTorch's {@code nn.AvgPool3d} over {@code [N, C, D, H, W]}: the mean of each window; the stride defaults to the
 * window. With padding, {@code countIncludePad} (PyTorch's default: true) says whether the padded zeros count
 * in each window's divisor.
 */
public final class AvgPool3d extends PoolNd {
    public static final LayerType TYPE = PoolNd.avgType("AvgPool3d", AvgPool3d::new);

    public AvgPool3d(int kernelSize) {
        this(new int[] {kernelSize}, null, new int[] {0}, false, true);
    }

    /** One number or 3 per setting, as PyTorch takes them; {@code stride} null for the window's. */
    public AvgPool3d(int[] kernelSize, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad) {
        super("AvgPool3d", 3, kernelSize, stride, padding, new int[] {1}, ceilMode, countIncludePad);
    }

    @Override
    protected Tensor compute(Tensor input) {
        outputShape(input.shape());
        return Functional.avgPool3d(input, volumeSpec(), countIncludePad);
    }

    @Override
    LayerType type() {
        return TYPE;
    }
}
