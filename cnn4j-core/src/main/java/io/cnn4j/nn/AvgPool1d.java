package io.cnn4j.nn;

import io.cnn4j.autograd.Functional;
import io.cnn4j.tensor.Tensor;

/**
 * PyTorch's {@code nn.AvgPool1d} over {@code [N, C, L]}: the mean of each window; the stride defaults to the
 * window. With padding, {@code countIncludePad} (PyTorch's default: true) says whether the padded zeros count
 * in each window's divisor.
 */
public final class AvgPool1d extends PoolNd {
    public static final LayerType TYPE = PoolNd.avgType("AvgPool1d", AvgPool1d::new);

    public AvgPool1d(int kernelSize) {
        this(new int[] {kernelSize}, null, new int[] {0}, false, true);
    }

    /** One number per setting, as PyTorch takes them (or a list of one); {@code stride} null for the window's. */
    public AvgPool1d(int[] kernelSize, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad) {
        super("AvgPool1d", 1, kernelSize, stride, padding, new int[] {1}, ceilMode, countIncludePad);
    }

    @Override
    protected Tensor compute(Tensor input) {
        outputShape(input.shape());
        int n = input.dim(0);
        int c = input.dim(1);
        Tensor y = Functional.avgPool2d(Functional.reshape(input, n, c, 1, input.dim(2)), rowSpec(), countIncludePad);
        return Functional.reshape(y, n, c, y.dim(3));
    }

    @Override
    LayerType type() {
        return TYPE;
    }
}
