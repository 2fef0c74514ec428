package io.cnn4j.kernel;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fast kernels against the reference kernels (the specification) on random shapes: odd sizes,
 * strides, padding, dilation, groups and batch 1; and bitwise the same result for 1, 2 and 3 threads.
 */
class CpuKernelsTest {
    private static final ReferenceKernels REF = new ReferenceKernels();
    private static final CpuKernels ONE = new CpuKernels(1);
    private static final CpuKernels TWO = new CpuKernels(2);
    private static final CpuKernels THREE = new CpuKernels(3);
    /** Each convolution path at 1, 2 and 3 threads: the automatic choice, then each forced. */
    private static final CpuKernels[][] CONVOLUTIONS = {
        {ONE, TWO, THREE},
        {new CpuKernels(1, ConvAlgorithm.IM2COL), new CpuKernels(2, ConvAlgorithm.IM2COL), new CpuKernels(3, ConvAlgorithm.IM2COL)},
        {new CpuKernels(1, ConvAlgorithm.DIRECT), new CpuKernels(2, ConvAlgorithm.DIRECT), new CpuKernels(3, ConvAlgorithm.DIRECT)},
        {new CpuKernels(1, ConvAlgorithm.WINOGRAD), new CpuKernels(2, ConvAlgorithm.WINOGRAD),
            new CpuKernels(3, ConvAlgorithm.WINOGRAD)},
    };

