package io.cnn4j.autograd;

import io.cnn4j.kernel.PoolGeometry;
import io.cnn4j.tensor.Shape;

/**
 * How a 2-D pooling walks its input: the window's height and width, the stride and the padding along the
 * rows and the columns, and PyTorch's {@code ceil_mode}, which rounds the output size up so that a last,
 * partial window still counts (never one that starts in the bottom or right padding).
 */
public record Pool2dSpec(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW, boolean ceilMode) {

    public Pool2dSpec {
        if (kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1 || padH < 0 || padW < 0) {
            throw new IllegalArgumentException("pooling needs a window and stride >= 1 and padding >= 0, got " + this);
        }
    }

    /** A square window, stride and padding, rounding down. */
    public static Pool2dSpec of(int kernel, int stride, int padding) {
        return new Pool2dSpec(kernel, kernel, stride, stride, padding, padding, false);
    }

    /** The output length along one axis, PyTorch's rule. */
    public static int outputSize(int in, int kernel, int stride, int pad, boolean ceilMode) {
        long span = (long) in + 2L * pad - kernel;
        long out = (ceilMode ? Math.ceilDiv(span, stride) : Math.floorDiv(span, stride)) + 1;
        if (ceilMode && (out - 1) * stride >= (long) in + pad) {
            out--;
        }
        return (int) out;
    }

    /** The geometry of this pooling over {@code input} {@code [N, C, H, W]}; the error names {@code op}. */
    PoolGeometry geometry(String op, Shape input) {
        if (input.rank() != 4) {
            throw new IllegalArgumentException(op + ": expected input [N, C, H, W], got " + input);
        }
        if (input.dim(2) + 2 * padH < kernelH || input.dim(3) + 2 * padW < kernelW) {
            throw new IllegalArgumentException(op + ": window " + kernelH + "x" + kernelW + " is larger than the input "
                    + input.dim(2) + "x" + input.dim(3) + (padH > 0 || padW > 0 ? " padded by " + padH + "x" + padW : ""));
        }
        return new PoolGeometry(input.dim(0) * input.dim(1), input.dim(2), input.dim(3), kernelH, kernelW, strideH, strideW,
                padH, padW, outputSize(input.dim(2), kernelH, strideH, padH, ceilMode),
                outputSize(input.dim(3), kernelW, strideW, padW, ceilMode));
    }
}
