package io.cnn4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * Max pooling with a 2x2 window and stride 2, the pooling of every built-in model (and with a 1x2 window, as
 * MaxPool1d(2) runs), with the same
 * winner as {@link ReferenceKernels#maxPool2d}: the first of the window's maxima in row-major order,
 * and the first NaN where there is one.
 *
 * <p>Which element of a window wins is data, so a scalar loop that branches on each comparison
 * mispredicts about half of them. Here one vector holds {@code L/2}
 * windows' worth of a row pair and every choice is a lane mask: each row's left and right columns are
 * compared (a lane swap), then the top row's winner with the bottom row's, and the even lanes, which
 * hold the results, are gathered into the low half. Only single-vector shuffles are used: AVX2 has
 * them in one instruction, while C2 leaves two-vector shuffles to the Java fallback, which allocates.
 */
final class MaxPool2x2 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = S.withLanes(int.class);
    private static final int L = S.length();
    /** Windows per vector. */
    private static final int W = L / 2;
    private static final VectorShuffle<Float> SWAP_PAIRS = VectorShuffle.fromOp(S, i -> i ^ 1);
    private static final VectorShuffle<Float> EVENS_FIRST = VectorShuffle.fromOp(S, i -> 2 * i % L);
    private static final VectorShuffle<Integer> EVENS_FIRST_INT = VectorShuffle.fromOp(I, i -> 2 * i % L);
    /** Each of the low half's lanes twice: a window's gradient and index beside both of its columns. */
    private static final VectorShuffle<Float> HALVES = VectorShuffle.fromOp(S, i -> i / 2);
    private static final VectorShuffle<Integer> HALVES_INT = VectorShuffle.fromOp(I, i -> i / 2);
    private static final IntVector LANE = IntVector.zero(I).addIndex(1);

    private MaxPool2x2() {
    }

    /**
     * 2x2 windows with stride 2, or 1x2 windows (a 1-D max pooling of 2 run as a 2-D one) with stride 1 down and 2
     * across, whose second row the kernels read as the first again: it never beats it.
     */
    static boolean applies(PoolGeometry g) {
        return (g.kH() == 2 && g.strideH() == 2 || g.kH() == 1 && g.strideH() == 1) && g.kW() == 2 && g.strideW() == 2
                && g.padH() == 0 && g.padW() == 0 && g.kH() * g.outH() <= g.inH() && 2 * g.outW() <= g.inW();
    }

    /**
     * Planes {@code [from, to)} of the pooling; argmax holds each winner's index within its plane, or is null
     * where no backward pass will come (the indexes are then neither worked out nor stored). A
     * vector stores {@code L} outputs of which the upper half is not yet right; the next store or the
     * scalar tail overwrites those, so vectors are only used while the whole store stays inside this
     * call's planes.
     */
    static void forward(PoolGeometry g, int from, int to, float[] x, float[] y, int[] argmax) {
        int inW = g.inW();
        int outW = g.outW();
        int end = to * g.outputPlaneSize();
        // The step from a window's first row to its second: none for 1x2 windows, which compare a row with itself.
        int down = g.kH() == 2 ? inW : 0;
        for (int pl = from; pl < to; pl++) {
            int xOff = pl * g.inputPlaneSize();
            for (int oh = 0; oh < g.outH(); oh++) {
                int top = xOff + g.strideH() * oh * inW;
                int o = pl * g.outputPlaneSize() + oh * outW;
                int ow = 0;
                for (; ow < outW && o + ow + L <= end && top + down + 2 * ow + L <= x.length; ow += W) {
                    // The last vector of a row is moved back to end at the row's end, recomputing a few windows. A
                    // row of fewer than W windows (7 at 14x14) takes one vector, whose spare windows run into the next
                    // row: their outputs land where that row's own vector writes later.
                    int at = Math.max(0, Math.min(ow, outW - W));
                    if (argmax == null) {
                        maxima(x, top + 2 * at, down, y, o + at);
                    } else {
                        windows(x, top + 2 * at, down, xOff, y, argmax, o + at);
                    }
                }
                for (; ow < outW; ow++) {
                    window(x, top + 2 * ow, down, xOff, y, argmax, o + ow);
                }
            }
        }
    }

    /** {@code W} windows whose top-left elements are {@code x[i]}, {@code x[i+2]}, ...; outputs at {@code o}. */
    private static void windows(float[] x, int i, int inW, int xOff, float[] y, int[] argmax, int o) {
        FloatVector a = FloatVector.fromArray(S, x, i);
        FloatVector b = FloatVector.fromArray(S, x, i + inW);
        FloatVector aSwapped = a.rearrange(SWAP_PAIRS);
        FloatVector bSwapped = b.rearrange(SWAP_PAIRS);
        // In the even lanes: whether each row's right element beats its left one, then the bottom the top. A
        // value beats the best so far when it is larger, or NaN where the best is not: not (v <= best), and
        // best == best. Spelled out at each use: a helper taking vectors would box them whenever C2 called it.
        VectorMask<Float> aRight = aSwapped.compare(VectorOperators.LE, a).not().and(a.compare(VectorOperators.EQ, a));
        VectorMask<Float> bRight = bSwapped.compare(VectorOperators.LE, b).not().and(b.compare(VectorOperators.EQ, b));
        FloatVector aBest = a.blend(aSwapped, aRight);
        FloatVector bBest = b.blend(bSwapped, bRight);
        VectorMask<Float> down = bBest.compare(VectorOperators.LE, aBest).not().and(aBest.compare(VectorOperators.EQ, aBest));
        IntVector column = LANE.add(i - xOff);
        IntVector aAt = column.blend(column.add(1), aRight.cast(I));
        IntVector bAt = column.add(inW).blend(column.add(inW + 1), bRight.cast(I));
        aBest.blend(bBest, down).rearrange(EVENS_FIRST).intoArray(y, o);
        aAt.blend(bAt, down.cast(I)).rearrange(EVENS_FIRST_INT).intoArray(argmax, o);
    }

    /** {@link #windows} where no index is wanted: the same choices, the maxima alone. */
    private static void maxima(float[] x, int i, int inW, float[] y, int o) {
        FloatVector a = FloatVector.fromArray(S, x, i);
        FloatVector b = FloatVector.fromArray(S, x, i + inW);
        FloatVector aSwapped = a.rearrange(SWAP_PAIRS);
        FloatVector bSwapped = b.rearrange(SWAP_PAIRS);
        FloatVector aBest = a.blend(aSwapped, aSwapped.compare(VectorOperators.LE, a).not().and(a.compare(VectorOperators.EQ, a)));
        FloatVector bBest = b.blend(bSwapped, bSwapped.compare(VectorOperators.LE, b).not().and(b.compare(VectorOperators.EQ, b)));
        VectorMask<Float> down = bBest.compare(VectorOperators.LE, aBest).not().and(aBest.compare(VectorOperators.EQ, aBest));
        aBest.blend(bBest, down).rearrange(EVENS_FIRST).intoArray(y, o);
    }

    /** One window, for the tails; the same rule one element at a time. */
    private static void window(float[] x, int i, int inW, int xOff, float[] y, int[] argmax, int o) {
        int at = i;
        at = beats(x[i + 1], x[at]) ? i + 1 : at;
        at = beats(x[i + inW], x[at]) ? i + inW : at;
        at = beats(x[i + inW + 1], x[at]) ? i + inW + 1 : at;
        y[o] = x[at];
        if (argmax != null) {
            argmax[o] = at - xOff;
        }
    }

    /** Whether {@code v} replaces {@code best}: larger, or NaN where best is not. */
    private static boolean beats(float v, float best) {
        return v > best || (Float.isNaN(v) && !Float.isNaN(best));
    }

    /**
     * The gradient of planes {@code [from, to)}: each window's output gradient to the element that won it, zero
     * to the others. The windows do not overlap, so every element of {@code dx} is written once, with no
     * scatter and no pass that zeroes it first (except the edge rows or columns no window covers). A vector of
     * {@code L} inputs takes {@code W} windows' gradients and winners, each beside both of its columns, and keeps
     * the gradient in the lanes whose position is the winner's. It adds the gradient to zero, as the scatter
     * does, so a gradient of -0 arrives as +0 there too.
     */
    static void backward(PoolGeometry g, int from, int to, float[] dy, int[] argmax, float[] dx) {
        int inW = g.inW();
        int outW = g.outW();
        int end = to * g.outputPlaneSize();
        boolean tiled = g.kH() * g.outH() == g.inH() && 2 * outW == inW;
        int down = g.kH() == 2 ? inW : 0;
        int dxEnd = to * g.inputPlaneSize();
        FloatVector zero = FloatVector.zero(S);
        for (int pl = from; pl < to; pl++) {
            int xOff = pl * g.inputPlaneSize();
            if (!tiled) {
                Arrays.fill(dx, xOff, xOff + g.inputPlaneSize(), 0f);
            }
            for (int oh = 0; oh < g.outH(); oh++) {
                int top = g.strideH() * oh * inW;
                int o = pl * g.outputPlaneSize() + oh * outW;
                int ow = 0;
                // As forward: a row of fewer than W windows takes one vector, whose spare lanes write into the
                // rows below, which their own windows' stores write again afterwards.
                for (; ow < outW && o + ow + L <= end && xOff + top + down + 2 * ow + L <= dxEnd; ow += W) {
                    int at = Math.max(0, Math.min(ow, outW - W));
                    FloatVector grad = zero.add(FloatVector.fromArray(S, dy, o + at).rearrange(HALVES));
                    IntVector winner = IntVector.fromArray(I, argmax, o + at).rearrange(HALVES_INT);
                    IntVector position = LANE.add(top + 2 * at);
                    zero.blend(grad, winner.compare(VectorOperators.EQ, position).cast(S))
                            .intoArray(dx, xOff + top + 2 * at);
                    if (g.kH() == 2) {
                        zero.blend(grad, winner.compare(VectorOperators.EQ, position.add(inW)).cast(S))
                                .intoArray(dx, xOff + top + inW + 2 * at);
                    }
                }
                for (; ow < outW; ow++) {
                    int first = top + 2 * ow;
                    int won = argmax[o + ow];
                    float grad = 0f + dy[o + ow];
                    dx[xOff + first] = won == first ? grad : 0f;
                    dx[xOff + first + 1] = won == first + 1 ? grad : 0f;
                    if (g.kH() == 2) {
                        dx[xOff + first + inW] = won == first + inW ? grad : 0f;
                        dx[xOff + first + inW + 1] = won == first + inW + 1 ? grad : 0f;
                    }
                }
            }
        }
    }
}
