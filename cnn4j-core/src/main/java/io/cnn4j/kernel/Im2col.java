package io.cnn4j.kernel;

import java.util.Arrays;

/**
 * The column matrix of a convolution and its adjoint. For one image and one group, row
 * {@code (c*kH + kh)*kW + kw} of the {@code [C/groups*kH*kW, outH*outW]} matrix holds the input pixels
 * that kernel tap meets at each output position (zero where it falls in the padding), so the
 * convolution becomes one matrix multiply with the weights.
 *
 * <p>The matrix may be a block of a wider one: its rows start at {@code off} and lie {@code ld} floats apart,
 * so that the matrices of several images stand side by side and one multiply serves them all.
 */
final class Im2col {
    private Im2col() {
    }

    /** Fills the block of {@code col} at {@code off} (rows {@code ld} apart) for image {@code n}, group {@code group}. */
    static void expand(ConvGeometry g, float[] x, int n, int group, float[] col, int off, int ld) {
        int icg = g.inChannelsPerGroup();
        int outW = g.outW();
        int plane = g.inH() * g.inW();
        for (int c = 0; c < icg; c++) {
            int xOff = (n * g.inChannels() + group * icg + c) * plane;
            for (int kh = 0; kh < g.kH(); kh++) {
                for (int kw = 0; kw < g.kW(); kw++) {
                    int row = off + ((c * g.kH() + kh) * g.kW() + kw) * ld;
                    int dw = kw * g.dilationW() - g.padW();
                    int owLo = firstInside(dw, g.strideW(), g.inW(), outW);
                    int owHi = lastInsideExclusive(dw, g.strideW(), g.inW(), outW);
                    for (int oh = 0; oh < g.outH(); oh++) {
                        int ih = oh * g.strideH() - g.padH() + kh * g.dilationH();
                        int dst = row + oh * outW;
                        if (ih < 0 || ih >= g.inH() || owLo >= owHi) {
                            Arrays.fill(col, dst, dst + outW, 0f);
                            continue;
                        }
                        Arrays.fill(col, dst, dst + owLo, 0f);
                        int src = xOff + ih * g.inW() + dw;
                        if (g.strideW() == 1) {
                            System.arraycopy(x, src + owLo, col, dst + owLo, owHi - owLo);
                        } else {
                            for (int ow = owLo; ow < owHi; ow++) {
                                col[dst + ow] = x[src + ow * g.strideW()];
                            }
                        }
                        Arrays.fill(col, dst + owHi, dst + outW, 0f);
                    }
                }
            }
        }
    }

    /**
     * Adds the block of {@code col} at {@code off} (rows {@code ld} apart) back onto the pixels it came from:
     * {@code dx[n] += col2im(col)} for one group.
     */
    static void accumulate(ConvGeometry g, float[] col, int off, int ld, int n, int group, float[] dx) {
        int icg = g.inChannelsPerGroup();
        int outW = g.outW();
        int plane = g.inH() * g.inW();
        for (int c = 0; c < icg; c++) {
            int xOff = (n * g.inChannels() + group * icg + c) * plane;
            for (int kh = 0; kh < g.kH(); kh++) {
                for (int kw = 0; kw < g.kW(); kw++) {
                    int row = off + ((c * g.kH() + kh) * g.kW() + kw) * ld;
                    int dw = kw * g.dilationW() - g.padW();
                    int owLo = firstInside(dw, g.strideW(), g.inW(), outW);
                    int owHi = lastInsideExclusive(dw, g.strideW(), g.inW(), outW);
                    for (int oh = 0; oh < g.outH(); oh++) {
                        int ih = oh * g.strideH() - g.padH() + kh * g.dilationH();
                        if (ih < 0 || ih >= g.inH()) {
                            continue;
                        }
                        int src = row + oh * outW;
                        int dst = xOff + ih * g.inW() + dw;
                        for (int ow = owLo; ow < owHi; ow++) {
                            dx[dst + ow * g.strideW()] += col[src + ow];
                        }
                    }
                }
            }
        }
    }

    /** Smallest output column whose input column {@code ow*stride + offset} is inside [0, inW). */
    private static int firstInside(int offset, int stride, int inW, int outW) {
        int ow = offset >= 0 ? 0 : Math.ceilDiv(-offset, stride);
        return Math.min(ow, outW);
    }

    /** One past the largest output column whose input column is inside [0, inW). */
    private static int lastInsideExclusive(int offset, int stride, int inW, int outW) {
        int last = Math.floorDiv(inW - 1 - offset, stride);
        return Math.max(0, Math.min(outW, last + 1));
    }
}
