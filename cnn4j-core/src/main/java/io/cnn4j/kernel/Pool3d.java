package io.cnn4j.kernel;

import java.util.Arrays;

/**
 * 3-D max, average and adaptive pooling as plain loops over a range of planes {@code [from, to)}, so that
 * {@link ReferenceKernels} runs them over all planes and {@link CpuKernels} over tasks of planes on its
 * threads. Pooling reads each input element about once per window that holds it: it is bound by memory,
 * not arithmetic, and gains nothing from hand-written vectors.
 */
final class Pool3d {
    private Pool3d() {
    }

    /** First window position along one axis that lies inside {@code [0, in)}, or {@code k} when none does. */
    private static int firstInside(int start, int k, int dilation) {
        return start >= 0 ? 0 : Math.min(k, Math.ceilDiv(-start, dilation));
    }

    /** One past the last window position along one axis inside {@code [0, in)}. */
    private static int endInside(int start, int k, int dilation, int in) {
        return in - 1 < start ? 0 : Math.min(k, (in - 1 - start) / dilation + 1);
    }

    /**
     * Per output position along one axis, the first and one past the last window position inside {@code [0, in)}:
     * {@code [2 * out]}, worked out once per call rather than once per window.
     */
    private static int[] inside(int out, int k, int stride, int pad, int dilation, int in) {
        int[] bounds = new int[2 * out];
        for (int o = 0; o < out; o++) {
            int start = o * stride - pad;
            bounds[2 * o] = firstInside(start, k, dilation);
            bounds[2 * o + 1] = endInside(start, k, dilation, in);
        }
        return bounds;
    }

    /**
     * The maximum of each window and its index in the plane (unless {@code argmax} is null), the first on ties;
     * NaN wins, as in PyTorch, so that a diverged activation is not hidden.
     */
    static void max(Pool3dGeometry g, int from, int to, float[] x, float[] y, int[] argmax) {
        int plane = g.inputVolume();
        int hw = g.inH() * g.inW();
        if (g.kD() == 1 && g.kH() == 1) {
            maxAlongRows(g, from, to, x, y, argmax);
            return;
        }
        int[] ds = inside(g.outD(), g.kD(), g.strideD(), g.padD(), g.dilationD(), g.inD());
        int[] hs = inside(g.outH(), g.kH(), g.strideH(), g.padH(), g.dilationH(), g.inH());
        int[] ws = inside(g.outW(), g.kW(), g.strideW(), g.padW(), g.dilationW(), g.inW());
        for (int p = from; p < to; p++) {
            int xOff = p * plane;
            int o = p * g.outputVolume();
            for (int od = 0; od < g.outD(); od++) {
                int sd = od * g.strideD() - g.padD();
                int d0 = ds[2 * od];
                int d1 = ds[2 * od + 1];
                for (int oh = 0; oh < g.outH(); oh++) {
                    int sh = oh * g.strideH() - g.padH();
                    int h0 = hs[2 * oh];
                    int h1 = hs[2 * oh + 1];
                    for (int ow = 0; ow < g.outW(); ow++, o++) {
                        int sw = ow * g.strideW() - g.padW();
                        int w0 = ws[2 * ow];
                        int w1 = ws[2 * ow + 1];
                        float best = Float.NEGATIVE_INFINITY;
                        // A window wholly in the padding (possible with dilation) has no element to route to.
                        int bestAt = d0 < d1 && h0 < h1 && w0 < w1
                                ? (sd + d0 * g.dilationD()) * hw + (sh + h0 * g.dilationH()) * g.inW() + sw + w0 * g.dilationW()
                                : -1;
                        search:
                        for (int i = d0; i < d1; i++) {
                            for (int j = h0; j < h1; j++) {
                                int row = (sd + i * g.dilationD()) * hw + (sh + j * g.dilationH()) * g.inW() + sw;
                                for (int k = w0; k < w1; k++) {
                                    int at = row + k * g.dilationW();
                                    float v = x[xOff + at];
                                    if (v > best || Float.isNaN(v)) {
                                        best = v;
                                        bestAt = at;
                                        if (Float.isNaN(v)) {
                                            break search;
                                        }
                                    }
                                }
                            }
                        }
                        y[o] = best;
                        if (argmax != null) {
                            argmax[o] = bestAt;
                        }
                    }
                }
            }
        }
    }

