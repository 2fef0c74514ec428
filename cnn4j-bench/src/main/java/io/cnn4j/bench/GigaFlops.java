package io.cnn4j.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The useful arithmetic a benchmark did, for JMH to report beside calls per second. JMH divides an
 * operations counter by the iteration's time, so counting in units of 10^9 floating-point operations
 * makes the secondary result {@code :gflops} read directly in GFLOP/s (JMH labels its unit "ops/s").
 */
@AuxCounters(AuxCounters.Type.OPERATIONS)
@State(Scope.Thread)
public class GigaFlops {
    /** Billions of floating-point operations done so far in this iteration. */
    public double gflops;

    @Setup(Level.Iteration)
    public void clear() {
        gflops = 0;
    }

    void add(long flop) {
        gflops += flop * 1e-9;
    }
}
