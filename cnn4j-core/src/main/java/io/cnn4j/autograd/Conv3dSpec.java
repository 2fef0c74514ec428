package io.cnn4j.autograd;

import io.cnn4j.kernel.Conv3dGeometry;
import io.cnn4j.tensor.Shape;

import java.util.Arrays;

/**
 * How a 3-D convolution walks its input, per axis (depth, rows, columns): stride, padding before and after
 * (they differ for "same" with an even kernel, the extra zero going after), dilation; and groups.
 */
public record Conv3dSpec(int[] stride, int[] padBefore, int[] padAfter, int[] dilation, int groups) {

    public Conv3dSpec {
        stride = stride.clone();
        padBefore = padBefore.clone();
        padAfter = padAfter.clone();
        dilation = dilation.clone();
        if (stride.length != 3 || padBefore.length != 3 || padAfter.length != 3 || dilation.length != 3) {
            throw new IllegalArgumentException("a 3-D convolution takes three strides, paddings and dilations");
        }
        if (Arrays.stream(stride).min().getAsInt() < 1 || Arrays.stream(dilation).min().getAsInt() < 1) {
            throw new IllegalArgumentException("convolution stride and dilation must be >= 1, got "
                    + Arrays.toString(stride) + " and " + Arrays.toString(dilation));
        }
        if (Math.min(Arrays.stream(padBefore).min().getAsInt(), Arrays.stream(padAfter).min().getAsInt()) < 0) {
            throw new IllegalArgumentException("convolution padding must be >= 0");
        }
        if (groups < 1) {
            throw new IllegalArgumentException("convolution groups must be >= 1, got " + groups);
        }
    }

    /** The same stride, padding on every side and dilation along every axis. */
    public static Conv3dSpec of(int stride, int padding, int dilation, int groups) {
        int[] s = {stride, stride, stride};
        int[] p = {padding, padding, padding};
        return new Conv3dSpec(s, p, p, new int[] {dilation, dilation, dilation}, groups);
    }

    /** The geometry of this convolution of {@code input [N, C, D, H, W]} with {@code weight [O, C/groups, kD, kH, kW]}. */
    public Conv3dGeometry geometry(Shape input, Shape weight) {
        int[] out = new int[3];
        for (int a = 0; a < 3; a++) {
            out[a] = Math.floorDiv(input.dim(2 + a) + padBefore[a] + padAfter[a] - dilation[a] * (weight.dim(2 + a) - 1) - 1,
                    stride[a]) + 1;
        }
        return new Conv3dGeometry(input.dim(0), input.dim(1), input.dim(2), input.dim(3), input.dim(4), weight.dim(0),
                weight.dim(2), weight.dim(3), weight.dim(4), stride[0], stride[1], stride[2], padBefore[0], padBefore[1],
                padBefore[2], dilation[0], dilation[1], dilation[2], groups, out[0], out[1], out[2]);
    }
}
