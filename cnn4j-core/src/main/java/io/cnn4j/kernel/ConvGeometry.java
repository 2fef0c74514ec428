package io.cnn4j.kernel;

/**
 * The sizes of one 2-D convolution over a batch, in NCHW layout.
 *
 * <p>Input {@code [batch, inChannels, inH, inW]}, weight {@code [outChannels, inChannels/groups, kH, kW]},
 * output {@code [batch, outChannels, outH, outW]}. Padding is given for the top and left edges; the
 * output size is given explicitly, so asymmetric ("same" with an even kernel) padding needs no extra
 * fields: rows and columns that fall outside the input read as zero.
 */
public record ConvGeometry(
        int batch, int inChannels, int inH, int inW,
        int outChannels, int kH, int kW,
        int strideH, int strideW, int padH, int padW, int dilationH, int dilationW,
        int groups, int outH, int outW) {

    public ConvGeometry {
        if (batch < 0 || inChannels < 1 || inH < 1 || inW < 1 || outChannels < 1 || kH < 1 || kW < 1) {
            throw new IllegalArgumentException("convolution sizes must be positive: " + this);
        }
        if (strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1 || padH < 0 || padW < 0) {
            throw new IllegalArgumentException("convolution needs stride and dilation >= 1 and padding >= 0: " + this);
        }
        if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("convolution groups (" + groups + ") must divide in channels ("
                    + inChannels + ") and out channels (" + outChannels + ")");
        }
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException("convolution output would be empty (" + outH + "x" + outW + ") for input "
                    + inH + "x" + inW + ", kernel " + kH + "x" + kW + ", padding " + padH + "x" + padW
                    + ", dilation " + dilationH + "x" + dilationW + ": the kernel is larger than the padded input");
        }
    }

    /** Output length along one axis for symmetric padding: {@code floor((in + 2p - d(k-1) - 1) / s) + 1}. */
    public static int outputSize(int in, int kernel, int stride, int pad, int dilation) {
        return Math.floorDiv(in + 2 * pad - dilation * (kernel - 1) - 1, stride) + 1;
    }

    /** Geometry with symmetric padding, the output size following from the formula above. */
    public static ConvGeometry of(int batch, int inChannels, int inH, int inW, int outChannels, int kH, int kW,
                                  int stride, int pad, int dilation, int groups) {
        return new ConvGeometry(batch, inChannels, inH, inW, outChannels, kH, kW, stride, stride, pad, pad,
                dilation, dilation, groups,
                outputSize(inH, kH, stride, pad, dilation), outputSize(inW, kW, stride, pad, dilation));
    }

    /**
     * Whether the bottom and right padding equal the top and left, that is whether the output has the size
     * {@link #outputSize} gives; "same" padding with an even kernel pads one side more.
     */
    public boolean symmetricPadding() {
        return outH == outputSize(inH, kH, strideH, padH, dilationH) && outW == outputSize(inW, kW, strideW, padW, dilationW);
    }

    public ConvGeometry withBatch(int n) {
        return new ConvGeometry(n, inChannels, inH, inW, outChannels, kH, kW, strideH, strideW, padH, padW,
                dilationH, dilationW, groups, outH, outW);
    }

    public int inChannelsPerGroup() {
        return inChannels / groups;
    }

    public int outChannelsPerGroup() {
        return outChannels / groups;
    }

    /** Elements of one input image. */
    public int inputImageSize() {
        return inChannels * inH * inW;
    }

    /** Elements of one output image. */
    public int outputImageSize() {
        return outChannels * outH * outW;
    }

    public int weightSize() {
        return outChannels * inChannelsPerGroup() * kH * kW;
    }

    /** Multiply-adds of the forward pass over the batch. */
    public long macs() {
        return (long) batch * outChannels * outH * outW * inChannelsPerGroup() * kH * kW;
    }
}
