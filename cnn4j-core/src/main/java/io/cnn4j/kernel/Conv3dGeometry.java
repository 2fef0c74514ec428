package io.cnn4j.kernel;

/**
 * The sizes of one 3-D convolution over a batch, in NCDHW layout (D the frames of a clip or the depth of a
 * volume). Input {@code [batch, inChannels, inD, inH, inW]}, weight {@code [outChannels, inChannels/groups,
 * kD, kH, kW]}, output {@code [batch, outChannels, outD, outH, outW]}. Padding is given for the front, top
 * and left; the output size is explicit, so the extra zeros of "same" padding with an even kernel need no
 * fields of their own.
 */
public record Conv3dGeometry(
        int batch, int inChannels, int inD, int inH, int inW,
        int outChannels, int kD, int kH, int kW,
        int strideD, int strideH, int strideW, int padD, int padH, int padW,
        int dilationD, int dilationH, int dilationW,
        int groups, int outD, int outH, int outW) {

    public Conv3dGeometry {
        if (batch < 0 || inChannels < 1 || inD < 1 || inH < 1 || inW < 1 || outChannels < 1 || kD < 1 || kH < 1 || kW < 1) {
            throw new IllegalArgumentException("convolution sizes must be positive: " + this);
        }
        if (strideD < 1 || strideH < 1 || strideW < 1 || dilationD < 1 || dilationH < 1 || dilationW < 1
                || padD < 0 || padH < 0 || padW < 0) {
            throw new IllegalArgumentException("convolution needs stride and dilation >= 1 and padding >= 0: " + this);
        }
        if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("convolution groups (" + groups + ") must divide in channels ("
                    + inChannels + ") and out channels (" + outChannels + ")");
        }
        if (outD < 1 || outH < 1 || outW < 1) {
            throw new IllegalArgumentException("convolution output would be empty (" + outD + "x" + outH + "x" + outW
                    + ") for input " + inD + "x" + inH + "x" + inW + " and kernel " + kD + "x" + kH + "x" + kW);
        }
    }

    /** Geometry with symmetric padding and one stride and dilation for every axis; the output size follows. */
    public static Conv3dGeometry of(int batch, int inChannels, int inD, int inH, int inW, int outChannels, int kD, int kH,
                                    int kW, int stride, int pad, int dilation, int groups) {
        return new Conv3dGeometry(batch, inChannels, inD, inH, inW, outChannels, kD, kH, kW, stride, stride, stride,
                pad, pad, pad, dilation, dilation, dilation, groups,
                ConvGeometry.outputSize(inD, kD, stride, pad, dilation), ConvGeometry.outputSize(inH, kH, stride, pad, dilation),
                ConvGeometry.outputSize(inW, kW, stride, pad, dilation));
    }

    public int inChannelsPerGroup() {
        return inChannels / groups;
    }

    public int outChannelsPerGroup() {
        return outChannels / groups;
    }

    public int inputVolume() {
        return inD * inH * inW;
    }

    public int outputVolume() {
        return outD * outH * outW;
    }

    /** Elements of one input sample. */
    public int inputSampleSize() {
        return inChannels * inputVolume();
    }

    /** Elements of one output sample. */
    public int outputSampleSize() {
        return outChannels * outputVolume();
    }

    /** Kernel taps per input channel. */
    public int taps() {
        return kD * kH * kW;
    }

    public int weightSize() {
        return outChannels * inChannelsPerGroup() * taps();
    }

    /** Multiply-adds of the forward pass over the batch. */
    public long macs() {
        return (long) batch * outChannels * outputVolume() * inChannelsPerGroup() * taps();
    }

    /** Whether the kernel is 1x1x1 with stride 1 and no padding: the input is its own column matrix. */
    boolean isPointwise() {
        return taps() == 1 && strideD == 1 && strideH == 1 && strideW == 1 && padD == 0 && padH == 0 && padW == 0
                && outD == inD && outH == inH && outW == inW;
    }
}
