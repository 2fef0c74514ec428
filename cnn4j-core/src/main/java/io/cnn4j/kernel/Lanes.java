package io.cnn4j.kernel;

import jdk.incubator.vector.FloatVector;

/**
 * A vector's lanes summed one by one in lane order. {@code reduceLanes(ADD)} leaves its order open, and
 * HotSpot changes it once C2 compiles the caller, so the same call would change its last bits between
 * the first calls and later ones; every kernel that must be deterministic sums lanes here instead.
 */
final class Lanes {
    private Lanes() {
    }

    static float sum(FloatVector v) {
        float s = 0f;
        for (int lane = 0; lane < v.length(); lane++) {
            s += v.lane(lane);
        }
        return s;
    }

    /** The same order, accumulated in double (for the statistics of batch normalisation). */
    static double sumAsDouble(FloatVector v) {
        double s = 0;
        for (int lane = 0; lane < v.length(); lane++) {
            s += v.lane(lane);
        }
        return s;
    }
}
