package io.cnn4j.kernel;

import jdk.incubator.vector.FloatVector;

/**
 * A vector's lanes summed one by one in lane order. {@code reduceLanes(ADD)} leaves its order open, and
 * HotSpot changes it once C2 compiles the caller, so the same call would change its last bits between
 * the first calls and later ones; every kernel that must be deterministic sums lanes here instead.
 *
 * <p>The kernel stores its vector into {@link #buffer()} and passes the array, never the vector: a
 * vector handed to a method that C2 happens not to inline is boxed, allocated on every call (which of
 * two callers gets the method inlined depends on the order in which the JIT compiles them). So no
 * method of the kernels takes or returns a vector.
 */
final class Lanes {
    /** Lanes of the kernels' vectors ({@code FloatVector.SPECIES_PREFERRED}). */
    private static final int L = FloatVector.SPECIES_PREFERRED.length();

    private static final ThreadLocal<float[]> BUFFER = ThreadLocal.withInitial(() -> new float[L]);

    private Lanes() {
    }

    /** The calling thread's array of one vector's floats to store a vector into before summing it. */
    static float[] buffer() {
        return BUFFER.get();
    }

    /** {@code 0 + lanes[0] + lanes[1] + ... + lanes[L-1]}, left to right. */
    static float sum(float[] lanes) {
        float s = 0f;
        for (int lane = 0; lane < L; lane++) {
            s += lanes[lane];
        }
        return s;
    }

    /** The same order, accumulated in double (for the statistics of batch normalisation). */
    static double sumAsDouble(float[] lanes) {
        double s = 0;
        for (int lane = 0; lane < L; lane++) {
            s += lanes[lane];
        }
        return s;
    }
}
