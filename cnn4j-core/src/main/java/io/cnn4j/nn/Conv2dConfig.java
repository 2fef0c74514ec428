package io.cnn4j.nn;

/**
 * Settings of a {@link Conv2d} layer, validated once: the kernel's height and width, the stride and the
 * dilation along the rows and the columns, padding (a number or a pair of them, or {@code same}). Start
 * from {@link #of} and change what differs from the defaults (stride 1, no padding, dilation 1, one group,
 * with bias); the one-number setters set both directions, as PyTorch's one-number arguments do.
 */
public record Conv2dConfig(int inChannels, int outChannels, int kernelH, int kernelW, int strideH, int strideW,
                           Padding padding, int dilationH, int dilationW, int groups, boolean bias) {

    public Conv2dConfig {
        if (inChannels < 1 || outChannels < 1) {
            throw new IllegalArgumentException("Conv2d: channels must be >= 1, got in=" + inChannels + " out=" + outChannels);
        }
        if (kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1) {
            throw new IllegalArgumentException("Conv2d: kernel_size, stride and dilation must be >= 1, got "
                    + pair(kernelH, kernelW) + ", " + pair(strideH, strideW) + ", " + pair(dilationH, dilationW));
        }
        if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("Conv2d: groups=" + groups + " must divide in_channels=" + inChannels
                    + " and out_channels=" + outChannels);
        }
        if (padding instanceof Padding.Same && (strideH != 1 || strideW != 1)) {
            throw new IllegalArgumentException("Conv2d: padding='same' needs stride 1 (as in PyTorch), got stride "
                    + pair(strideH, strideW));
        }
    }

    /** {@code 3} for a square setting, {@code (1, 3)} for a rectangular one, as PyTorch prints them. */
    static String pair(int height, int width) {
        return height == width ? Integer.toString(height) : "(" + height + ", " + width + ")";
    }

    public static Conv2dConfig of(int inChannels, int outChannels, int kernelSize) {
        return of(inChannels, outChannels, kernelSize, kernelSize);
    }

    public static Conv2dConfig of(int inChannels, int outChannels, int kernelH, int kernelW) {
        return new Conv2dConfig(inChannels, outChannels, kernelH, kernelW, 1, 1, Padding.valid(), 1, 1, 1, true);
    }

    /** Whether the kernel, stride, dilation and padding are the same along the rows as along the columns. */
    public boolean isSquare() {
        return kernelH == kernelW && strideH == strideW && dilationH == dilationW
                && !(padding instanceof Padding.Fixed f && !f.isSquare());
    }

    public Conv2dConfig stride(int s) {
        return stride(s, s);
    }

    public Conv2dConfig stride(int h, int w) {
        return new Conv2dConfig(inChannels, outChannels, kernelH, kernelW, h, w, padding, dilationH, dilationW, groups, bias);
    }

    public Conv2dConfig padding(int p) {
        return padding(Padding.of(p));
    }

    public Conv2dConfig padding(int h, int w) {
        return padding(Padding.of(h, w));
    }

    public Conv2dConfig padding(Padding p) {
        return new Conv2dConfig(inChannels, outChannels, kernelH, kernelW, strideH, strideW, p, dilationH, dilationW, groups, bias);
    }

    public Conv2dConfig dilation(int d) {
        return dilation(d, d);
    }

    public Conv2dConfig dilation(int h, int w) {
        return new Conv2dConfig(inChannels, outChannels, kernelH, kernelW, strideH, strideW, padding, h, w, groups, bias);
    }

    public Conv2dConfig groups(int g) {
        return new Conv2dConfig(inChannels, outChannels, kernelH, kernelW, strideH, strideW, padding, dilationH, dilationW, g, bias);
    }

    public Conv2dConfig bias(boolean b) {
        return new Conv2dConfig(inChannels, outChannels, kernelH, kernelW, strideH, strideW, padding, dilationH, dilationW, groups, b);
    }
}
