package io.cnn4j.kernel;

/**
 * The sizes of one 2-D pooling over a batch in NCHW layout: every channel of every image is pooled
 * independently, so {@code planes = batch * channels}. Windows that hang over the padded edge are cut
 * off; for average pooling {@code countPadding} says whether padded zeros count in the divisor
 * (PyTorch's {@code count_include_pad}).
 */
public record PoolGeometry(int planes, int inH, int inW, int kH, int kW, int strideH, int strideW,
                           int padH, int padW, int outH, int outW) {

    public PoolGeometry {
        if (planes < 0 || inH < 1 || inW < 1 || kH < 1 || kW < 1 || strideH < 1 || strideW < 1 || padH < 0 || padW < 0) {
            throw new IllegalArgumentException("pooling sizes must be positive: " + this);
        }
        if (padH * 2 > kH || padW * 2 > kW) {
            throw new IllegalArgumentException("pooling padding (" + padH + "x" + padW
                    + ") must be at most half the window (" + kH + "x" + kW + ")");
        }
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException("pooling output would be empty (" + outH + "x" + outW + ") for input "
                    + inH + "x" + inW + " and window " + kH + "x" + kW);
        }
    }

    /** Geometry with PyTorch's floor rule: {@code floor((in + 2p - k) / s) + 1}. */
    public static PoolGeometry of(int planes, int inH, int inW, int k, int stride, int pad) {
        return new PoolGeometry(planes, inH, inW, k, k, stride, stride, pad, pad,
                Math.floorDiv(inH + 2 * pad - k, stride) + 1, Math.floorDiv(inW + 2 * pad - k, stride) + 1);
    }

    public int inputPlaneSize() {
        return inH * inW;
    }

    public int outputPlaneSize() {
        return outH * outW;
    }
}
