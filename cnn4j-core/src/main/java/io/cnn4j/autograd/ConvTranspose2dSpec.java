package io.cnn4j.autograd;

import io.cnn4j.kernel.ConvGeometry;
import io.cnn4j.tensor.Shape;

/**
 * How a transposed convolution spreads its input: stride, the padding cut from each edge of its output,
 * the output padding added to the bottom and right, dilation and groups, each along the rows and the
 * columns. The output is {@code (in - 1) * stride - 2 * padding + dilation * (k - 1) + outputPadding + 1}
 * long along each axis, PyTorch's {@code conv_transpose2d}.
 */
public record ConvTranspose2dSpec(int strideH, int strideW, int padH, int padW, int outputPadH, int outputPadW,
                                  int dilationH, int dilationW, int groups) {

    public ConvTranspose2dSpec {
        if (strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1) {
            throw new IllegalArgumentException("transposed convolution stride and dilation must be >= 1, got stride "
                    + strideH + "x" + strideW + " and dilation " + dilationH + "x" + dilationW);
        }
        if (padH < 0 || padW < 0 || outputPadH < 0 || outputPadW < 0) {
            throw new IllegalArgumentException("transposed convolution padding and output padding must be >= 0, got "
                    + padH + "x" + padW + " and " + outputPadH + "x" + outputPadW);
        }
        if (outputPadH >= strideH && outputPadH >= dilationH || outputPadW >= strideW && outputPadW >= dilationW) {
            throw new IllegalArgumentException("transposed convolution output padding must be smaller than either stride or"
                    + " dilation (as in PyTorch), got output padding " + outputPadH + "x" + outputPadW + ", stride " + strideH
                    + "x" + strideW + ", dilation " + dilationH + "x" + dilationW);
        }
        if (groups < 1) {
            throw new IllegalArgumentException("transposed convolution groups must be >= 1, got " + groups);
        }
    }

    /** Symmetric settings, square stride and dilation. */
    public static ConvTranspose2dSpec of(int stride, int padding, int outputPadding, int dilation, int groups) {
        return new ConvTranspose2dSpec(stride, stride, padding, padding, outputPadding, outputPadding, dilation, dilation, groups);
    }

    /** The output length along one axis; may be below 1, which the callers refuse. */
    public static long outputSize(int in, int kernel, int stride, int pad, int outputPad, int dilation) {
        return (long) (in - 1) * stride - 2L * pad + (long) dilation * (kernel - 1) + outputPad + 1;
    }

    /**
     * The geometry of the convolution whose input gradient this transposed convolution is, for an input
     * {@code [N, C_in, H, W]} and a weight {@code [C_in, C_out/groups, kH, kW]}: that convolution reads the
     * transposed one's output ({@code C_out} channels) and writes its input ({@code C_in} channels), and its
     * weight {@code [C_in, C_out/groups, kH, kW]} is the transposed one's, unchanged.
     */
    public ConvGeometry geometry(Shape input, Shape weight) {
        int kH = weight.dim(2);
        int kW = weight.dim(3);
        long outH = outputSize(input.dim(2), kH, strideH, padH, outputPadH, dilationH);
        long outW = outputSize(input.dim(3), kW, strideW, padW, outputPadW, dilationW);
        if (outH < 1 || outW < 1 || Math.max(outH, outW) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("transposed convolution: input " + input.dim(2) + "x" + input.dim(3)
                    + " gives an output of " + outH + "x" + outW + " with kernel " + kH + "x" + kW + ", stride " + strideH
                    + "x" + strideW + ", padding " + padH + "x" + padW + ", output padding " + outputPadH + "x" + outputPadW
                    + " and dilation " + dilationH + "x" + dilationW);
        }
        return new ConvGeometry(input.dim(0), weight.dim(1) * groups, (int) outH, (int) outW, input.dim(1), kH, kW,
                strideH, strideW, padH, padW, dilationH, dilationW, groups, input.dim(2), input.dim(3));
    }
}
