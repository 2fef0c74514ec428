package io.cnn4j.autograd;

import io.cnn4j.kernel.Pool3dGeometry;
import io.cnn4j.tensor.Shape;

import java.util.Arrays;

/**
 * How a 3-D pooling walks its input, per axis (depth, rows, columns): window, stride, padding on both ends,
 * dilation (max pooling only; 1 for average pooling), and PyTorch's {@code ceil_mode}, which rounds the
 * output size up so that a last, partial window counts (never one that starts in the end padding).
 */
public record Pool3dSpec(int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {

    public Pool3dSpec {
        kernel = kernel.clone();
        stride = stride.clone();
        padding = padding.clone();
        dilation = dilation.clone();
        if (kernel.length != 3 || stride.length != 3 || padding.length != 3 || dilation.length != 3) {
            throw new IllegalArgumentException("a 3-D pooling takes three window sizes, strides, paddings and dilations");
        }
        if (Arrays.stream(kernel).min().getAsInt() < 1 || Arrays.stream(stride).min().getAsInt() < 1
                || Arrays.stream(padding).min().getAsInt() < 0 || Arrays.stream(dilation).min().getAsInt() < 1) {
            throw new IllegalArgumentException("pooling needs a window, stride and dilation >= 1 and padding >= 0, got "
                    + Arrays.toString(kernel) + ", " + Arrays.toString(stride) + ", " + Arrays.toString(padding) + ", "
                    + Arrays.toString(dilation));
        }
    }

    /** The output length along one axis, PyTorch's rule with the window's reach {@code d(k-1)+1}. */
    public static int outputSize(int in, int kernel, int stride, int pad, int dilation, boolean ceilMode) {
        return Pool2dSpec.outputSize(in, dilation * (kernel - 1) + 1, stride, pad, ceilMode);
    }

    /** The geometry of this pooling over {@code input} {@code [N, C, D, H, W]}; the error names {@code op}. */
    Pool3dGeometry geometry(String op, Shape input) {
        if (input.rank() != 5) {
            throw new IllegalArgumentException(op + ": expected input [N, C, D, H, W], got " + input);
        }
        int[] out = new int[3];
        for (int a = 0; a < 3; a++) {
            if (input.dim(2 + a) + 2L * padding[a] < dilation[a] * (kernel[a] - 1L) + 1) {
                throw new IllegalArgumentException(op + ": window " + Arrays.toString(kernel) + " is larger than the input "
                        + input.dim(2) + "x" + input.dim(3) + "x" + input.dim(4) + " padded by " + Arrays.toString(padding));
            }
            out[a] = outputSize(input.dim(2 + a), kernel[a], stride[a], padding[a], dilation[a], ceilMode);
        }
        return new Pool3dGeometry(input.dim(0) * input.dim(1), input.dim(2), input.dim(3), input.dim(4), kernel[0], kernel[1],
                kernel[2], stride[0], stride[1], stride[2], padding[0], padding[1], padding[2], dilation[0], dilation[1],
                dilation[2], out[0], out[1], out[2]);
    }
}