    /**
     * {@link #max} for windows one element deep and high (1-D pooling, and {@code 1 x k} windows): each window
     * lies along one input row, which holds at least one of its elements (the padding of a one-element axis is
     * 0), so the search starts at that element and goes along the row alone.
     */
    private static void maxAlongRows(Pool3dGeometry g, int from, int to, float[] x, float[] y, int[] argmax) {
        int[] ws = inside(g.outW(), g.kW(), g.strideW(), g.padW(), g.dilationW(), g.inW());
        int dilation = g.dilationW();
        int o = from * g.outputVolume();
        for (int p = from; p < to; p++) {
            for (int od = 0; od < g.outD(); od++) {
                for (int oh = 0; oh < g.outH(); oh++) {
                    int row = (od * g.strideD() * g.inH() + oh * g.strideH()) * g.inW();
                    int xOff = p * g.inputVolume() + row;
                    for (int ow = 0; ow < g.outW(); ow++, o++) {
                        int start = ow * g.strideW() - g.padW();
                        int at = start + ws[2 * ow] * dilation;
                        int end = start + ws[2 * ow + 1] * dilation;
                        float best = x[xOff + at];
                        int bestAt = at;
                        for (int i = at + dilation; i < end && best == best; i += dilation) {
                            float v = x[xOff + i];
                            if (v > best || v != v) {
                                best = v;
                                bestAt = i;
                            }
                        }
                        y[o] = best;
                        if (argmax != null) {
                            argmax[o] = row + bestAt;
                        }
                    }
                }
            }
        }
    }

    /** Each output's gradient to its window's maximum; {@code dx} of the planes is overwritten. */
    static void maxBackward(Pool3dGeometry g, int from, int to, float[] dy, int[] argmax, float[] dx) {
        int plane = g.inputVolume();
        int out = g.outputVolume();
        Arrays.fill(dx, from * plane, to * plane, 0f);
        for (int p = from; p < to; p++) {
            for (int o = p * out, end = o + out; o < end; o++) {
                if (argmax[o] >= 0) {
                    dx[p * plane + argmax[o]] += dy[o];
                }
            }
        }
    }

    /** The mean of each window; with {@code countPadding} the padded zeros count in the divisor. */
    static void average(Pool3dGeometry g, boolean countPadding, int from, int to, float[] x, float[] y) {
        averages(g, countPadding, from, to, x, y, false);
    }

    /** Each output's gradient spread evenly over its window; {@code dx} of the planes is overwritten. */
    static void averageBackward(Pool3dGeometry g, boolean countPadding, int from, int to, float[] dy, float[] dx) {
        Arrays.fill(dx, from * g.inputVolume(), to * g.inputVolume(), 0f);
        averages(g, countPadding, from, to, dx, dy, true);
    }

    /**
     * Whether the windows tile the input: stride equal to the window, no padding, every window whole. Each
     * input element then lies in at most one window, so the backward pass writes each once.
     */
    static boolean tiles(Pool3dGeometry g) {
        return g.strideD() == g.kD() && g.strideH() == g.kH() && g.strideW() == g.kW() && g.padD() == 0 && g.padH() == 0
                && g.padW() == 0 && g.outD() * g.kD() <= g.inD() && g.outH() * g.kH() <= g.inH() && g.outW() * g.kW() <= g.inW();
    }

