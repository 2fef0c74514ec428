package io.cnn4j.kernel;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;

import java.util.Arrays;
import java.util.Random;

import static io.cnn4j.kernel.CpuKernelsTest.assertClose;
import static io.cnn4j.kernel.CpuKernelsTest.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The fast 3-D convolution and pooling kernels against the reference ones on random shapes (odd sizes, strides,
 * padding, dilation, groups, batch 1), bitwise the same for 1, 2 and 3 threads; and the 2-D kernels on the
 * one-row {@code 1 x k} convolutions that a Conv1d runs, on every algorithm the chooser may take.
 */
class Conv3dKernelsTest {
    private static final ReferenceKernels REF = new ReferenceKernels();
    private static final CpuKernels[] THREADS = {new CpuKernels(1), new CpuKernels(2), new CpuKernels(3)};
    private static final CpuKernels[] ALGORITHMS = {new CpuKernels(2, ConvAlgorithm.IM2COL),
        new CpuKernels(2, ConvAlgorithm.DIRECT), new CpuKernels(2, ConvAlgorithm.WINOGRAD)};

    @Property(tries = 60)
    void conv3dMatchesReference(@ForAll @IntRange(min = 1, max = 3) int batch, @ForAll @IntRange(min = 1, max = 2) int groups,
                                @ForAll @IntRange(min = 1, max = 3) int inPerGroup, @ForAll @IntRange(min = 1, max = 3) int outPerGroup,
                                @ForAll @IntRange(min = 1, max = 6) int d, @ForAll @IntRange(min = 1, max = 7) int h,
                                @ForAll @IntRange(min = 1, max = 7) int w, @ForAll @IntRange(min = 1, max = 3) int kd,
                                @ForAll @IntRange(min = 1, max = 3) int k, @ForAll @IntRange(min = 1, max = 2) int stride,
                                @ForAll @IntRange(min = 0, max = 1) int pad, @ForAll @IntRange(min = 1, max = 2) int dilation,
                                @ForAll boolean withBias, @ForAll boolean relu) {
        int outD = ConvGeometry.outputSize(d, kd, 1, pad, 1);
        int outH = ConvGeometry.outputSize(h, k, stride, pad, dilation);
        int outW = ConvGeometry.outputSize(w, k, stride, 0, 1);
        Assume.that(outD >= 1 && outH >= 1 && outW >= 1);
        Conv3dGeometry g = new Conv3dGeometry(batch, groups * inPerGroup, d, h, w, groups * outPerGroup, kd, k, k, 1, stride,
                stride, pad, pad, 0, 1, dilation, 1, groups, outD, outH, outW);
        Random r = new Random(g.hashCode());
        float[] x = random(r, batch * g.inputSampleSize());
        float[] wt = random(r, g.weightSize());
        float[] bias = withBias ? random(r, g.outChannels()) : null;
        float[] dy = random(r, batch * g.outputSampleSize());
        float[] yRef = new float[dy.length];
        REF.conv3d(g, x, wt, bias, relu, yRef);
        float[] dxRef = new float[x.length];
        REF.conv3dBackwardInput(g, dy, wt, dxRef);
        float[] dwRef = new float[wt.length];
        float[] dbRef = new float[g.outChannels()];
        REF.conv3dBackwardWeight(g, x, dy, dwRef, dbRef);
        float[][] first = null;
        for (CpuKernels fast : THREADS) {
            float[] y = filled(yRef.length);
            fast.conv3d(g, x, wt, bias, relu, y);
            assertClose(yRef, y, inPerGroup * g.taps(), "conv3d " + g);
            float[] dx = filled(x.length);
            fast.conv3dBackwardInput(g, dy, wt, dx);
            assertClose(dxRef, dx, outPerGroup * g.taps(), "conv3d input gradient " + g);
            float[] dw = filled(wt.length);
            float[] db = filled(g.outChannels());
            fast.conv3dBackwardWeight(g, x, dy, dw, db);
            assertClose(dwRef, dw, batch * g.outputVolume(), "conv3d weight gradient " + g);
            assertClose(dbRef, db, batch * g.outputVolume(), "conv3d bias gradient " + g);
            float[][] results = {y, dx, dw, db};
            if (first == null) {
                first = results;
            } else {
                for (int i = 0; i < results.length; i++) {
                    assertArrayEquals(first[i], results[i], "thread count changed result " + i + " of " + g);
                }
            }
        }
    }

    private static float[] filled(int n) {
        float[] a = new float[n];
        Arrays.fill(a, Float.NaN);
        return a;
    }

