package io.cnn4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The transforms of Winograd's F(4x4, 3x3) (Lavin and Gray, 2015, interpolation points 0, +-1, +-2 and
 * infinity), for {@link Winograd}'s larger tile: each 4x4 block of outputs comes from a 6x6 input patch,
 * and a pair of channels costs 36 multiplies per tile where F(2x2, 3x3) spends 64 on the same 16 outputs
 * and the direct sum 144. Each transform is applied along rows and then along columns, through a scratch
 * of 36 vectors (24 for the outputs) that stays in L1, since one step of it over a vector of tiles needs
 * more than AVX2's 16 registers.
 *
 * <p>Numerics: the transforms scale by up to 8 and by fractions down to 1/24, so results stray further
 * from the exact sum than F(2x2, 3x3)'s. Against a double-precision sum (32->32 at 28x28, Gaussian inputs,
 * He-initialised weights): at most 4.7e-6 of the largest output, 1.1e-6 absolute on average, where
 * F(2x2, 3x3) gives 2.3e-7 and 2.2e-7 and the direct float sum 6.6e-7 and 2.9e-7. The tests hold every
 * path to 1e-6 per term summed.
 */
final class WinogradF4 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Outputs along each side of a tile. */
    static final int M = 4;
    /** Points of the 6x6 transform: one matrix product each, numbered {@code 6 * row + column}. */
    static final int POINTS = 36;
    /** Input channels a vector of the weight transform holds, {@link Gemm#MR} output channels of each. */
    private static final int GROUP = L / Gemm.MR;
    /** Floats of the weight transform's scratch: a kernel's nine taps and its {@code G g}, a vector each. */
    static final int WEIGHT_STEPS = 27 * L;

    private static final FloatVector TWO = FloatVector.broadcast(S, 2f);
    private static final FloatVector FOUR = FloatVector.broadcast(S, 4f);
    private static final FloatVector MINUS_FOUR = FloatVector.broadcast(S, -4f);
    private static final FloatVector MINUS_FIVE = FloatVector.broadcast(S, -5f);
    private static final FloatVector EIGHT = FloatVector.broadcast(S, 8f);
    private static final FloatVector MINUS_TWO = FloatVector.broadcast(S, -2f);
    private static final FloatVector QUARTER = FloatVector.broadcast(S, 1f / 4);
    private static final FloatVector SIXTH = FloatVector.broadcast(S, 1f / 6);
    private static final FloatVector TWELFTH = FloatVector.broadcast(S, 1f / 12);
    private static final FloatVector TWENTY_FOURTH = FloatVector.broadcast(S, 1f / 24);

    private WinogradF4() {
    }

    /**
     * {@code U = G g G^T} for output channels {@code o0..o1} and every input channel, laid out as {@link
     * Gemm}'s packed A: {@code u[point * strips + strip of MR output channels][input channel][MR]}, the strips
     * zeroed first. G's rows: [1/4 0 0], [-1/6 -1/6 -1/6], [-1/6 1/6 -1/6], [1/24 1/12 1/6], [1/24 -1/12
     * 1/6], [0 0 1].
     *
     * <p>A whole strip runs {@link #GROUP} input channels at a time: a vector's lanes are the strip's MR output
     * channels of each, so its kernels' taps come in by gathers and their transforms go out as whole vectors,
     * where a kernel at a time took a quarter of a 128-channel 7x7 layer's passes. The rest (a strip cut by the
     * last output channel, input channels past the last whole group) a kernel at a time, with the same
     * operations in the same order, so every kernel gets the same bits either way. {@code lanes} is {@link
     * #kernelLanes}; {@code scratch} holds {@link #WEIGHT_STEPS} floats.
     */
    static void transformWeights(int o0, int o1, int cin, int strips, Winograd.Weights weights, int[] lanes,
                                 float[] scratch, float[][] u) {
        int grouped = o1 - o0 == Gemm.MR ? cin - cin % GROUP : 0;
        if (grouped > 0) {
            transformGroups(o0, grouped, strips, weights, lanes, scratch, u);
        }
        // G g in scratch[0..18), a column through G in scratch[18..24).
        float[] gk = scratch;
        int row = 18;
        // Input channel outermost: a channel's few output channels fill neighbouring floats of each point's
        // strip, where output channel outermost swept all 36 strips through the cache for each one.
        for (int c = grouped; c < cin; c++) {
            for (int o = o0; o < o1; o++) {
                // G g: 6 rows x 3 columns, a column of g at a time.
                for (int kw = 0; kw < 3; kw++) {
                    kernelColumn(weights.at(o, c, 0, kw), weights.at(o, c, 1, kw), weights.at(o, c, 2, kw), gk, row);
                    for (int i = 0; i < 6; i++) {
                        gk[3 * i + kw] = gk[row + i];
                    }
                }
                // ... then (G g) G^T: each of its rows through G again.
                int at = c * Gemm.MR + o % Gemm.MR;
                for (int i = 0; i < 6; i++) {
                    kernelColumn(gk[3 * i], gk[3 * i + 1], gk[3 * i + 2], gk, row);
                    for (int j = 0; j < 6; j++) {
                        u[(6 * i + j) * strips + o / Gemm.MR][at] = gk[row + j];
                    }
                }
            }
        }
    }

    /** {@code G [g0 g1 g2]^T} into {@code out[at..at+5]}. */
    private static void kernelColumn(float g0, float g1, float g2, float[] out, int at) {
        float even = g0 + g2;
        out[at] = g0 / 4f;
        out[at + 1] = -(even + g1) / 6f;
        out[at + 2] = -(even - g1) / 6f;
        out[at + 3] = (g0 / 4f + g1 / 2f + g2) / 6f;
        out[at + 4] = (g0 / 4f - g1 / 2f + g2) / 6f;
        out[at + 5] = g2;
    }

    /**
     * The gather map of {@link #transformGroups}: lane {@code l} reads the kernel of output channel {@code l % MR}
     * and input channel {@code l / MR}, counted from the group's first.
     */
    static int[] kernelLanes(Winograd.Weights weights) {
        int[] lanes = new int[L];
        for (int l = 0; l < L; l++) {
            lanes[l] = weights.offset(l % Gemm.MR, l / Gemm.MR);
        }
        return lanes;
    }

    /**
     * {@link #transformWeights} of the whole strip from output channel {@code o0}, input channels {@code
     * 0..channels} ({@link #GROUP} a vector): lane {@code l} holds output channel {@code o0 + l % MR} of input
     * channel {@code c + l / MR}, which is where U keeps it.
     */
    private static void transformGroups(int o0, int channels, int strips, Winograd.Weights weights, int[] lanes,
                                        float[] scratch, float[][] u) {
        float[] w = weights.w();
        // The nine taps, a vector each, in scratch[0..9L); G g, 18 vectors, after them.
        int gk = 9 * L;
        int strip = o0 / Gemm.MR;
        for (int c = 0; c < channels; c += GROUP) {
            int kernel = weights.offset(o0, c);
            for (int t = 0; t < 9; t++) {
                FloatVector.fromArray(S, w, kernel + weights.tap(t / 3, t % 3), lanes, 0).intoArray(scratch, t * L);
            }
            // G g, a column of g at a time, into row-major 6 x 3 ...
            for (int kw = 0; kw < 3; kw++) {
                kernelColumn(scratch, kw * L, (3 + kw) * L, (6 + kw) * L, scratch, scratch, scratch, scratch, scratch,
                        scratch, gk + kw * L, 3 * L);
            }
            // ... then each of its rows through G again.
            for (int i = 0; i < 6; i++) {
                int point = 6 * i * strips + strip;
                kernelColumn(scratch, gk + 3 * i * L, gk + (3 * i + 1) * L, gk + (3 * i + 2) * L, u[point], u[point + strips],
                        u[point + 2 * strips], u[point + 3 * strips], u[point + 4 * strips], u[point + 5 * strips],
                        c * Gemm.MR, 0);
            }
        }
    }

    /** {@link #kernelColumn} on vectors at {@code src[at0]}, {@code src[at1]}, {@code src[at2]}: value {@code i} into {@code d_i[at + i * step]}. */
    private static void kernelColumn(float[] src, int at0, int at1, int at2, float[] d0, float[] d1, float[] d2,
                                     float[] d3, float[] d4, float[] d5, int at, int step) {
        FloatVector g0 = FloatVector.fromArray(S, src, at0);
        FloatVector g1 = FloatVector.fromArray(S, src, at1);
        FloatVector g2 = FloatVector.fromArray(S, src, at2);
        FloatVector even = g0.add(g2);
        FloatVector quarter = g0.mul(0.25f);
        FloatVector half = g1.mul(0.5f);
        quarter.intoArray(d0, at);
        even.add(g1).neg().div(6f).intoArray(d1, at + step);
        even.sub(g1).neg().div(6f).intoArray(d2, at + 2 * step);
        quarter.add(half).add(g2).div(6f).intoArray(d3, at + 3 * step);
        quarter.sub(half).add(g2).div(6f).intoArray(d4, at + 4 * step);
        g2.intoArray(d5, at + 5 * step);
    }

    /**
     * {@code V = B^T d B} for a chunk's tiles, into {@code v[point][input channel][tile]}, channels
     * {@code row} floats apart, from the planes that {@link Winograd}'s split wrote: value {@code (i, j)}
     * of tile {@code (th, tw)}'s patch is plane {@code (i%4, j%4)} at {@code (th + i/4, tw + j/4)}. B^T's
     * rows: [4 0 -5 0 1 0], [0 -4 -4 1 1 0], [0 4 -4 -1 1 0], [0 -2 -1 2 1 0], [0 2 -1 -2 1 0], [0 4 0 -5 0 1].
     * A vector running past a run of tiles writes slots that the next run, the next channel or the slack
     * after the last one takes.
     */
    static void transformInputs(int c0, int c1, Winograd.Layout lay, int images, float[] planes, int run, int t0, int count,
                                float[][] v, int row, int[] runs, float[][] scratch) {
        int n = lay.rowRuns(t0, count, images, runs);
        int wt = lay.wt() * images;
        // Patch row i is plane row (i%4) of the channel, i/4 rows down; column j is (j%4) planes on, j/4 along.
        int r1 = 4 * run;
        int r2 = 8 * run;
        int r3 = 12 * run;
        int r5 = 4 * run + wt;
        float[] s0 = scratch[0], s1 = scratch[1], s2 = scratch[2], s3 = scratch[3], s4 = scratch[4], s5 = scratch[5];
        for (int c = c0; c < c1; c++) {
            for (int k0 = 0; k0 < 3 * n; k0 += 3) {
                int patch = c * 16 * run + runs[k0 + 2];
                int out = c * row + runs[k0];
                for (int q = 0; q < runs[k0 + 1]; q += L) {
                    // Along each patch row i: its six values through B^T, into scratch[column][i] ...
                    int p = patch + q;
                    inputStep(planes, p, run, images, s0, s1, s2, s3, s4, s5, 0);
                    inputStep(planes, p + r1, run, images, s0, s1, s2, s3, s4, s5, L);
                    inputStep(planes, p + r2, run, images, s0, s1, s2, s3, s4, s5, 2 * L);
                    inputStep(planes, p + r3, run, images, s0, s1, s2, s3, s4, s5, 3 * L);
                    inputStep(planes, p + wt, run, images, s0, s1, s2, s3, s4, s5, 4 * L);
                    inputStep(planes, p + r5, run, images, s0, s1, s2, s3, s4, s5, 5 * L);
                    // ... then down each column l, into the points (k, l).
                    int at = out + q;
                    inputStep(s0, 0, L, 4 * L, v[0], v[6], v[12], v[18], v[24], v[30], at);
                    inputStep(s1, 0, L, 4 * L, v[1], v[7], v[13], v[19], v[25], v[31], at);
                    inputStep(s2, 0, L, 4 * L, v[2], v[8], v[14], v[20], v[26], v[32], at);
                    inputStep(s3, 0, L, 4 * L, v[3], v[9], v[15], v[21], v[27], v[33], at);
                    inputStep(s4, 0, L, 4 * L, v[4], v[10], v[16], v[22], v[28], v[34], at);
                    inputStep(s5, 0, L, 4 * L, v[5], v[11], v[17], v[23], v[29], v[35], at);
                }
            }
        }
    }

    /**
     * B^T applied to six vectors, the k-th into {@code dk[at..]}: value 0 at {@code src[p]}, values 1-3
     * {@code step} apart after it, value 4 {@code four} after it and value 5 {@code step} after that (along
     * a patch row, the planes of the other column residues and the next plane column; down the scratch,
     * one vector apart).
     */
    private static void inputStep(float[] src, int p, int step, int four, float[] d0, float[] d1, float[] d2,
                                  float[] d3, float[] d4, float[] d5, int at) {
        FloatVector x0 = FloatVector.fromArray(S, src, p);
        FloatVector x1 = FloatVector.fromArray(S, src, p + step);
        FloatVector x2 = FloatVector.fromArray(S, src, p + 2 * step);
        FloatVector x3 = FloatVector.fromArray(S, src, p + 3 * step);
        FloatVector x4 = FloatVector.fromArray(S, src, p + four);
        FloatVector x5 = FloatVector.fromArray(S, src, p + four + step);
        FloatVector a = x2.fma(MINUS_FOUR, x4);
        FloatVector b = x1.fma(MINUS_FOUR, x3);
        FloatVector c = x4.sub(x2);
        FloatVector d = x3.sub(x1).mul(TWO);
        x0.fma(FOUR, x2.fma(MINUS_FIVE, x4)).intoArray(d0, at);
        a.add(b).intoArray(d1, at);
        a.sub(b).intoArray(d2, at);
        c.add(d).intoArray(d3, at);
        c.sub(d).intoArray(d4, at);
        x1.fma(FOUR, x3.fma(MINUS_FIVE, x5)).intoArray(d5, at);
    }

    /**
     * {@code Y = A^T M A} per tile, a vector of tiles at a time, plus the bias and ReLU, into {@code
     * yb[output channel][16][ybStride]} from tile {@code ybFrom} on, the tile's outputs row by row. {@code M} is {@code m[output channel *
     * stride + point * chunk + tile]}. A^T's rows: [1 1 1 1 1 0], [0 1 -1 2 -2 0], [0 1 1 4 4 0], [0 1 -1 8 -8 1].
     */
    static void transformOutputs(int cout, float[] m, int stride, int chunk, int count, float[] bias, boolean relu,
                                 float[] yb, int ybStride, int ybFrom, float[] scratch) {
        for (int o = 0; o < cout; o++) {
            float b = bias == null ? 0f : bias[o];
            for (int q = 0; q < count; q += L) {
                int at = o * stride + q;
                // Along each row k of M: its six values through A^T, into scratch[k][output column] ...
                for (int k = 0; k < 6; k++) {
                    outputStep(m, at + 6 * k * chunk, chunk, scratch, 4 * k * L, L, false, 0f, false);
                }
                // ... then down each output column j, plus the bias, floored.
                for (int j = 0; j < 4; j++) {
                    outputStep(scratch, j * L, 4 * L, yb, 16 * o * ybStride + ybFrom + q + j * ybStride, 4 * ybStride,
                            true, b, relu);
                }
            }
        }
    }

    /**
     * A^T applied to the six vectors {@code src[at + i * step]}, the four results into {@code dst[to + k *
     * stride]}; with {@code last}, plus {@code bias} and floored at 0 if {@code relu}.
     */
    private static void outputStep(float[] src, int at, int step, float[] dst, int to, int stride, boolean last,
                                   float bias, boolean relu) {
        FloatVector x1 = FloatVector.fromArray(S, src, at + step);
        FloatVector x2 = FloatVector.fromArray(S, src, at + 2 * step);
        FloatVector x3 = FloatVector.fromArray(S, src, at + 3 * step);
        FloatVector x4 = FloatVector.fromArray(S, src, at + 4 * step);
        FloatVector s1 = x1.add(x2);
        FloatVector d1 = x1.sub(x2);
        FloatVector s2 = x3.add(x4);
        FloatVector d2 = x3.sub(x4);
        FloatVector y0 = FloatVector.fromArray(S, src, at).add(s1).add(s2);
        FloatVector y1 = d2.fma(TWO, d1);
        FloatVector y2 = s2.fma(FOUR, s1);
        FloatVector y3 = d2.fma(EIGHT, d1).add(FloatVector.fromArray(S, src, at + 5 * step));
        if (last) {
            FloatVector b = FloatVector.broadcast(S, bias);
            FloatVector floor = FloatVector.broadcast(S, relu ? 0f : Float.NEGATIVE_INFINITY);
            y0 = y0.add(b).max(floor);
            y1 = y1.add(b).max(floor);
            y2 = y2.add(b).max(floor);
            y3 = y3.add(b).max(floor);
        }
        y0.intoArray(dst, to);
        y1.intoArray(dst, to + stride);
        y2.intoArray(dst, to + 2 * stride);
        y3.intoArray(dst, to + 3 * stride);
    }

    /**
     * {@code dM = A dY A^T} for the first {@code count} tiles of a group, output channel {@code o}, from its output
     * gradient split by {@link Winograd}'s split with no padding (a tile's 4x4 values are the 16 planes at its own
     * place), into {@code dm[point * pointStride + o * row + tile]}. A's rows: [1 0 0 0], [1 1 1 1], [1 -1 1 -1],
     * [1 2 4 8], [1 -2 4 -8], [0 0 0 1] (A^T is the forward pass's output transform). {@code scratch} holds 24
     * vectors; a vector running past a run of tiles writes slots that the next run or the row's spare vector takes.
     */
    static void transformGradients(int o, Winograd.Layout lay, int images, float[] planes, int run, int count, float[] dm,
                                   int row, int pointStride, int[] runs, float[] scratch) {
        int n = lay.rowRuns(0, count, images, runs);
        for (int k0 = 0; k0 < 3 * n; k0 += 3) {
            int patch = o * 16 * run + runs[k0 + 2];
            int out = o * row + runs[k0];
            for (int q = 0; q < runs[k0 + 1]; q += L) {
                // Along each row a of the tile: its four values through A, into scratch[a][column] ...
                for (int a = 0; a < 4; a++) {
                    gradientStep(planes, patch + 4 * a * run + q, run, scratch, 6 * a * L, L);
                }
                // ... then down each column j, into the points (i, j).
                for (int j = 0; j < 6; j++) {
                    gradientStep(scratch, j * L, 6 * L, dm, out + q + j * pointStride, 6 * pointStride);
                }
            }
        }
    }

    /** A applied to the four vectors {@code src[at + k * step]}, the six results into {@code dst[to + i * stride]}. */
    private static void gradientStep(float[] src, int at, int step, float[] dst, int to, int stride) {
        FloatVector y0 = FloatVector.fromArray(S, src, at);
        FloatVector y1 = FloatVector.fromArray(S, src, at + step);
        FloatVector y2 = FloatVector.fromArray(S, src, at + 2 * step);
        FloatVector y3 = FloatVector.fromArray(S, src, at + 3 * step);
        FloatVector even = y0.add(y2);
        FloatVector odd = y1.add(y3);
        FloatVector far = y2.fma(FOUR, y0);
        FloatVector farOdd = y3.fma(FOUR, y1);
        y0.intoArray(dst, to);
        even.add(odd).intoArray(dst, to + stride);
        even.sub(odd).intoArray(dst, to + 2 * stride);
        farOdd.fma(TWO, far).intoArray(dst, to + 3 * stride);
        farOdd.fma(MINUS_TWO, far).intoArray(dst, to + 4 * stride);
        y3.intoArray(dst, to + 5 * stride);
    }

    /**
     * {@code dw = G^T dU G} for output channels {@code o0..o1}, {@code dU} as {@code [point][output channel][input
     * channel]}, points {@code point} floats apart: a vector of input channels at a time, each kernel's nine taps
     * written by plain stores from {@code scratch} (21 vectors). A scatter there, left by C2 to the Vector API's
     * Java fallback in a training step, allocated an index vector on every call.
     */
    static void untransformWeights(int o0, int o1, int cin, float[] du, int point, float[] dw, float[] scratch) {
        int taps = 18 * L;
        for (int o = o0; o < o1; o++) {
            for (int c = 0; c < cin; c += L) {
                int at = o * cin + c;
                int lanes = Math.min(L, cin - c);
                // dU G: each row i of dU through G, into scratch[i][kw] ...
                for (int i = 0; i < 6; i++) {
                    kernelStep(du, at + 6 * i * point, point, c, cin, scratch, 3 * i * L, L);
                }
                // ... then G^T down each column kw, into the taps (kh, kw) of the vector's kernels.
                for (int kw = 0; kw < 3; kw++) {
                    kernelStep(scratch, kw * L, 3 * L, c, cin, scratch, taps, L);
                    for (int l = 0; l < lanes; l++) {
                        int kernel = (at + l) * 9 + kw;
                        dw[kernel] = scratch[taps + l];
                        dw[kernel + 3] = scratch[taps + L + l];
                        dw[kernel + 6] = scratch[taps + 2 * L + l];
                    }
                }
            }
        }
    }

    /**
     * G^T applied to the six vectors {@code src[at + i * step]}, lanes from input channel {@code c} up to {@code cin}:
     * the three results into {@code dst[to + k * stride]}. G's columns: [1/4 -1/6 -1/6 1/24 1/24 0],
     * [0 -1/6 1/6 1/12 -1/12 0], [0 -1/6 -1/6 1/6 1/6 1].
     */
    private static void kernelStep(float[] src, int at, int step, int c, int cin, float[] dst, int to, int stride) {
        VectorMask<Float> inside = S.indexInRange(c, cin);
        FloatVector u0 = FloatVector.fromArray(S, src, at, inside);
        FloatVector u1 = FloatVector.fromArray(S, src, at + step, inside);
        FloatVector u2 = FloatVector.fromArray(S, src, at + 2 * step, inside);
        FloatVector u3 = FloatVector.fromArray(S, src, at + 3 * step, inside);
        FloatVector u4 = FloatVector.fromArray(S, src, at + 4 * step, inside);
        FloatVector u5 = FloatVector.fromArray(S, src, at + 5 * step, inside);
        FloatVector inner = u1.add(u2);
        FloatVector outer = u3.add(u4);
        FloatVector k0 = outer.mul(TWENTY_FOURTH).sub(inner.mul(SIXTH)).add(u0.mul(QUARTER));
        FloatVector k1 = u3.sub(u4).mul(TWELFTH).add(u2.sub(u1).mul(SIXTH));
        FloatVector k2 = outer.sub(inner).mul(SIXTH).add(u5);
        k0.intoArray(dst, to);
        k1.intoArray(dst, to + stride);
        k2.intoArray(dst, to + 2 * stride);
    }
}
