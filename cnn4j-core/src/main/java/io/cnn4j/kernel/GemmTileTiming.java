package io.cnn4j.kernel;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The measurement that picks the matrix multiply's tile on the machine at hand: each candidate multiplies
 * the same few problems on the calling thread (the choice must not depend on the thread count), round after
 * round, candidates alternating so that all of them see the same host, until the best times have stood for
 * half a second; the fastest sum of best times wins. One to three seconds, most of them the JIT compiling each
 * candidate, once per processor model: the {@link TuningCache} keeps the winner.
 *
 * <p>The problems stand for what the kernels multiply: a square one, and a convolution's two products on a
 * 28x28 image with 64 channels in and out (the forward pass, a weight gradient).
 */
final class GemmTileTiming {
    /** {@code m, k, n, transB}: a 512 cube; a 3x3 convolution's forward product and its weight gradient. */
    private static final int[][] PROBLEMS = {{512, 512, 512, 0}, {64, 576, 784, 0}, {64, 784, 576, 1}};
    /**
     * How long the best times must stand before they count: a candidate's micro-kernel runs many times slower
     * until the JIT has compiled it, which can take a second on a busy machine, and the candidates are compiled
     * one after another.
     */
    private static final double SETTLE_SECONDS = 0.5;
    /** A best time that drops by more than this share has not settled. */
    private static final double SETTLED_GAIN = 0.1;
    private static final int MIN_ROUNDS = 5;
    /** The limit if some candidate never settles: a host whose speed swings by more than a tenth throughout. */
    private static final double MAX_SECONDS = 5;

    private GemmTileTiming() {
    }

    /** The fastest of {@code candidates} on this machine. */
    static GemmTile fastest(List<GemmTile> candidates) {
        SplittableRandom rng = new SplittableRandom(0);
        float[][] a = new float[PROBLEMS.length][];
        float[][] b = new float[PROBLEMS.length][];
        float[][] c = new float[PROBLEMS.length][];
        for (int i = 0; i < PROBLEMS.length; i++) {
            int[] p = PROBLEMS[i];
            a[i] = random(rng, p[0] * p[1]);
            b[i] = random(rng, p[1] * p[2]);
            c[i] = new float[p[0] * p[2]];
        }
        double[][] best = new double[candidates.size()][PROBLEMS.length];
        for (double[] row : best) {
            Arrays.fill(row, Double.MAX_VALUE);
        }
        long start = System.nanoTime();
        long settledSince = start;
        for (int round = 0; ; round++) {
            for (int t = 0; t < candidates.size(); t++) {
                for (int i = 0; i < PROBLEMS.length; i++) {
                    int[] p = PROBLEMS[i];
                    boolean transB = p[3] == 1;
                    long t0 = System.nanoTime();
                    Gemm.multiply(candidates.get(t), null, false, transB, p[0], p[2], p[1], a[i], 0, p[1],
                            b[i], 0, transB ? p[1] : p[2], 0f, c[i], 0, p[2]);
                    long t1 = System.nanoTime();
                    if (t1 - t0 < (1 - SETTLED_GAIN) * best[t][i]) {
                        settledSince = t1;
                    }
                    best[t][i] = Math.min(best[t][i], t1 - t0);
                }
            }
            long now = System.nanoTime();
            if (round + 1 >= MIN_ROUNDS && now - settledSince > SETTLE_SECONDS * 1e9 || now - start > MAX_SECONDS * 1e9) {
                break;
            }
        }
        int fastest = 0;
        for (int t = 1; t < candidates.size(); t++) {
            if (Arrays.stream(best[t]).sum() < Arrays.stream(best[fastest]).sum()) {
                fastest = t;
            }
        }
        for (int t = 0; t < candidates.size(); t++) {
            if (t != fastest) {
                Gemm.releaseBuffers(candidates.get(t));
            }
        }
        return candidates.get(fastest);
    }

    private static float[] random(SplittableRandom rng, int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return values;
    }
}
