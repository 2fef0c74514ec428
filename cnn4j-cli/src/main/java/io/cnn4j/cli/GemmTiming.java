package io.cnn4j.cli;

import io.cnn4j.kernel.Kernels;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@code cnn4j bench --gemm}: the matrix multiply alone, {@code C = A B} with A of {@code m x k} and B of
 * {@code k x n}, both stored as they are used. Timed as {@code scripts/bench-vs-pytorch} times
 * {@code torch.mm} beside it, so the two figures compare: a second of untimed calls for the JIT, then
 * calls timed one by one for about two seconds; it reports the best and the median.
 */
record GemmTiming(int m, int k, int n) {
    private static final double WARM_UP_SECONDS = 1;
    private static final double MEASURE_SECONDS = 2;

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
        run(kernels, a, b, c, WARM_UP_SECONDS);
        double[] seconds = run(kernels, a, b, c, MEASURE_SECONDS);
        Arrays.sort(seconds);
        double flop = 2.0 * m * k * n;
        return String.format(Locale.ROOT,
                "{\"gemm\":\"%dx%dx%d\",\"threads\":%d,\"calls\":%d,\"best_gflops\":%.2f,\"median_gflops\":%.2f,"
                        + "\"kernels\":\"%s\",\"java\":\"%s\"}",
                m, k, n, threads, seconds.length, flop / seconds[0] / 1e9, flop / seconds[seconds.length / 2] / 1e9,
                kernels.name(), Runtime.version());
    }

    /** Calls the multiply until {@code budget} seconds have passed (at least three times); returns each call's time. */
    private double[] run(Kernels kernels, float[] a, float[] b, float[] c, double budget) {
        double[] times = new double[16];
        int calls = 0;
        long start = System.nanoTime();
        while (calls < 3 || System.nanoTime() - start < budget * 1e9) {
            long t0 = System.nanoTime();
            kernels.gemm(false, false, m, n, k, a, 0, k, b, 0, n, 0f, c, 0, n);
            if (calls == times.length) {
                times = Arrays.copyOf(times, 2 * calls);
            }
            times[calls++] = (System.nanoTime() - t0) / 1e9;
        }
        return Arrays.copyOf(times, calls);
    }

    private static float[] random(SplittableRandom rng, int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return values;
    }
}
