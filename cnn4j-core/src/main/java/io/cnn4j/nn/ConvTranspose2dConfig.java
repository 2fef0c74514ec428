package io.cnn4j.nn;

import static io.cnn4j.nn.Conv2dConfig.pair;

/**
 * Settings of a {@link ConvTranspose2d} layer, validated once, each along the rows and the columns: the
 * kernel, the stride, the padding cut from the output's edges, the output padding added at its bottom
 * and right, and the dilation. Start from {@link #of} and change what differs from the defaults (stride
 * 1, no padding or output padding, one group, with bias, dilation 1); the one-number setters set both
 * directions, as PyTorch's one-number arguments do.
 */
public record ConvTranspose2dConfig(int inChannels, int outChannels, int kernelH, int kernelW, int strideH, int strideW,
                                    int paddingH, int paddingW, int outputPaddingH, int outputPaddingW, int groups,
                                    boolean bias, int dilationH, int dilationW) {

    public ConvTranspose2dConfig {
        if (inChannels < 1 || outChannels < 1) {
            throw new IllegalArgumentException("ConvTranspose2d: channels must be >= 1, got in=" + inChannels + " out="
                    + outChannels);
        }
        if (kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1) {
            throw new IllegalArgumentException("ConvTranspose2d: kernel_size, stride and dilation must be >= 1, got "
                    + pair(kernelH, kernelW) + ", " + pair(strideH, strideW) + ", " + pair(dilationH, dilationW));
        }
        if (paddingH < 0 || paddingW < 0 || outputPaddingH < 0 || outputPaddingW < 0) {
            throw new IllegalArgumentException("ConvTranspose2d: padding and output_padding must be >= 0, got "
                    + pair(paddingH, paddingW) + " and " + pair(outputPaddingH, outputPaddingW));
        }
        if (outputPaddingH >= strideH && outputPaddingH >= dilationH || outputPaddingW >= strideW && outputPaddingW >= dilationW) {
            throw new IllegalArgumentException("ConvTranspose2d: output_padding " + pair(outputPaddingH, outputPaddingW)
                    + " must be smaller than either stride " + pair(strideH, strideW) + " or dilation "
                    + pair(dilationH, dilationW) + " (as in PyTorch)");
        }
        if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("ConvTranspose2d: groups=" + groups + " must divide in_channels=" + inChannels
                    + " and out_channels=" + outChannels);
        }
    }

    public static ConvTranspose2dConfig of(int inChannels, int outChannels, int kernelSize) {
        return of(inChannels, outChannels, kernelSize, kernelSize);
    }

    public static ConvTranspose2dConfig of(int inChannels, int outChannels, int kernelH, int kernelW) {
        return new ConvTranspose2dConfig(inChannels, outChannels, kernelH, kernelW, 1, 1, 0, 0, 0, 0, 1, true, 1, 1);
    }

    public ConvTranspose2dConfig stride(int s) {
        return stride(s, s);
    }

    public ConvTranspose2dConfig stride(int h, int w) {
        return new ConvTranspose2dConfig(inChannels, outChannels, kernelH, kernelW, h, w, paddingH, paddingW, outputPaddingH,
                outputPaddingW, groups, bias, dilationH, dilationW);
    }

    public ConvTranspose2dConfig padding(int p) {
        return padding(p, p);
    }

    public ConvTranspose2dConfig padding(int h, int w) {
        return new ConvTranspose2dConfig(inChannels, outChannels, kernelH, kernelW, strideH, strideW, h, w, outputPaddingH,
                outputPaddingW, groups, bias, dilationH, dilationW);
    }

    public ConvTranspose2dConfig outputPadding(int p) {
        return outputPadding(p, p);
    }

    public ConvTranspose2dConfig outputPadding(int h, int w) {
        return new ConvTranspose2dConfig(inChannels, outChannels, kernelH, kernelW, strideH, strideW, paddingH, paddingW, h, w,
                groups, bias, dilationH, dilationW);
    }

    public ConvTranspose2dConfig groups(int g) {
        return new ConvTranspose2dConfig(inChannels, outChannels, kernelH, kernelW, strideH, strideW, paddingH, paddingW,
                outputPaddingH, outputPaddingW, g, bias, dilationH, dilationW);
    }

    public ConvTranspose2dConfig bias(boolean b) {
        return new ConvTranspose2dConfig(inChannels, outChannels, kernelH, kernelW, strideH, strideW, paddingH, paddingW,
                outputPaddingH, outputPaddingW, groups, b, dilationH, dilationW);
    }

    public ConvTranspose2dConfig dilation(int d) {
        return dilation(d, d);
    }

    public ConvTranspose2dConfig dilation(int h, int w) {
        return new ConvTranspose2dConfig(inChannels, outChannels, kernelH, kernelW, strideH, strideW, paddingH, paddingW,
                outputPaddingH, outputPaddingW, groups, bias, h, w);
    }
}