    static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextFloat() * 2 - 1;
        }
        return a;
    }

    /** Float32 agreement for sums of {@code terms} products of values in [-1, 1]. */
    static void assertClose(float[] expected, float[] actual, int terms, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double tol = 1e-6 * Math.max(terms, 1) + 1e-6;
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(expected[i] - actual[i]) > tol * Math.max(1, Math.abs(expected[i]))) {
                throw new AssertionError(what + ": element " + i + " expected " + expected[i] + " got " + actual[i]
                        + " (tolerance " + tol + ")");
            }
        }
    }

    @Property(tries = 80)
    void gemmMatchesReference(@ForAll @IntRange(min = 1, max = 70) int m, @ForAll @IntRange(min = 1, max = 70) int n,
                              @ForAll @IntRange(min = 0, max = 300) int k, @ForAll boolean transA, @ForAll boolean transB,
                              @ForAll @IntRange(min = 0, max = 2) int betaCase, @ForAll @IntRange(min = 0, max = 3) int pad) {
        Random r = new Random(m * 31L + n * 7L + k);
        int lda = (transA ? m : k) + pad;
        int ldb = (transB ? k : n) + pad;
        int ldc = n + pad;
        int aOff = pad;
        float[] a = random(r, aOff + (transA ? k : m) * lda);
        float[] b = random(r, (transB ? n : k) * ldb);
        float[] c0 = random(r, m * ldc);
        float beta = betaCase == 0 ? 0f : betaCase == 1 ? 1f : 0.5f;
        if (beta == 0f) {
            Arrays.fill(c0, Float.NaN); // beta 0 must ignore old contents, NaN included
        }
        float[] expected = c0.clone();
        REF.gemm(transA, transB, m, n, k, a, aOff, lda, b, 0, ldb, beta, expected, 0, ldc);
        for (CpuKernels fast : new CpuKernels[] {ONE, TWO}) {
            float[] actual = c0.clone();
            fast.gemm(transA, transB, m, n, k, a, aOff, lda, b, 0, ldb, beta, actual, 0, ldc);
            assertClose(expected, actual, k, "gemm " + m + "x" + n + "x" + k + " tA=" + transA + " tB=" + transB);
        }
    }

    @Test
    void largeGemmIsIdenticalForAnyThreadCount() {
        Random r = new Random(3);
        int m = 301;
        int n = 1100; // past the GEMM's blocks over n and k (1024 each)
        int k = 1030;
        float[] a = random(r, m * k);
        float[] b = random(r, k * n);
        float[] c1 = new float[m * n];
        float[] c2 = new float[m * n];
        float[] c3 = new float[m * n];
        ONE.gemm(false, false, m, n, k, a, 0, k, b, 0, n, 0f, c1, 0, n);
        TWO.gemm(false, false, m, n, k, a, 0, k, b, 0, n, 0f, c2, 0, n);
        THREE.gemm(false, false, m, n, k, a, 0, k, b, 0, n, 0f, c3, 0, n);
        assertArrayEquals(c1, c2);
        assertArrayEquals(c1, c3);
        float[] expected = new float[m * n];
        REF.gemm(false, false, m, n, k, a, 0, k, b, 0, n, 0f, expected, 0, n);
        assertClose(expected, c1, k, "gemm 301x1100x1030");
    }

    @Property(tries = 120)
    void convolutionMatchesReference(@ForAll @IntRange(min = 1, max = 3) int batch,
                                     @ForAll @IntRange(min = 1, max = 3) int groups,
                                     @ForAll @IntRange(min = 1, max = 3) int inPerGroup,
                                     @ForAll @IntRange(min = 1, max = 3) int outPerGroup,
                                     @ForAll @IntRange(min = 1, max = 13) int h, @ForAll @IntRange(min = 1, max = 13) int w,
                                     @ForAll @IntRange(min = 1, max = 5) int kernel, @ForAll @IntRange(min = 1, max = 3) int stride,
                                     @ForAll @IntRange(min = 0, max = 2) int pad, @ForAll @IntRange(min = 1, max = 2) int dilation,
                                     @ForAll boolean withBias, @ForAll boolean relu) {
        int reach = dilation * (kernel - 1) + 1;
        Assume.that(h + 2 * pad >= reach && w + 2 * pad >= reach);
        ConvGeometry g = ConvGeometry.of(batch, groups * inPerGroup, h, w, groups * outPerGroup, kernel, kernel, stride, pad,
                dilation, groups);
        checkAllConvolutions(g, withBias, relu, inPerGroup, outPerGroup);
    }

    /**
     * Padding that differs between opposite sides, as "same" padding gives an even kernel (one row more at
     * the bottom): the output is larger or smaller than symmetric padding would make it. The direct and
     * Winograd paths once computed these as if padded alike on both sides, on the 16-lane path.
     */
    @Property(tries = 60)
    void asymmetricPaddingMatchesReference(@ForAll @IntRange(min = 1, max = 2) int batch,
                                           @ForAll @IntRange(min = 1, max = 3) int in, @ForAll @IntRange(min = 1, max = 3) int out,
                                           @ForAll @IntRange(min = 3, max = 9) int h, @ForAll @IntRange(min = 3, max = 9) int w,
                                           @ForAll @IntRange(min = 1, max = 4) int kh, @ForAll @IntRange(min = 1, max = 4) int kw,
                                           @ForAll @IntRange(min = 0, max = 2) int padTop, @ForAll @IntRange(min = 0, max = 2) int padLeft,
                                           @ForAll @IntRange(min = -1, max = 2) int extraRows,
                                           @ForAll @IntRange(min = -1, max = 2) int extraColumns, @ForAll boolean withBias) {
        int outH = ConvGeometry.outputSize(h, kh, 1, padTop, 1) + extraRows;
        int outW = ConvGeometry.outputSize(w, kw, 1, padLeft, 1) + extraColumns;
        // Every window must still start inside the padded image: the bottom and right pads stay >= 0.
        Assume.that(outH >= 1 && outW >= 1 && outH - 1 + kh <= h + 2 * padTop + extraRows
                && outW - 1 + kw <= w + 2 * padLeft + extraColumns && padTop + h >= 1);
        ConvGeometry g = new ConvGeometry(batch, in, h, w, out, kh, kw, 1, 1, padTop, padLeft, 1, 1, 1, outH, outW);
        checkAllConvolutions(g, withBias, false, in, out);
    }

    /**
     * Every algorithm at every thread count against the reference's three passes, on random input, weights,
     * bias (if {@code withBias}) and output gradient drawn from a generator seeded by the geometry.
     */
    private static void checkAllConvolutions(ConvGeometry g, boolean withBias, boolean relu, int inPerGroup, int outPerGroup) {
        Random r = new Random(g.hashCode());
        float[] x = random(r, g.batch() * g.inputImageSize());
        float[] wt = random(r, g.weightSize());
        float[] bias = withBias ? random(r, g.outChannels()) : null;
        float[] dy = random(r, g.batch() * g.outputImageSize());
        float[] yRef = new float[g.batch() * g.outputImageSize()];
        REF.conv2d(g, x, wt, bias, relu, yRef);
        float[] dxRef = new float[x.length];
        REF.conv2dBackwardInput(g, dy, wt, dxRef);
        float[] dwRef = new float[wt.length];
        float[] dbRef = new float[g.outChannels()];
        REF.conv2dBackwardWeight(g, x, dy, dwRef, dbRef);
        for (CpuKernels[] sameAlgorithm : CONVOLUTIONS) {
            checkConvolution(sameAlgorithm, g, x, wt, bias, relu, dy, yRef, dxRef, dwRef, dbRef, inPerGroup, outPerGroup);
        }
    }

    /**
     * Layers wide enough for the paths that only many channels take (the weight gradient with vectors
     * over output channels need 32 taps and 16 outputs, and take any stride), with channel counts off the
     * vector width.
     */
    @Property(tries = 40)
    void wideConvolutionMatchesReference(@ForAll @IntRange(min = 1, max = 10) int batch,
                                         @ForAll @IntRange(min = 4, max = 20) int in, @ForAll @IntRange(min = 16, max = 41) int out,
                                         @ForAll @IntRange(min = 3, max = 16) int h, @ForAll @IntRange(min = 3, max = 16) int w,
                                         @ForAll @IntRange(min = 3, max = 5) int kernel, @ForAll @IntRange(min = 1, max = 2) int stride,
                                         @ForAll @IntRange(min = 0, max = 2) int pad, @ForAll @IntRange(min = 1, max = 2) int dilation) {
        int reach = dilation * (kernel - 1) + 1;
        Assume.that(h + 2 * pad >= reach && w + 2 * pad >= reach);
        ConvGeometry g = ConvGeometry.of(batch, in, h, w, out, kernel, kernel, stride, pad, dilation, 1);
        checkAllConvolutions(g, true, false, in, out);
    }

    /**
     * 3x3 layers with output channels enough for the weight gradient's blocks of three vectors beside blocks of
     * two (96, 100 and 128 channels: 48, 48 and 32; 160: 48, 48, 32 and 32), strided or not.
     */
    @Test
    void weightGradientsOfManyOutputChannelsMatchReference() {
        for (int[] s : new int[][] {{2, 8, 7, 7, 96, 1}, {3, 5, 9, 8, 100, 1}, {2, 4, 14, 14, 128, 2}, {1, 6, 6, 7, 160, 1}}) {
            ConvGeometry g = ConvGeometry.of(s[0], s[1], s[2], s[3], s[4], 3, 3, s[5], 1, 1, 1);
            checkAllConvolutions(g, true, false, s[1], s[4]);
        }
    }

    /**
     * Stride-2 layers whose output rows are a multiple of seven pixels wide, which the forward pass with vectors
     * over output channels computes seven neighbouring pixels at a time (widths 7 and 14, kernels 3 and 5, padded
     * or not, output channels off the vector width; 32 and more input channels also take the strided input
     * gradient with vectors over input channels).
     */
    @Test
    void stridedLayersOfSevenPixelRowsMatchReference() {
        for (int[] s : new int[][] {{2, 8, 13, 13, 40, 3, 1}, {1, 5, 28, 28, 33, 3, 1}, {3, 4, 17, 31, 32, 5, 0},
            {2, 32, 14, 14, 16, 3, 1}, {1, 35, 28, 28, 12, 3, 1}}) {
            ConvGeometry g = ConvGeometry.of(s[0], s[1], s[2], s[3], s[4], s[5], s[5], 2, s[6], 1, 1);
            assertEquals(0, g.outW() % 7, "width " + g.outW());
            checkAllConvolutions(g, true, s[0] == 2, s[1], s[4]);
        }
    }

    /**
     * Strided input gradients with vectors over input channels whose results go back into NCHW by gathers: an
     * image smaller than a vector (3x3), a 1x1 kernel at stride 2 (three of its four phase classes meet no tap and
     * get zeros), and stride 3.
     */
    @Test
    void stridedInputGradientsOfOddShapesMatchReference() {
        for (int[] s : new int[][] {{2, 40, 3, 3, 16, 3, 2, 1}, {1, 33, 10, 9, 40, 1, 2, 0}, {2, 32, 11, 12, 24, 3, 3, 1}}) {
            ConvGeometry g = ConvGeometry.of(s[0], s[1], s[2], s[3], s[4], s[5], s[5], s[6], s[7], 1, 1);
            checkAllConvolutions(g, true, false, s[1], s[4]);
        }
    }

    /**
     * 1x1 layers with a stride, which {@link StridedPointwise} computes straight from the tensors: a residual
     * network's two shortcuts, a batch that is no whole number of the weight gradient's tasks, stride 3, unequal
     * strides, and output rows that end inside a vector.
     */
    @Test
    void stridedPointwiseLayersMatchReference() {
        for (int[] s : new int[][] {{9, 32, 28, 28, 64, 2, 2}, {3, 64, 14, 14, 128, 2, 2}, {2, 32, 11, 10, 8, 3, 3},
            {1, 64, 9, 13, 16, 2, 3}, {2, 96, 5, 5, 24, 2, 2}}) {
            ConvGeometry g = new ConvGeometry(s[0], s[1], s[2], s[3], s[4], 1, 1, s[5], s[6], 0, 0, 1, 1, 1,
                    ConvGeometry.outputSize(s[2], 1, s[5], 0, 1), ConvGeometry.outputSize(s[3], 1, s[6], 0, 1));
            assertTrue(StridedPointwise.applies(g), g.toString());
            checkAllConvolutions(g, true, s[0] == 2, s[1], s[4]);
        }
    }

    /**
     * Stride-1 layers whose output rows are a multiple of seven pixels wide and which have channels enough for the
     * tiles over output channels: the forward pass and input gradient run seven neighbouring pixels at a time over a
     * spread copy of the input (widths 7, 14 and 28, kernels 3 and 5, dilated or not, output channels off the vector
     * width).
     */
    @Test
    void unitStrideLayersOfSevenPixelRowsMatchReference() {
        for (int[] s : new int[][] {{2, 32, 14, 14, 40, 3, 1, 1}, {1, 8, 7, 7, 33, 5, 2, 1}, {2, 16, 28, 28, 32, 3, 1, 1},
            {1, 6, 18, 18, 48, 3, 0, 2}, {3, 40, 7, 7, 35, 3, 1, 1}}) {
            ConvGeometry g = ConvGeometry.of(s[0], s[1], s[2], s[3], s[4], s[5], s[5], 1, s[6], s[7], 1);
            assertEquals(0, g.outW() % 7, "width " + g.outW());
            checkAllConvolutions(g, true, s[0] == 2, s[1], s[4]);
        }
    }

    /**
     * 3x3 stride-1 layers with the channel counts at which the automatic choice takes Winograd's
     * transform (32 and more), odd and even sizes, every padding it takes, and batches that split
     * unevenly into its tasks.
     */
    @Property(tries = 12)
    void winogradLayersMatchReference(@ForAll @IntRange(min = 1, max = 9) int batch,
                                      @ForAll @IntRange(min = 32, max = 70) int in, @ForAll @IntRange(min = 32, max = 70) int out,
                                      @ForAll @IntRange(min = 1, max = 15) int h, @ForAll @IntRange(min = 1, max = 15) int w,
                                      @ForAll @IntRange(min = 0, max = 2) int pad, @ForAll boolean relu) {
        Assume.that(h + 2 * pad >= 3 && w + 2 * pad >= 3);
        ConvGeometry g = ConvGeometry.of(batch, in, h, w, out, 3, 3, 1, pad, 1, 1);
        checkAllConvolutions(g, true, relu, in, out);
    }

    /**
     * Batches larger than the Winograd tasks' images, which its planes hold side by side (16 at 7x7; a
     * weight-gradient task takes 16), so that several tasks hold more images than a vector has lanes and the
     * last one fewer: 7x7 and 14x14 with 2x2 tiles, 20x21 with 4x4 tiles.
     */
    @Test
    void winogradTasksOfManyImagesMatchReference() {
        for (int[] shape : new int[][] {{37, 7, 7}, {21, 14, 14}, {5, 20, 21}}) {
            ConvGeometry g = ConvGeometry.of(shape[0], 24, shape[1], shape[2], 40, 3, 3, 1, 1, 1, 1);
            checkAllConvolutions(g, true, true, 24, 40);
        }
    }

    /**
     * 3x3 stride-1 layers large enough (from 20x20 outputs) for Winograd's 4x4 tiles in the forward pass
     * and the input gradient, with sizes that 4 does not divide, so that tiles cross the edges.
     */
    @Property(tries = 8)
    void largeWinogradTilesMatchReference(@ForAll @IntRange(min = 1, max = 3) int batch,
                                          @ForAll @IntRange(min = 32, max = 41) int in, @ForAll @IntRange(min = 32, max = 41) int out,
                                          @ForAll @IntRange(min = 18, max = 30) int h, @ForAll @IntRange(min = 18, max = 30) int w,
                                          @ForAll @IntRange(min = 0, max = 2) int pad, @ForAll boolean relu) {
        ConvGeometry g = ConvGeometry.of(batch, in, h, w, out, 3, 3, 1, pad, 1, 1);
        checkAllConvolutions(g, true, relu, in, out);
    }

    private static void checkConvolution(CpuKernels[] kernels, ConvGeometry g, float[] x, float[] wt, float[] bias,
                                         boolean relu, float[] dy, float[] yRef, float[] dxRef, float[] dwRef, float[] dbRef,
                                         int inPerGroup, int outPerGroup) {
        int batch = g.batch();
        int terms = inPerGroup * g.kH() * g.kW();
        float[][] first = null;
        for (CpuKernels fast : kernels) {
            float[] y = new float[yRef.length];
            Arrays.fill(y, Float.NaN);
            fast.conv2d(g, x, wt, bias, relu, y);
            assertClose(yRef, y, terms, "conv2d " + g);
            float[] dx = new float[x.length];
            Arrays.fill(dx, Float.NaN);
            fast.conv2dBackwardInput(g, dy, wt, dx);
            assertClose(dxRef, dx, outPerGroup * g.kH() * g.kW(), "conv2d input gradient " + g);
            float[] dw = new float[wt.length];
            float[] db = new float[g.outChannels()];
            Arrays.fill(dw, Float.NaN);
            fast.conv2dBackwardWeight(g, x, dy, dw, db);
            assertClose(dwRef, dw, batch * g.outH() * g.outW(), "conv2d weight gradient " + g);
            assertClose(dbRef, db, batch * g.outH() * g.outW(), "conv2d bias gradient " + g);
            float[][] results = {y, dx, dw, db};
            if (first == null) {
                first = results;
            } else {
                for (int i = 0; i < results.length; i++) {
                    assertArrayEquals(first[i], results[i], "thread count changed result " + i + " of " + g + " on " + fast.name());
                }
            }
        }
    }

    /**
     * The finiteness check finds one NaN or infinity anywhere, in the vectors or the tail, and passes the largest
     * and smallest finite floats; the reference agrees.
     */
    @Property(tries = 60)
    void allFiniteFindsEveryNonFiniteValue(@ForAll @IntRange(min = 0, max = 70) int n, @ForAll @IntRange(min = 0, max = 69) int at,
                                           @ForAll @IntRange(min = 0, max = 2) int kind) {
        Random r = new Random(n * 100L + at);
        float[] a = random(r, n);
        if (n > 0) {
            a[0] = Float.MAX_VALUE;
            a[n - 1] = -Float.MIN_VALUE;
        }
        assertTrue(ONE.allFinite(a, n), "finite values");
        assertTrue(REF.allFinite(a, n), "finite values, reference");
        Assume.that(at < n);
        a[at] = new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}[kind];
        assertFalse(ONE.allFinite(a, n), a[at] + " at " + at + " of " + n);
        assertFalse(REF.allFinite(a, n), a[at] + " at " + at + " of " + n + ", reference");
    }

    @Test
    void weightGradientOfALargeBatchIsIdenticalForAnyThreadCount() {
        ConvGeometry g = ConvGeometry.of(37, 3, 11, 9, 5, 3, 3, 1, 1, 1, 1);
        Random r = new Random(5);
        float[] x = random(r, g.batch() * g.inputImageSize());
        float[] dy = random(r, g.batch() * g.outputImageSize());
        float[] dw1 = new float[g.weightSize()];
        float[] dw3 = new float[g.weightSize()];
        ONE.conv2dBackwardWeight(g, x, dy, dw1, null);
        THREE.conv2dBackwardWeight(g, x, dy, dw3, null);
        assertArrayEquals(dw1, dw3);
    }

    /**
     * The bias gradient's sums must not depend on whether HotSpot has compiled them yet: a vector
     * reduceLanes(ADD) changed order, and so its last bits, after about 12,000 calls. Only a JVM in which
     * the kernel is still cold can catch that regression; the values span 6 decades so that the order shows.
     */
    @Test
    void biasGradientIsTheSameBeforeAndAfterJitCompilation() {
        Random r = new Random(11);
        float[] dy = new float[2 * 3 * 70];
        for (int i = 0; i < dy.length; i++) {
            dy[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(6)));
        }
        float[] first = new float[3];
        ONE.biasGradient(dy, 2, 3, 70, first);
        float[] again = new float[3];
        for (int call = 0; call < 30_000; call++) {
            ONE.biasGradient(dy, 2, 3, 70, again);
            if (!Arrays.equals(first, again)) {
                throw new AssertionError("call " + call + " gave " + Arrays.toString(again) + ", the first gave "
                        + Arrays.toString(first));
            }
        }
    }

    /**
     * Adam's vectors against the scalar definition, bitwise: plain, with L2 or decoupled weight decay, with
     * AMSGrad's maximum, over sizes that leave a scalar tail and that span several tasks.
     */
    @Property(tries = 40)
    void adamUpdateMatchesReferenceBitwise(@ForAll @IntRange(min = 1, max = 140_000) int n,
                                           @ForAll @IntRange(min = 0, max = 2) int decay, @ForAll boolean amsgrad) {
        Random r = new Random(n * 7L + decay);
        AdamStep step = new AdamStep(0.9f, 0.1f, 0.999f, 0.001f, 1e-8f, decay == 0 ? 0f : 0.01f, decay == 2,
                0.99999f, -0.0031f, 0.0447f);
        float[] w = random(r, n);
        float[] g = random(r, n);
        g[0] = 0f;
        float[] m = random(r, n);
        float[] v = random(r, n);
        for (int i = 0; i < n; i++) {
            v[i] = Math.abs(v[i]);
        }
        float[] vMax = amsgrad ? random(r, n) : null;
        float[][] expected = {w.clone(), m.clone(), v.clone(), amsgrad ? vMax.clone() : null};
        REF.adamUpdate(expected[0], g, expected[1], expected[2], expected[3], n, step);
        for (CpuKernels fast : new CpuKernels[] {ONE, TWO}) {
            float[][] got = {w.clone(), m.clone(), v.clone(), amsgrad ? vMax.clone() : null};
            fast.adamUpdate(got[0], g, got[1], got[2], got[3], n, step);
            for (int a = 0; a < 4; a++) {
                if (expected[a] != null) {
                    assertArrayEquals(expected[a], got[a]);
                }
            }
        }
    }

    @Property(tries = 60)
    void poolingMatchesReference(@ForAll @IntRange(min = 1, max = 70) int planes, @ForAll @IntRange(min = 2, max = 15) int h,
                                 @ForAll @IntRange(min = 2, max = 41) int w, @ForAll boolean twoByTwo) {
        PoolGeometry g = twoByTwo ? PoolGeometry.of(planes, h, w, 2, 2, 0) : PoolGeometry.of(planes, h, w, 3, 2, 1);
        Random r = new Random(planes * 100L + h * 10L + w);
        float[] x = random(r, planes * h * w);
        x[0] = x[1]; // a tie: the first index must win, as in the reference
        x[x.length / 2] = Float.NaN; // NaN wins over numbers, as in PyTorch
        x[x.length / 3] = Float.NaN;
        float[] yRef = new float[planes * g.outputPlaneSize()];
        int[] aRef = new int[yRef.length];
        REF.maxPool2d(g, x, yRef, aRef);
        float[] dy = random(r, yRef.length);
        float[] dxRef = new float[x.length];
        REF.maxPool2dBackward(g, dy, aRef, dxRef);
        for (CpuKernels fast : new CpuKernels[] {ONE, TWO}) {
            float[] y = new float[yRef.length];
            int[] a = new int[yRef.length];
            fast.maxPool2d(g, x, y, a);
            assertArrayEquals(yRef, y);
            assertArrayEquals(aRef, a);
            float[] dx = new float[x.length];
            Arrays.fill(dx, Float.NaN);
            fast.maxPool2dBackward(g, dy, a, dx);
            assertArrayEquals(dxRef, dx);
        }
    }

    /**
     * Values from a handful, so most windows hold ties (and signed zeros and NaNs) in every arrangement; 2x2
     * windows, or the 1x2 windows of a MaxPool1d(2), which take the same vectorised paths, forward (with and
     * without indexes) and backward.
     */
    @Property(tries = 60)
    void maxPoolingBreaksTiesLikeTheReference(@ForAll @IntRange(min = 1, max = 70) int planes,
                                              @ForAll @IntRange(min = 2, max = 12) int h, @ForAll @IntRange(min = 2, max = 37) int w,
                                              @ForAll boolean oneRow) {
        PoolGeometry g = oneRow ? new PoolGeometry(planes, h, w, 1, 2, 1, 2, 0, 0, h, w / 2) : PoolGeometry.of(planes, h, w, 2, 2, 0);
        Random r = new Random(planes * 1000L + h * 40L + w);
        float[] values = {-1f, -0f, 0f, 0.5f, 1f, Float.NaN, Float.intBitsToFloat(0xffc00000)};
        float[] x = new float[planes * h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = values[r.nextInt(r.nextBoolean() ? 2 : values.length)];
        }
        float[] yRef = new float[planes * g.outputPlaneSize()];
        int[] aRef = new int[yRef.length];
        REF.maxPool2d(g, x, yRef, aRef);
        float[] dy = new float[yRef.length];
        for (int i = 0; i < dy.length; i++) {
            dy[i] = values[r.nextInt(5)]; // signed zeros among them: the scatter adds each to +0
        }
        float[] dxRef = new float[x.length];
        REF.maxPool2dBackward(g, dy, aRef, dxRef);
        for (CpuKernels fast : new CpuKernels[] {ONE, TWO}) {
            float[] y = new float[yRef.length];
            int[] a = new int[yRef.length];
            fast.maxPool2d(g, x, y, a);
            assertArrayEquals(aRef, a);
            float[] withoutIndexes = new float[yRef.length];
            fast.maxPool2d(g, x, withoutIndexes, null);
            for (int i = 0; i < y.length; i++) {
                assertEquals(Float.floatToRawIntBits(yRef[i]), Float.floatToRawIntBits(y[i]), "output " + i);
                assertEquals(Float.floatToRawIntBits(yRef[i]), Float.floatToRawIntBits(withoutIndexes[i]),
                        "output " + i + " without indexes");
            }
            float[] dx = new float[x.length];
            Arrays.fill(dx, Float.NaN); // every element is written, those no window covers included
            fast.maxPool2dBackward(g, dy, a, dx);
            assertArrayEquals(dxRef, dx, "gradient");
        }
    }

    @Test
    void maxPoolingPropagatesNaNLikeTheReference() {
        PoolGeometry g = PoolGeometry.of(1, 2, 4, 2, 2, 0);
        float[] x = {1, Float.NaN, 5, 2, 3, 4, Float.NaN, 9};
        float[] yRef = new float[2];
        int[] aRef = new int[2];
        REF.maxPool2d(g, x, yRef, aRef);
        float[] y = new float[2];
        int[] a = new int[2];
        TWO.maxPool2d(g, x, y, a);
        assertArrayEquals(yRef, y);
        assertArrayEquals(aRef, a);
        assertEquals(1, a[0]);
    }

    /** A residual block's sum is split over the threads in tasks; with an odd tail, both ways, it is the reference's. */
    @Test
    void largeSumsSplitOverThreadsMatchReference() {
        Random r = new Random(17);
        float[] a = random(r, 200_003);
        float[] b = random(r, a.length);
        for (boolean relu : new boolean[] {false, true}) {
            float[] expected = new float[a.length];
            float[] actual = new float[a.length];
            REF.add(a, b, relu, expected, a.length);
            TWO.add(a, b, relu, actual, a.length);
            assertArrayEquals(expected, actual, "add, relu " + relu);
        }
    }

    @Property(tries = 40)
    void elementwiseAndLinearMatchReference(@ForAll @IntRange(min = 1, max = 9) int batch,
                                            @ForAll @IntRange(min = 1, max = 90) int in,
                                            @ForAll @IntRange(min = 1, max = 40) int out, @ForAll boolean relu) {
        Random r = new Random(batch * 1000L + in * 10L + out);
        float[] x = random(r, batch * in);
        float[] w = random(r, out * in);
        float[] bias = random(r, out);
        float[] yRef = new float[batch * out];
        REF.linear(batch, in, out, x, w, bias, relu, yRef);
        float[] y = new float[yRef.length];
        TWO.linear(batch, in, out, x, w, bias, relu, y);
        assertClose(yRef, y, in, "linear");
        for (CpuKernels other : new CpuKernels[] {ONE, THREE}) {
            float[] again = new float[yRef.length];
            other.linear(batch, in, out, x, w, bias, relu, again);
            assertArrayEquals(y, again, "linear on " + other.name());
        }

        float[] dy = random(r, x.length);
        float[] expected = new float[x.length];
        float[] actual = new float[x.length];
        REF.reluBackward(x, dy, expected, x.length);
        TWO.reluBackward(x, dy, actual, x.length);
        assertArrayEquals(expected, actual, "reluBackward");
        REF.relu(x, expected, x.length);
        TWO.relu(x, actual, x.length);
        assertArrayEquals(expected, actual, "relu");
        REF.add(x, dy, relu, expected, x.length);
        TWO.add(x, dy, relu, actual, x.length);
        assertArrayEquals(expected, actual, "add");
        REF.mul(x, dy, expected, x.length);
        TWO.mul(x, dy, actual, x.length);
        assertArrayEquals(expected, actual, "mul");
        float[] db = new float[in];
        float[] dbRef = new float[in];
        REF.biasGradient(x, batch, in, 1, dbRef);
        TWO.biasGradient(x, batch, in, 1, db);
        assertClose(dbRef, db, batch, "bias gradient");
    }

    @AfterContainer
    static void closePools() {
        for (CpuKernels[] kernels : CONVOLUTIONS) {
            for (CpuKernels k : kernels) {
                k.close();
            }
        }
    }
}