    /** A Conv1d as the 2-D kernels see it: one row, a {@code 1 x k} kernel, padding only along it, maybe uneven ("same"). */
    @Property(tries = 60)
    void oneRowConvolutionsMatchReferenceOnEveryAlgorithm(@ForAll @IntRange(min = 1, max = 3) int batch,
                                                          @ForAll @IntRange(min = 1, max = 40) int in,
                                                          @ForAll @IntRange(min = 1, max = 40) int out,
                                                          @ForAll @IntRange(min = 1, max = 70) int length,
                                                          @ForAll @IntRange(min = 1, max = 9) int k,
                                                          @ForAll @IntRange(min = 1, max = 2) int stride,
                                                          @ForAll @IntRange(min = 0, max = 4) int padLeft,
                                                          @ForAll @IntRange(min = 0, max = 1) int extra,
                                                          @ForAll @IntRange(min = 1, max = 3) int dilation) {
        int outW = ConvGeometry.outputSize(length, k, stride, padLeft, dilation) + extra;
        Assume.that(outW >= 1 && (outW - 1) * stride + dilation * (k - 1) + 1 <= length + 2 * padLeft + extra);
        ConvGeometry g = new ConvGeometry(batch, in, 1, length, out, 1, k, 1, stride, 0, padLeft, 1, dilation, 1, 1, outW);
        Random r = new Random(g.hashCode());
        float[] x = random(r, batch * g.inputImageSize());
        float[] wt = random(r, g.weightSize());
        float[] bias = random(r, out);
        float[] dy = random(r, batch * g.outputImageSize());
        float[] yRef = new float[dy.length];
        REF.conv2d(g, x, wt, bias, false, yRef);
        float[] dxRef = new float[x.length];
        REF.conv2dBackwardInput(g, dy, wt, dxRef);
        float[] dwRef = new float[wt.length];
        float[] dbRef = new float[out];
        REF.conv2dBackwardWeight(g, x, dy, dwRef, dbRef);
        for (CpuKernels fast : new CpuKernels[] {THREADS[1], ALGORITHMS[0], ALGORITHMS[1], ALGORITHMS[2]}) {
            float[] y = filled(yRef.length);
            fast.conv2d(g, x, wt, bias, false, y);
            assertClose(yRef, y, in * k, "conv1d as conv2d " + g + " on " + fast.name());
            float[] dx = filled(x.length);
            fast.conv2dBackwardInput(g, dy, wt, dx);
            assertClose(dxRef, dx, out * k, "conv1d input gradient " + g + " on " + fast.name());
            float[] dw = filled(wt.length);
            float[] db = filled(out);
            fast.conv2dBackwardWeight(g, x, dy, dw, db);
            assertClose(dwRef, dw, batch * outW, "conv1d weight gradient " + g + " on " + fast.name());
            assertClose(dbRef, db, batch * outW, "conv1d bias gradient " + g + " on " + fast.name());
        }
    }

    @Property(tries = 40)
    void pooling3dMatchesReference(@ForAll @IntRange(min = 1, max = 150) int planes, @ForAll @IntRange(min = 1, max = 5) int d,
                                   @ForAll @IntRange(min = 2, max = 7) int h, @ForAll @IntRange(min = 1, max = 3) int k,
                                   @ForAll @IntRange(min = 1, max = 2) int stride, @ForAll @IntRange(min = 0, max = 1) int pad,
                                   @ForAll boolean countPadding) {
        Assume.that(2 * pad <= k && d + 2 * pad >= k && h + 2 * pad >= k);
        int outD = ConvGeometry.outputSize(d, k, stride, pad, 1);
        int outH = ConvGeometry.outputSize(h, k, stride, pad, 1);
        Pool3dGeometry g = new Pool3dGeometry(planes, d, h, h + 1, k, k, k, stride, stride, stride, pad, pad, pad, 1, 1, 1,
                outD, outH, ConvGeometry.outputSize(h + 1, k, stride, pad, 1));
        Random r = new Random(g.hashCode());
        float[] x = random(r, planes * g.inputVolume());
        float[] dy = random(r, planes * g.outputVolume());
        float[] yRef = new float[dy.length];
        int[] argRef = new int[dy.length];
        REF.maxPool3d(g, x, yRef, argRef);
        float[] y = filled(dy.length);
        int[] arg = new int[dy.length];
        THREADS[2].maxPool3d(g, x, y, arg);
        assertArrayEquals(yRef, y);
        assertArrayEquals(argRef, arg);
        float[] dxRef = new float[x.length];
        REF.maxPool3dBackward(g, dy, argRef, dxRef);
        float[] dx = filled(x.length);
        THREADS[2].maxPool3dBackward(g, dy, arg, dx);
        assertArrayEquals(dxRef, dx);
        REF.avgPool3d(g, countPadding, x, yRef);
        THREADS[2].avgPool3d(g, countPadding, x, y);
        assertArrayEquals(yRef, y);
        REF.avgPool3dBackward(g, countPadding, dy, dxRef);
        THREADS[2].avgPool3dBackward(g, countPadding, dy, dx);
        assertArrayEquals(dxRef, dx);
    }

    @AfterContainer
    static void closePools() {
        for (CpuKernels k : THREADS) {
            k.close();
        }
        for (CpuKernels k : ALGORITHMS) {
            k.close();
        }
    }
}
