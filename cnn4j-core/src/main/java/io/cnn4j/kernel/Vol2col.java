package io.cnn4j.kernel;

import java.util.Arrays;

/**
 * The column matrix of a 3-D convolution and its adjoint, as {@link Im2col} for 2-D. For one sample and one
 * group, row {@code ((c*kD + kd)*kH + kh)*kW + kw} of the {@code [C/groups*kD*kH*kW, outD*outH*outW]} matrix
 * holds the input elements that kernel tap meets at each output position (zero where it falls in the
 * padding), so the convolution becomes one matrix multiply with the weights. As with {@link Im2col}, the matrix
 * may be a block of a wider one, its rows starting at {@code off} and {@code ld} floats apart.
 */
final class Vol2col {
    private Vol2col() {
    }

    /** Fills the block of {@code col} at {@code off} (rows {@code ld} apart) for sample {@code n}, group {@code group}. */
    static void expand(Conv3dGeometry g, float[] x, int n, int group, float[] col, int off, int ld) {
        walk(g, x, n, group, col, off, ld, false);
    }

    /** Adds the block of {@code col} at {@code off} back onto the elements it came from: {@code dx[n] += col2vol(col)}. */
    static void accumulate(Conv3dGeometry g, float[] col, int off, int ld, int n, int group, float[] dx) {
        walk(g, dx, n, group, col, off, ld, true);
    }

    /** Visits every (tap, output row) pair once: copies the input into the row, or adds the row onto the input. */
    private static void walk(Conv3dGeometry g, float[] x, int n, int group, float[] col, int off, int ld, boolean back) {
        int icg = g.inChannelsPerGroup();
        int outW = g.outW();
        int hw = g.inH() * g.inW();
        int sw = g.strideW();
        for (int c = 0; c < icg; c++) {
            int xOff = (n * g.inChannels() + group * icg + c) * g.inputVolume();
            for (int kd = 0; kd < g.kD(); kd++) {
                for (int kh = 0; kh < g.kH(); kh++) {
                    for (int kw = 0; kw < g.kW(); kw++) {
                        int row = off + (((c * g.kD() + kd) * g.kH() + kh) * g.kW() + kw) * ld;
                        int dw = kw * g.dilationW() - g.padW();
                        int owLo = dw >= 0 ? 0 : Math.min(outW, Math.ceilDiv(-dw, sw));
                        int owHi = Math.max(0, Math.min(outW, Math.floorDiv(g.inW() - 1 - dw, sw) + 1));
                        for (int od = 0; od < g.outD(); od++) {
                            int id = od * g.strideD() - g.padD() + kd * g.dilationD();
                            for (int oh = 0; oh < g.outH(); oh++) {
                                int ih = oh * g.strideH() - g.padH() + kh * g.dilationH();
                                int dst = row + (od * g.outH() + oh) * outW;
                                boolean inside = id >= 0 && id < g.inD() && ih >= 0 && ih < g.inH() && owLo < owHi;
                                if (back) {
                                    if (inside) {
                                        int src = xOff + id * hw + ih * g.inW() + dw;
                                        for (int ow = owLo; ow < owHi; ow++) {
                                            x[src + ow * sw] += col[dst + ow];
                                        }
                                    }
                                    continue;
                                }
                                if (!inside) {
                                    Arrays.fill(col, dst, dst + outW, 0f);
                                    continue;
                                }
                                Arrays.fill(col, dst, dst + owLo, 0f);
                                int src = xOff + id * hw + ih * g.inW() + dw;
                                if (sw == 1) {
                                    System.arraycopy(x, src + owLo, col, dst + owLo, owHi - owLo);
                                } else {
                                    for (int ow = owLo; ow < owHi; ow++) {
                                        col[dst + ow] = x[src + ow * sw];
                                    }
                                }
                                Arrays.fill(col, dst + owHi, dst + outW, 0f);
                            }
                        }
                    }
                }
            }
        }
    }
}
