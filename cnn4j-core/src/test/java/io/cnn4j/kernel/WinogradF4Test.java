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
}
