package io.cnn4j.nn;

import io.cnn4j.autograd.Functional;
import io.cnn4j.tensor.Tensor;

/**
 * PyTorch's {@code nn.MaxPool1d} over {@code [N, C, L]}: the maximum of each window,
 * {@code out = floor((in + 2p - d(k-1) - 1) / s) + 1} per axis (ceil with {@code ceil_mode}); the stride
 * defaults to the window.
 */
public final class MaxPool1d extends PoolNd {
    public static final LayerType TYPE = PoolNd.maxType("MaxPool1d", MaxPool1d::new);

    public MaxPool1d(int kernelSize) {
        this(new int[] {kernelSize}, null, new int[] {0}, new int[] {1}, false);
    }

    /** One number per setting, as PyTorch takes them (or a list of one); {@code stride} null for the window's. */
    public MaxPool1d(int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        super("MaxPool1d", 1, kernelSize, stride, padding, dilation, ceilMode, null);
    }

    @Override
    protected Tensor compute(Tensor input) {
        outputShape(input.shape());
        int n = input.dim(0);
        int c = input.dim(1);
        int length = input.dim(2);
        Tensor y = dilation[0] == 1
                ? Functional.maxPool2d(Functional.reshape(input, n, c, 1, length), rowSpec())
                : Functional.maxPool3d(Functional.reshape(input, n, c, 1, 1, length), volumeSpec());
        return Functional.reshape(y, n, c, y.dim(y.rank() - 1));
    }

    @Override
    LayerType type() {
        return TYPE;
    }
}
