package io.cnn4j.cli;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.concurrent.atomic.DoubleAdder;

/**
 * The single-precision peak of this machine's cores as Java reaches it: vector FMAs on the widest species,
 * on independent accumulators, with no memory traffic at all. It is the roofline that {@code cnn4j bench
 * --gemm} reports its multiply against, measured in the same run rather than worked out from a data sheet:
 * the clock a host grants, and whether a core does one or two vector FMAs a cycle (Zen 1 splits each
 * 256-bit FMA into two halves; Zen 3 and later run two whole ones), are what such a figure gets wrong.
 */
final class FmaPeak {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Enough chains to cover an FMA's latency times the FMAs a cycle of every x86 core in use (4-5 x 2). */
    private static final int CHAINS = 10;
    private static final int STEPS = 1 << 16;

    private FmaPeak() {
    }

    /**
     * GFLOP/s of {@code threads} threads running the FMA loop at once for about {@code seconds}: the sum
     * of each thread's best slice, so that a moment when the host takes a core away does not count.
     */
    static double gflops(int threads, double seconds) {
        DoubleAdder total = new DoubleAdder();
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = new Thread(() -> total.add(best(seconds)));
            workers[t].start();
        }
        for (Thread worker : workers) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while measuring the FMA peak", e);
            }
        }
        return total.sum();
    }

    private static double best(double seconds) {
        double flopsPerSlice = 2.0 * S.length() * CHAINS * STEPS;
        double best = 0;
        float sink = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        do {
            long t0 = System.nanoTime();
            sink += slice(0.5f);
            best = Math.max(best, flopsPerSlice / (System.nanoTime() - t0));
        } while (System.nanoTime() < end);
        // The sum is always finite; the test keeps the JIT from dropping the loop as dead code.
        return Float.isFinite(sink) ? best : 0;
    }

    /**
     * {@link #STEPS} steps of {@link #CHAINS} independent FMAs, each chain accumulating as a GEMM's tile does
     * ({@code c += a * b}: with {@code c} as a multiplicand instead, Zen 1 reached a sixth less), on values
     * that stay finite.
     */
    private static float slice(float seed) {
        FloatVector a = FloatVector.broadcast(S, seed);
        FloatVector b = FloatVector.broadcast(S, 0.999f);
        FloatVector c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a, c8 = a, c9 = a;
        for (int i = 0; i < STEPS; i++) {
            c0 = a.fma(b, c0);
            c1 = a.fma(b, c1);
            c2 = a.fma(b, c2);
            c3 = a.fma(b, c3);
            c4 = a.fma(b, c4);
            c5 = a.fma(b, c5);
            c6 = a.fma(b, c6);
            c7 = a.fma(b, c7);
            c8 = a.fma(b, c8);
            c9 = a.fma(b, c9);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).reduceLanes(VectorOperators.ADD);
    }
}