    /**
     * {@link #average} for windows that {@link #tiles tile} the input, without the clipping of windows at the
     * edges: each sum still runs over depth, then rows, then columns, so the floats are the same.
     */
    static void tiledAverage(Pool3dGeometry g, int from, int to, float[] x, float[] y) {
        int divisor = g.kD() * g.kH() * g.kW();
        int inW = g.inW();
        int hw = g.inH() * inW;
        int o = from * g.outputVolume();
        for (int p = from; p < to; p++) {
            for (int od = 0; od < g.outD(); od++) {
                for (int oh = 0; oh < g.outH(); oh++) {
                    int corner = p * g.inputVolume() + od * g.kD() * hw + oh * g.kH() * inW;
                    for (int ow = 0; ow < g.outW(); ow++, o++) {
                        float sum = 0f;
                        for (int d = 0, plane = corner + ow * g.kW(); d < g.kD(); d++, plane += hw) {
                            for (int h = 0, row = plane; h < g.kH(); h++, row += inW) {
                                for (int w = 0; w < g.kW(); w++) {
                                    sum += x[row + w];
                                }
                            }
                        }
                        y[o] = sum / divisor;
                    }
                }
            }
        }
    }

    /**
     * {@link #averageBackward} for windows that {@link #tiles tile} the input, in one pass over {@code dx} in
     * memory order instead of a clearing pass and a scattered one: the same floats, as each element there
     * receives one share added to zero. Elements no window covers (the rows and columns floor mode leaves
     * out) get zero.
     */
    static void tiledAverageBackward(Pool3dGeometry g, int from, int to, float[] dy, float[] dx) {
        int divisor = g.kD() * g.kH() * g.kW();
        int inW = g.inW();
        int covered = g.outW() * g.kW();
        for (int p = from; p < to; p++) {
            int x = p * g.inputVolume();
            for (int d = 0; d < g.inD(); d++) {
                int od = d / g.kD();
                for (int h = 0; h < g.inH(); h++, x += inW) {
                    int oh = h / g.kH();
                    if (od >= g.outD() || oh >= g.outH()) {
                        Arrays.fill(dx, x, x + inW, 0f);
                        continue;
                    }
                    int o = p * g.outputVolume() + (od * g.outH() + oh) * g.outW();
                    for (int ow = 0, w = x; ow < g.outW(); ow++) {
                        float share = dy[o + ow] / divisor;
                        for (int j = 0; j < g.kW(); j++) {
                            dx[w++] = share;
                        }
                    }
                    Arrays.fill(dx, x + covered, x + inW, 0f);
                }
            }
        }
    }

    /** The forward pass ({@code x} read, {@code y} written) or its adjoint ({@code dy} spread onto {@code dx}). */
    private static void averages(Pool3dGeometry g, boolean countPadding, int from, int to, float[] in, float[] out,
                                 boolean backward) {
        int hw = g.inH() * g.inW();
        for (int p = from; p < to; p++) {
            int xOff = p * g.inputVolume();
            int o = p * g.outputVolume();
            for (int od = 0; od < g.outD(); od++) {
                int sd = od * g.strideD() - g.padD();
                int ed = Math.min(sd + g.kD(), g.inD() + g.padD());
                int d0 = Math.max(sd, 0);
                int d1 = Math.min(ed, g.inD());
                for (int oh = 0; oh < g.outH(); oh++) {
                    int sh = oh * g.strideH() - g.padH();
                    int eh = Math.min(sh + g.kH(), g.inH() + g.padH());
                    int h0 = Math.max(sh, 0);
                    int h1 = Math.min(eh, g.inH());
                    for (int ow = 0; ow < g.outW(); ow++, o++) {
                        int sw = ow * g.strideW() - g.padW();
                        int ew = Math.min(sw + g.kW(), g.inW() + g.padW());
                        int w0 = Math.max(sw, 0);
                        int w1 = Math.min(ew, g.inW());
                        int divisor = countPadding ? (ed - sd) * (eh - sh) * (ew - sw) : (d1 - d0) * (h1 - h0) * (w1 - w0);
                        if (backward) {
                            float share = out[o] / divisor;
                            for (int d = d0; d < d1; d++) {
                                for (int h = h0; h < h1; h++) {
                                    int row = xOff + d * hw + h * g.inW();
                                    for (int w = w0; w < w1; w++) {
                                        in[row + w] += share;
                                    }
                                }
                            }
                        } else {
                            float sum = 0f;
                            for (int d = d0; d < d1; d++) {
                                for (int h = h0; h < h1; h++) {
                                    int row = xOff + d * hw + h * g.inW();
                                    for (int w = w0; w < w1; w++) {
                                        sum += in[row + w];
                                    }
                                }
                            }
                            out[o] = sum / divisor;
                        }
                    }
                }
            }
        }
    }

