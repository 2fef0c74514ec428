package io.cnn4j.kernel;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The batch-norm kernels of {@link CpuKernels} against {@link ReferenceKernels} on random shapes (plane
 * sizes below, at and above the vector length, and 1 for {@code [N, C]}), and bitwise the same for 1, 2
 * and 3 threads. The element-wise kernels compute in the reference's order and must match it exactly;
 * the sums may differ in their last bits.
 */
class ChannelKernelsTest {
    private static final ReferenceKernels REF = new ReferenceKernels();
    private static final CpuKernels[] FAST = {new CpuKernels(1), new CpuKernels(2), new CpuKernels(3)};
    private static final int[] SPATIAL = {1, 3, 7, 8, 9, 17, 49, 64, 196};

    @Property(tries = 80)
    void matchReference(@ForAll @IntRange(min = 1, max = 5) int batch, @ForAll @IntRange(min = 1, max = 9) int channels,
                        @ForAll @IntRange(min = 0, max = 8) int spatialIndex, @ForAll boolean relu) {
        int spatial = SPATIAL[spatialIndex];
        Random r = new Random(batch * 1000L + channels * 10L + spatialIndex);
        int n = batch * channels * spatial;
        float[] x = CpuKernelsTest.random(r, n);
        for (int i = 0; i < n; i++) {
            x[i] += 3f; // an offset from zero, as activations have, which a careless variance loses
        }
        float[] dy = CpuKernelsTest.random(r, n);
        float[] scale = CpuKernelsTest.random(r, channels);
        float[] shift = CpuKernelsTest.random(r, channels);
        float[] k = CpuKernelsTest.random(r, channels);
        float[] meanDy = CpuKernelsTest.random(r, channels);

        float[] meanRef = new float[channels];
        float[] squaresRef = new float[channels];
        REF.channelMeanAndSquares(x, batch, channels, spatial, meanRef, squaresRef);
        float[] yRef = new float[n];
        REF.channelAffine(x, batch, channels, spatial, scale, shift, relu, yRef);
        float[] sumRef = new float[channels];
        float[] dotRef = new float[channels];
        REF.channelGradientSums(x, dy, null, null, batch, channels, spatial, meanRef, sumRef, dotRef);
        float[] dxRef = new float[n];
        REF.batchNormBackwardInput(x, dy, null, null, batch, channels, spatial, meanRef, k, meanDy, scale, dxRef);

        float[][] first = null;
        for (CpuKernels fast : FAST) {
            String what = fast.name() + " " + batch + "x" + channels + "x" + spatial;
            float[] mean = nan(channels);
            float[] squares = nan(channels);
            fast.channelMeanAndSquares(x, batch, channels, spatial, mean, squares);
            CpuKernelsTest.assertClose(meanRef, mean, 1, "mean " + what);
            CpuKernelsTest.assertClose(squaresRef, squares, batch * spatial, "squares " + what);
            float[] y = nan(n);
            fast.channelAffine(x, batch, channels, spatial, scale, shift, relu, y);
            assertArrayEquals(yRef, y, "affine " + what);
            float[] sum = nan(channels);
            float[] dot = nan(channels);
            fast.channelGradientSums(x, dy, null, null, batch, channels, spatial, meanRef, sum, dot);
            CpuKernelsTest.assertClose(sumRef, sum, batch * spatial, "sum of dy " + what);
            CpuKernelsTest.assertClose(dotRef, dot, batch * spatial, "dot " + what);
            float[] dx = dy.clone();
            fast.batchNormBackwardInput(x, dx, null, null, batch, channels, spatial, meanRef, k, meanDy, scale, dx);
            assertArrayEquals(dxRef, dx, "input gradient, in place over dy, " + what);
            float[][] results = {mean, squares, sum, dot};
            if (first == null) {
                first = results;
            } else {
                for (int i = 0; i < results.length; i++) {
                    assertArrayEquals(first[i], results[i], "thread count changed result " + i + " of " + what);
                }
            }
        }
    }

