package io.cnn4j.nn;

import java.util.Arrays;

/**
 * Settings of a {@link Conv1d} or {@link Conv3d} layer, validated once: one kernel size, stride, padding and
 * dilation per axis ({@code dims} of them: 1 for sequences, 3 for volumes), or {@code same} padding. Start from
 * {@link #conv1d} or {@link #conv3d} and change what differs from PyTorch's defaults (stride 1, no padding,
 * dilation 1, one group, with bias); setters given one number set every axis, as PyTorch's one-number
 * arguments do.
 */
public record ConvNdConfig(int dims, int inChannels, int outChannels, int[] kernel, int[] stride, int[] padding,
                           boolean same, int[] dilation, int groups, boolean bias) {

    public ConvNdConfig {
        String type = "Conv" + dims + "d";
        if (dims != 1 && dims != 3) {
            throw new IllegalArgumentException("ConvNdConfig: dims must be 1 or 3, got " + dims);
        }
        kernel = NdArgs.perAxis(type, "kernel_size", kernel, dims);
        stride = NdArgs.perAxis(type, "stride", stride, dims);
        padding = NdArgs.perAxis(type, "padding", padding, dims);
        dilation = NdArgs.perAxis(type, "dilation", dilation, dims);
        if (inChannels < 1 || outChannels < 1) {
            throw new IllegalArgumentException(type + ": channels must be >= 1, got in=" + inChannels + " out=" + outChannels);
        }
        if (Arrays.stream(kernel).min().getAsInt() < 1 || Arrays.stream(stride).min().getAsInt() < 1
                || Arrays.stream(dilation).min().getAsInt() < 1) {
            throw new IllegalArgumentException(type + ": kernel_size, stride and dilation must be >= 1, got "
                    + NdArgs.show(kernel) + ", " + NdArgs.show(stride) + ", " + NdArgs.show(dilation));
        }
        if (Arrays.stream(padding).min().getAsInt() < 0) {
            throw new IllegalArgumentException(type + ": padding must be >= 0, got " + NdArgs.show(padding));
        }
        if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException(type + ": groups=" + groups + " must divide in_channels=" + inChannels
                    + " and out_channels=" + outChannels);
        }
        if (same && Arrays.stream(stride).max().getAsInt() != 1) {
            throw new IllegalArgumentException(type + ": padding='same' needs stride 1 (as in PyTorch), got stride "
                    + NdArgs.show(stride));
        }
    }

    /** A 1-D convolution over {@code [N, C, L]}: stride 1, no padding, dilation 1, one group, with bias. */
    public static ConvNdConfig conv1d(int inChannels, int outChannels, int kernelSize) {
        return new ConvNdConfig(1, inChannels, outChannels, new int[] {kernelSize}, new int[] {1}, new int[] {0}, false,
                new int[] {1}, 1, true);
    }

    /** A 3-D convolution over {@code [N, C, D, H, W]} with a cubic kernel. */
    public static ConvNdConfig conv3d(int inChannels, int outChannels, int kernelSize) {
        return conv3d(inChannels, outChannels, kernelSize, kernelSize, kernelSize);
    }

    /** A 3-D convolution with a {@code kD x kH x kW} kernel. */
    public static ConvNdConfig conv3d(int inChannels, int outChannels, int kD, int kH, int kW) {
        return new ConvNdConfig(3, inChannels, outChannels, new int[] {kD, kH, kW}, new int[] {1}, new int[] {0}, false,
                new int[] {1}, 1, true);
    }

    /** The layer's PyTorch name: {@code Conv1d} or {@code Conv3d}. */
    public String type() {
        return "Conv" + dims + "d";
    }

    /** One stride, or one per axis. */
    public ConvNdConfig stride(int... s) {
        return new ConvNdConfig(dims, inChannels, outChannels, kernel, s, padding, same, dilation, groups, bias);
    }

    /** Zeros on both ends of every axis, or of each axis. */
    public ConvNdConfig padding(int... p) {
        return new ConvNdConfig(dims, inChannels, outChannels, kernel, stride, p, false, dilation, groups, bias);
    }

    /**
     * PyTorch's {@code padding='same'}: the output as long as the input along every axis; where the kernel's
     * reach is even the extra zero goes at the end.
     */
    public ConvNdConfig samePadding() {
        return new ConvNdConfig(dims, inChannels, outChannels, kernel, stride, new int[] {0}, true, dilation, groups, bias);
    }

    public ConvNdConfig dilation(int... d) {
        return new ConvNdConfig(dims, inChannels, outChannels, kernel, stride, padding, same, d, groups, bias);
    }

    public ConvNdConfig groups(int g) {
        return new ConvNdConfig(dims, inChannels, outChannels, kernel, stride, padding, same, dilation, g, bias);
    }

    public ConvNdConfig bias(boolean b) {
        return new ConvNdConfig(dims, inChannels, outChannels, kernel, stride, padding, same, dilation, groups, b);
    }

    /** The zeros before the start of axis {@code a}. */
    public int padBefore(int a) {
        return same ? dilation[a] * (kernel[a] - 1) / 2 : padding[a];
    }

    /** The zeros after the end of axis {@code a}: one more than before for "same" with an even reach. */
    public int padAfter(int a) {
        return same ? dilation[a] * (kernel[a] - 1) - padBefore(a) : padding[a];
    }

    /** Weights per output channel: {@code in/groups} times the kernel's taps. */
    int weightsPerOutput() {
        int n = inChannels / groups;
        for (int k : kernel) {
            n *= k;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConvNdConfig c && dims == c.dims && inChannels == c.inChannels && outChannels == c.outChannels
                && Arrays.equals(kernel, c.kernel) && Arrays.equals(stride, c.stride) && Arrays.equals(padding, c.padding)
                && same == c.same && Arrays.equals(dilation, c.dilation) && groups == c.groups && bias == c.bias;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new int[] {dims, inChannels, outChannels, Arrays.hashCode(kernel), Arrays.hashCode(stride),
                Arrays.hashCode(padding), same ? 1 : 0, Arrays.hashCode(dilation), groups, bias ? 1 : 0});
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(type()).append('(').append(inChannels).append(", ").append(outChannels)
                .append(", kernel_size=").append(NdArgs.show(kernel));
        if (Arrays.stream(stride).anyMatch(s -> s != 1)) {
            sb.append(", stride=").append(NdArgs.show(stride));
        }
        if (same) {
            sb.append(", padding='same'");
        } else if (Arrays.stream(padding).anyMatch(p -> p != 0)) {
            sb.append(", padding=").append(NdArgs.show(padding));
        }
        if (Arrays.stream(dilation).anyMatch(d -> d != 1)) {
            sb.append(", dilation=").append(NdArgs.show(dilation));
        }
        if (groups != 1) {
            sb.append(", groups=").append(groups);
        }
        if (!bias) {
            sb.append(", bias=False");
        }
        return sb.append(')').toString();
    }
}
