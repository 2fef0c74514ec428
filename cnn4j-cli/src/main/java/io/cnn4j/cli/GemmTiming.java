package io.cnn4j.cli;

import io.cnn4j.kernel.CpuKernels;
import io.cnn4j.kernel.Kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@code cnn4j bench --gemm}: the matrix multiply alone, {@code C = A B} with A of {@code m x k} and B of
 * {@code k x n}, both stored as they are used. Timed as {@code scripts/bench-vs-pytorch} times
 * {@code torch.mm} beside it, so the two figures compare: a second of untimed calls for the JIT, then
 * calls timed one by one for about two seconds; it reports the best and the median.
 *
 * <p>With OpenBLAS beside it ({@link #measureAgainst}), the two multiplies alternate call by call, so both
 * see the same host: on a shared machine whose speed drifts by a quarter from minute to minute, that
 * pairing is what separates the multiplies from the host (docs/PERFORMANCE.md).
 *
 * <p>Either way the JSON ends with the roofline: the machine's FMA peak on the same number of threads,
 * measured by {@link FmaPeak} in the same run, and the share of it that the best call reached.
 */
record GemmTiming(int m, int k, int n) {
    private static final double WARM_UP_SECONDS = 1;
    private static final double MEASURE_SECONDS = 2;
    private static final double PEAK_SECONDS = 0.5;

    GemmTiming {
        if (m < 1 || k < 1 || n < 1) {
            throw new IllegalArgumentException("--gemm: sizes must be >= 1, got " + m + "x" + k + "x" + n);
        }
    }

    /** {@code N} for a square multiply, or {@code MxKxN}. */
    static GemmTiming parse(String size) {
        String[] parts = size.trim().toLowerCase(Locale.ROOT).split("x", -1);
        try {
            if (parts.length == 1) {
                int s = Integer.parseInt(parts[0]);
                return new GemmTiming(s, s, s);
            }
            if (parts.length == 3) {
                return new GemmTiming(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
            }
        } catch (NumberFormatException e) {
            // reported below with the form expected
        }
        throw new IllegalArgumentException("--gemm: expected N (a square multiply) or MxKxN, e.g. 1024 or 64x3136x128; got '"
                + size + "'");
    }

    /** Times the multiply on {@code kernels} and returns one JSON object. */
    String measure(Kernels kernels, int threads) {
        SplittableRandom rng = new SplittableRandom(0);
        float[] a = random(rng, m * k);
        float[] b = random(rng, k * n);
        float[] c = new float[m * n];
        Runnable multiply = () -> kernels.gemm(false, false, m, n, k, a, 0, k, b, 0, n, 0f, c, 0, n);
        time(WARM_UP_SECONDS, multiply);
        double[] seconds = time(MEASURE_SECONDS, multiply)[0];
        Arrays.sort(seconds);
        return String.format(Locale.ROOT,
                "{\"gemm\":\"%dx%dx%d\",\"threads\":%d,\"calls\":%d,\"best_gflops\":%.2f,\"median_gflops\":%.2f,"
                        + "%s,\"kernels\":\"%s\",\"tile\":\"%s\",\"java\":\"%s\"}",
                m, k, n, threads, seconds.length, gflops(seconds[0]), gflops(seconds[seconds.length / 2]),
                roofline(threads, seconds[0]), kernels.name(), tile(kernels), Runtime.version());
    }

    /**
     * Times cnn4j's multiply on {@code kernels} and OpenBLAS's alternately, call by call, and returns one
     * JSON object: each side's best and median, the median over pairs of cnn4j's speed over OpenBLAS's,
     * and the largest difference between their products (a check that both computed the same thing).
     */
    String measureAgainst(Kernels kernels, int threads, OpenBlas blas) {
        SplittableRandom rng = new SplittableRandom(0);
        float[] a = random(rng, m * k);
        float[] b = random(rng, k * n);
        float[] c = new float[m * n];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment na = arena.allocateFrom(ValueLayout.JAVA_FLOAT, a);
            MemorySegment nb = arena.allocateFrom(ValueLayout.JAVA_FLOAT, b);
            MemorySegment nc = arena.allocate(ValueLayout.JAVA_FLOAT, (long) m * n);
            Runnable ours = () -> kernels.gemm(false, false, m, n, k, a, 0, k, b, 0, n, 0f, c, 0, n);
            Runnable theirs = () -> blas.multiply(m, n, k, na, nb, nc);
            time(WARM_UP_SECONDS, ours, theirs);
            double[][] seconds = time(2 * MEASURE_SECONDS, ours, theirs);
            float difference = 0;
            for (int i = 0; i < c.length; i++) {
                difference = Math.max(difference, Math.abs(c[i] - nc.getAtIndex(ValueLayout.JAVA_FLOAT, i)));
            }
            int pairs = seconds[0].length;
            double[] ratios = new double[pairs];
            for (int i = 0; i < pairs; i++) {
                ratios[i] = seconds[1][i] / seconds[0][i];
            }
            Arrays.sort(seconds[0]);
            Arrays.sort(seconds[1]);
            Arrays.sort(ratios);
            return String.format(Locale.ROOT,
                    "{\"gemm\":\"%dx%dx%d\",\"threads\":%d,\"pairs\":%d,\"best_gflops\":%.2f,\"median_gflops\":%.2f,"
                            + "\"openblas_best_gflops\":%.2f,\"openblas_median_gflops\":%.2f,\"median_ratio\":%.3f,"
                            + "\"max_abs_difference\":%.3g,%s,\"openblas\":\"%s\",\"kernels\":\"%s\",\"tile\":\"%s\","
                            + "\"java\":\"%s\"}",
                    m, k, n, threads, pairs, gflops(seconds[0][0]), gflops(seconds[0][pairs / 2]),
                    gflops(seconds[1][0]), gflops(seconds[1][pairs / 2]), ratios[pairs / 2],
                    difference, roofline(threads, seconds[0][0]), blas.library(),
                    kernels.name(), tile(kernels), Runtime.version());
        }
    }

    /**
     * The machine and its FMA peak on the same threads, measured after the multiplies (so the JIT's work
     * on them is done), and the share of it that the best call reached: the GEMM's roofline.
     */
    private String roofline(int threads, double bestSeconds) {
        double peakGflops = FmaPeak.gflops(threads, PEAK_SECONDS);
        return String.format(Locale.ROOT, "\"fma_peak_gflops\":%.2f,\"best_fraction_of_peak\":%.3f,\"cpu\":\"%s\"",
                peakGflops, gflops(bestSeconds) / peakGflops, Machine.cpu());
    }

    /**
     * The micro-kernel tile and blocking the multiply ran with, measured per processor or forced with {@code
     * -Dcnn4j.gemm.tile}; {@code none} for kernels without one.
     */
    private static String tile(Kernels kernels) {
        return kernels instanceof CpuKernels ? CpuKernels.gemmTile() : "none";
    }

    private double gflops(double seconds) {
        return 2.0 * m * k * n / seconds / 1e9;
    }

    /**
     * Runs {@code calls} one after another, round after round, until {@code budget} seconds have passed (at
     * least three rounds); returns each call's times, {@code [call][round]}.
     */
    static double[][] time(double budget, Runnable... calls) {
        double[][] times = new double[calls.length][16];
        int rounds = 0;
        long start = System.nanoTime();
        while (rounds < 3 || System.nanoTime() - start < budget * 1e9) {
            if (rounds == times[0].length) {
                for (int i = 0; i < calls.length; i++) {
                    times[i] = Arrays.copyOf(times[i], 2 * rounds);
                }
            }
            for (int i = 0; i < calls.length; i++) {
                long t0 = System.nanoTime();
                calls[i].run();
                times[i][rounds] = (System.nanoTime() - t0) / 1e9;
            }
            rounds++;
        }
        for (int i = 0; i < calls.length; i++) {
            times[i] = Arrays.copyOf(times[i], rounds);
        }
        return times;
    }

    private static float[] random(SplittableRandom rng, int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return values;
    }
}
