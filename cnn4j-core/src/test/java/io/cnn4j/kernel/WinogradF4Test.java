package io.cnn4j.kernel;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WinogradF4Test {
    private static final double[][] G = {
            {1 / 4.0, 0, 0}, {-1 / 6.0, -1 / 6.0, -1 / 6.0}, {-1 / 6.0, 1 / 6.0, -1 / 6.0},
            {1 / 24.0, 1 / 12.0, 1 / 6.0}, {1 / 24.0, -1 / 12.0, 1 / 6.0}, {0, 0, 1}};

    /**
     * A strip's kernels transformed a group of input channels to a vector get the bits they get one at a time,
     * and both are G g G^T: 9 input channels (two whole groups and one left over), kernels in the forward
     * layout and turned for the input gradient.
     */
    @Test
    void groupedWeightTransformMatchesOneKernelAtATimeAndGgGt() {
        int cout = Gemm.MR;
        int cin = 9;
        float[] w = new float[cout * cin * 9];
        Random rng = new Random(7);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rng.nextGaussian();
        }
        for (Winograd.Weights weights : new Winograd.Weights[] {new Winograd.Weights(w, 9 * cin, 9, false),
                new Winograd.Weights(w, 9, 9 * cout, true)}) {
            float[][] grouped = new float[WinogradF4.POINTS][cin * Gemm.MR];
            WinogradF4.transformWeights(0, cout, cin, 1, weights, WinogradF4.kernelLanes(weights),
                    new float[WinogradF4.WEIGHT_STEPS], grouped);
            for (int o = 0; o < cout; o++) {
                float[][] alone = new float[WinogradF4.POINTS][cin * Gemm.MR];
                WinogradF4.transformWeights(o, o + 1, cin, 1, weights, WinogradF4.kernelLanes(weights),
                        new float[WinogradF4.WEIGHT_STEPS], alone);
                for (int c = 0; c < cin; c++) {
                    for (int point = 0; point < WinogradF4.POINTS; point++) {
                        int at = c * Gemm.MR + o;
                        String where = "output " + o + ", input " + c + ", point " + point + ", flipped " + weights.flipped();
                        assertEquals(Float.floatToRawIntBits(alone[point][at]), Float.floatToRawIntBits(grouped[point][at]),
                                where);
                        assertEquals(transformed(weights, o, c, point / 6, point % 6), grouped[point][at], 2e-6, where);
                    }
                }
            }
        }
    }

    /** Entry (i, j) of G g G^T in double precision. */
    private static double transformed(Winograd.Weights weights, int o, int c, int i, int j) {
        double sum = 0;
        for (int kh = 0; kh < 3; kh++) {
            for (int kw = 0; kw < 3; kw++) {
                sum += G[i][kh] * weights.at(o, c, kh, kw) * G[j][kw];
            }
        }
        return sum;
    }

    /**
     * The weight gradient in 4x4 tiles over more images than one group takes (20 at 14x14: groups of 16 and 4),
     * with input channels that fill one vector and part of another, matches the reference, with the same bits
     * on one thread as on three.
     */
    @Test
    void weightGradientOverGroupsOfImagesMatchesTheReferenceOnAnyThreadCount() {
        ConvGeometry g = ConvGeometry.of(20, 20, 14, 14, 17, 3, 3, 1, 1, 1, 1);
        Random rng = new Random(11);
        float[] x = CpuKernelsTest.random(rng, g.batch() * g.inputImageSize());
        float[] dy = CpuKernelsTest.random(rng, g.batch() * g.outputImageSize());
        float[] expected = new float[g.weightSize()];
        new ReferenceKernels().conv2dBackwardWeight(g, x, dy, expected, null);
        float[] one = new float[g.weightSize()];
        float[] three = new float[g.weightSize()];
        try (CpuKernels single = new CpuKernels(1, TuningCache.none()); CpuKernels several = new CpuKernels(3, TuningCache.none())) {
            single.backwardWeight(ConvPath.WINOGRAD_F4, g, x, dy, one);
            several.backwardWeight(ConvPath.WINOGRAD_F4, g, x, dy, three);
        }
        CpuKernelsTest.assertClose(expected, one, 8 * g.batch() * g.outH() * g.outW(), "weight gradient in 4x4 tiles");
        for (int i = 0; i < one.length; i++) {
            assertEquals(Float.floatToRawIntBits(one[i]), Float.floatToRawIntBits(three[i]), "weight " + i);
        }
    }
}
