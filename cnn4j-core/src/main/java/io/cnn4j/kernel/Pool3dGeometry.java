package io.cnn4j.kernel;

/**
 * The sizes of one 3-D pooling over a batch in NCDHW layout: every channel of every sample is pooled on its
 * own, so {@code planes = batch * channels} volumes of {@code inD x inH x inW}. The window of output
 * {@code (d, h, w)} starts at {@code d * strideD - padD} (and so on) and takes every {@code dilation}-th
 * element {@code k} times; elements in the padding are left out, and for average pooling
 * {@code countPadding} says whether they count in the divisor (PyTorch's {@code count_include_pad}, whose
 * divisor stops at the padding's end).
 */
public record Pool3dGeometry(int planes, int inD, int inH, int inW, int kD, int kH, int kW,
                             int strideD, int strideH, int strideW, int padD, int padH, int padW,
                             int dilationD, int dilationH, int dilationW, int outD, int outH, int outW) {

    public Pool3dGeometry {
        if (planes < 0 || inD < 1 || inH < 1 || inW < 1 || kD < 1 || kH < 1 || kW < 1 || strideD < 1 || strideH < 1
                || strideW < 1 || padD < 0 || padH < 0 || padW < 0 || dilationD < 1 || dilationH < 1 || dilationW < 1) {
            throw new IllegalArgumentException("pooling sizes must be positive: " + this);
        }
        if (outD < 1 || outH < 1 || outW < 1) {
            throw new IllegalArgumentException("pooling output would be empty (" + outD + "x" + outH + "x" + outW
                    + ") for input " + inD + "x" + inH + "x" + inW + " and window " + kD + "x" + kH + "x" + kW);
        }
    }

    public int inputVolume() {
        return inD * inH * inW;
    }

    public int outputVolume() {
        return outD * outH * outW;
    }
}
