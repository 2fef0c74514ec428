package io.cnn4j.autograd;

import io.cnn4j.kernel.ConvGeometry;
import io.cnn4j.tensor.Shape;

/**
 * How a convolution walks its input: stride, padding on each edge, dilation and groups. Padding may be
 * asymmetric, which is what {@code "same"} needs for even kernels (PyTorch puts the extra row and
 * column at the bottom and right).
 */
public record Conv2dSpec(int strideH, int strideW, int padTop, int padBottom, int padLeft, int padRight,
                         int dilationH, int dilationW, int groups) {

    public Conv2dSpec {
        if (strideH < 1 || strideW < 1) {
            throw new IllegalArgumentException("convolution stride must be >= 1, got " + strideH + "x" + strideW);
        }
        if (dilationH < 1 || dilationW < 1) {
            throw new IllegalArgumentException("convolution dilation must be >= 1, got " + dilationH + "x" + dilationW);
        }
        if (padTop < 0 || padBottom < 0 || padLeft < 0 || padRight < 0) {
            throw new IllegalArgumentException("convolution padding must be >= 0");
        }
        if (groups < 1) {
            throw new IllegalArgumentException("convolution groups must be >= 1, got " + groups);
        }
    }

    /** Stride 1, no padding, no dilation, one group. */
    public static Conv2dSpec defaults() {
        return new Conv2dSpec(1, 1, 0, 0, 0, 0, 1, 1, 1);
    }

    /** Symmetric padding and square stride and dilation. */
    public static Conv2dSpec of(int stride, int padding, int dilation, int groups) {
        return new Conv2dSpec(stride, stride, padding, padding, padding, padding, dilation, dilation, groups);
    }

    /** The geometry of this convolution applied to an input of shape {@code [N, C, H, W]} with a weight {@code [O, C/groups, kH, kW]}. */
    public ConvGeometry geometry(Shape input, Shape weight) {
        int kH = weight.dim(2);
        int kW = weight.dim(3);
        int outH = Math.floorDiv(input.dim(2) + padTop + padBottom - dilationH * (kH - 1) - 1, strideH) + 1;
        int outW = Math.floorDiv(input.dim(3) + padLeft + padRight - dilationW * (kW - 1) - 1, strideW) + 1;
        return new ConvGeometry(input.dim(0), input.dim(1), input.dim(2), input.dim(3), weight.dim(0), kH, kW,
                strideH, strideW, padTop, padLeft, dilationH, dilationW, groups, outH, outW);
    }
}
