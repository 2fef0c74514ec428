package io.cnn4j.nn;

/**
 * Settings of a {@link Conv2d} layer, validated once. Square kernels, strides and dilations; padding a
 * number or {@code same}. Start from {@link #of} and change what differs from the defaults (stride 1,
 * no padding, dilation 1, one group, with bias).
 */
public record Conv2dConfig(int inChannels, int outChannels, int kernelSize, int stride, Padding padding,
                           int dilation, int groups, boolean bias) {

    public Conv2dConfig {
        if (inChannels < 1 || outChannels < 1) {
            throw new IllegalArgumentException("Conv2d: channels must be >= 1, got in=" + inChannels + " out=" + outChannels);
        }
        if (kernelSize < 1 || stride < 1 || dilation < 1) {
            throw new IllegalArgumentException("Conv2d: kernel_size, stride and dilation must be >= 1, got "
                    + kernelSize + ", " + stride + ", " + dilation);
        }
        if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("Conv2d: groups=" + groups + " must divide in_channels=" + inChannels
                    + " and out_channels=" + outChannels);
        }
        if (padding instanceof Padding.Same && stride != 1) {
            throw new IllegalArgumentException("Conv2d: padding='same' needs stride 1 (as in PyTorch), got stride " + stride);
        }
    }

    public static Conv2dConfig of(int inChannels, int outChannels, int kernelSize) {
        return new Conv2dConfig(inChannels, outChannels, kernelSize, 1, Padding.valid(), 1, 1, true);
    }

    public Conv2dConfig stride(int s) {
        return new Conv2dConfig(inChannels, outChannels, kernelSize, s, padding, dilation, groups, bias);
    }

    public Conv2dConfig padding(int p) {
        return padding(Padding.of(p));
    }

    public Conv2dConfig padding(Padding p) {
        return new Conv2dConfig(inChannels, outChannels, kernelSize, stride, p, dilation, groups, bias);
    }

    public Conv2dConfig dilation(int d) {
        return new Conv2dConfig(inChannels, outChannels, kernelSize, stride, padding, d, groups, bias);
    }

    public Conv2dConfig groups(int g) {
        return new Conv2dConfig(inChannels, outChannels, kernelSize, stride, padding, dilation, g, bias);
    }

    public Conv2dConfig bias(boolean b) {
        return new Conv2dConfig(inChannels, outChannels, kernelSize, stride, padding, dilation, groups, b);
    }
}