    /** PyTorch's adaptive window along one axis: from {@code floor(i * in / out)}. */
    static int windowStart(int i, int in, int out) {
        return (int) ((long) i * in / out);
    }

    /** ... to {@code ceil((i + 1) * in / out)}. */
    static int windowEnd(int i, int in, int out) {
        return (int) (((long) (i + 1) * in + out - 1) / out);
    }

    /**
     * Adaptive pooling of planes {@code [from, to)}, {@code in} to {@code out} ({@code {D, H, W}} each): the
     * mean of each window, or with {@code argmax} its maximum (the first on ties, NaN winning) and its index.
     */
    static void adaptive(int from, int to, int[] in, int[] out, float[] x, float[] y, int[] argmax) {
        adaptiveWindows(from, to, in, out, x, y, argmax, false);
    }

    /** The input gradient of {@link #adaptive}; {@code dx} of the planes is overwritten. */
    static void adaptiveBackward(int from, int to, int[] in, int[] out, float[] dy, int[] argmax, float[] dx) {
        Arrays.fill(dx, from * in[0] * in[1] * in[2], to * in[0] * in[1] * in[2], 0f);
        adaptiveWindows(from, to, in, out, dx, dy, argmax, true);
    }

    /** Each output's window over its plane: pooled into {@code values}, or with {@code backward} its gradient spread back. */
    private static void adaptiveWindows(int from, int to, int[] in, int[] out, float[] planes, float[] values, int[] argmax,
                                        boolean backward) {
        int plane = in[0] * in[1] * in[2];
        int hw = in[1] * in[2];
        int o = from * out[0] * out[1] * out[2];
        for (int p = from; p < to; p++) {
            int xOff = p * plane;
            for (int i = 0; i < out[0]; i++) {
                int d0 = windowStart(i, in[0], out[0]);
                int d1 = windowEnd(i, in[0], out[0]);
                for (int j = 0; j < out[1]; j++) {
                    int h0 = windowStart(j, in[1], out[1]);
                    int h1 = windowEnd(j, in[1], out[1]);
                    for (int k = 0; k < out[2]; k++, o++) {
                        int w0 = windowStart(k, in[2], out[2]);
                        int w1 = windowEnd(k, in[2], out[2]);
                        int count = (d1 - d0) * (h1 - h0) * (w1 - w0);
                        if (backward && argmax != null) {
                            planes[xOff + argmax[o]] += values[o];
                            continue;
                        }
                        int best = d0 * hw + h0 * in[2] + w0;
                        float max = planes[xOff + best];
                        float sum = 0f;
                        float share = backward ? values[o] / count : 0f;
                        for (int d = d0; d < d1; d++) {
                            for (int h = h0; h < h1; h++) {
                                int row = d * hw + h * in[2];
                                for (int w = w0; w < w1; w++) {
                                    if (backward) {
                                        planes[xOff + row + w] += share;
                                        continue;
                                    }
                                    float v = planes[xOff + row + w];
                                    sum += v;
                                    if (v > max || Float.isNaN(v) && !Float.isNaN(max)) {
                                        max = v;
                                        best = row + w;
                                    }
                                }
                            }
                        }
                        if (backward) {
                            continue;
                        }
                        values[o] = argmax != null ? max : sum / count;
                        if (argmax != null) {
                            argmax[o] = best;
                        }
                    }
                }
            }
        }
    }
}
