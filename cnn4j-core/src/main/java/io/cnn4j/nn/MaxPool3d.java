package io.cnn4j.nn;

import io.cnn4j.autograd.Functional;
import io.cnn4j.tensor.Tensor;

/**
 * PyTorch's {@code nn.MaxPool3d} over {@code [N, C, D, H, W]}: the maximum of each window,
 * {@code out = floor((in + 2p - d(k-1) - 1) / s) + 1} per axis (ceil with {@code ceil_mode}); the stride
 * defaults to the window.
 */
public final class MaxPool3d extends PoolNd {
    public static final LayerType TYPE = PoolNd.maxType("MaxPool3d", MaxPool3d::new);

    public MaxPool3d(int kernelSize) {
        this(new int[] {kernelSize}, null, new int[] {0}, new int[] {1}, false);
    }

    /** One number or 3 per setting, as PyTorch takes them; {@code stride} null for the window's. */
    public MaxPool3d(int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        super("MaxPool3d", 3, kernelSize, stride, padding, dilation, ceilMode, null);
    }

    @Override
    protected Tensor compute(Tensor input) {
        outputShape(input.shape());
        return Functional.maxPool3d(input, volumeSpec());
    }

    @Override
    LayerType type() {
        return TYPE;
    }
}