    /**
     * With a ReLU fused after the norm, the backward kernels mask the gradient from x and the forward pass's
     * affine parameters: bitwise what they compute on the gradient the ReLU's own backward pass masked (from
     * the output), in the reference and the vector kernels, at any thread count. Many inputs sit exactly at
     * the ReLU's edge (x * scale + shift == 0), where the gradient must not pass.
     */
    @Property(tries = 40)
    void aFusedReluMasksTheGradientAsItsOwnBackwardPassWould(@ForAll @IntRange(min = 1, max = 5) int batch,
                                                             @ForAll @IntRange(min = 1, max = 9) int channels,
                                                             @ForAll @IntRange(min = 0, max = 8) int spatialIndex) {
        int spatial = SPATIAL[spatialIndex];
        Random r = new Random(batch * 1000L + channels * 10L + spatialIndex + 7);
        int n = batch * channels * spatial;
        float[] x = CpuKernelsTest.random(r, n);
        float[] dy = CpuKernelsTest.random(r, n);
        float[] scale = CpuKernelsTest.random(r, channels);
        float[] shift = new float[channels];
        for (int c = 0; c < channels; c++) {
            shift[c] = -0.5f * scale[c];
        }
        for (int i = 0; i < n; i += 3) {
            x[i] = 0.5f; // exactly at the edge: x * scale - 0.5 * scale == 0
        }
        float[] mean = CpuKernelsTest.random(r, channels);
        float[] k = CpuKernelsTest.random(r, channels);
        float[] meanDy = CpuKernelsTest.random(r, channels);
        float[] y = new float[n];
        REF.channelAffine(x, batch, channels, spatial, scale, shift, true, y);
        float[] masked = new float[n];
        REF.reluBackward(y, dy, masked, n);
        for (Kernels kernels : new Kernels[] {REF, FAST[0], FAST[1], FAST[2]}) {
            String what = kernels.name() + " " + batch + "x" + channels + "x" + spatial;
            float[] sumRef = new float[channels];
            float[] dotRef = new float[channels];
            kernels.channelGradientSums(x, masked, null, null, batch, channels, spatial, mean, sumRef, dotRef);
            float[] sum = new float[channels];
            float[] dot = new float[channels];
            kernels.channelGradientSums(x, dy, scale, shift, batch, channels, spatial, mean, sum, dot);
            assertArrayEquals(sumRef, sum, "sum of dy " + what);
            assertArrayEquals(dotRef, dot, "dot " + what);
            float[] dxRef = new float[n];
            kernels.batchNormBackwardInput(x, masked, null, null, batch, channels, spatial, mean, k, meanDy, scale, dxRef);
            float[] dx = new float[n];
            kernels.batchNormBackwardInput(x, dy, scale, shift, batch, channels, spatial, mean, k, meanDy, scale, dx);
            assertArrayEquals(dxRef, dx, "input gradient " + what);
        }
    }

    /**
     * Where a channel sits far from zero and drifts from image to image (planes whose means differ widely), the
     * variance must come out as a two-pass sum in double gives it: a sum of squares in float, or one pass of
     * {@code E[x^2] - E[x]^2}, loses its digits to the offset.
     */
    @Property(tries = 20)
    void varianceSurvivesPlanesWithDistantMeans(@ForAll @IntRange(min = 1, max = 9) int batch,
                                                @ForAll @IntRange(min = 0, max = 8) int spatialIndex) {
        int spatial = SPATIAL[spatialIndex];
        int channels = 3;
        Random r = new Random(batch * 100L + spatialIndex);
        float[] x = new float[batch * channels * spatial];
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < channels; c++) {
                float drift = 1000f * (c + 1) + 50f * n;
                for (int i = 0; i < spatial; i++) {
                    x[(n * channels + c) * spatial + i] = drift + (float) r.nextGaussian();
                }
            }
        }
        float[] mean = new float[channels];
        double[] squares = new double[channels];
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int n = 0; n < batch; n++) {
                for (int i = 0; i < spatial; i++) {
                    sum += x[(n * channels + c) * spatial + i];
                }
            }
            mean[c] = (float) (sum / ((double) batch * spatial));
            for (int n = 0; n < batch; n++) {
                for (int i = 0; i < spatial; i++) {
                    double d = (double) x[(n * channels + c) * spatial + i] - mean[c];
                    squares[c] += d * d;
                }
            }
        }
        for (CpuKernels fast : FAST) {
            float[] m = nan(channels);
            float[] s = nan(channels);
            fast.channelMeanAndSquares(x, batch, channels, spatial, m, s);
            for (int c = 0; c < channels; c++) {
                String what = fast.name() + " " + batch + "x" + channels + "x" + spatial + " channel " + c;
                assertEquals(mean[c], m[c], Math.ulp(mean[c]), "mean " + what);
                assertEquals(squares[c], s[c], 1e-5 * squares[c] + 1e-3, "squares " + what);
            }
        }
    }

    private static float[] nan(int n) {
        float[] a = new float[n];
        Arrays.fill(a, Float.NaN);
        return a;
    }

    @AfterContainer
    static void closePools() {
        for (CpuKernels k : FAST) {
            k.close();
        }
    }
}
