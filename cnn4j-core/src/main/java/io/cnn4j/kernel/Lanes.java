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

    /*
     * With AVX2's 8 and AVX-512's 16 lanes written out: C2 extracts a lane named by a constant in two instructions, but
     * one named by a loop variable through a detour (2% of a resnet3 step went to lane(int) in a loop).
     */

    static float sum(FloatVector v) {
        if (v.length() == 8) {
            return 0f + v.lane(0) + v.lane(1) + v.lane(2) + v.lane(3) + v.lane(4) + v.lane(5) + v.lane(6) + v.lane(7);
        }
        if (v.length() == 16) {
            return 0f + v.lane(0) + v.lane(1) + v.lane(2) + v.lane(3) + v.lane(4) + v.lane(5) + v.lane(6) + v.lane(7)
                    + v.lane(8) + v.lane(9) + v.lane(10) + v.lane(11) + v.lane(12) + v.lane(13) + v.lane(14) + v.lane(15);
        }
        float s = 0f;
        for (int lane = 0; lane < v.length(); lane++) {
            s += v.lane(lane);
        }
        return s;
    }

    /** The same order, accumulated in double (for the statistics of batch normalisation). */
    static double sumAsDouble(FloatVector v) {
        if (v.length() == 8) {
            return 0.0 + v.lane(0) + v.lane(1) + v.lane(2) + v.lane(3) + v.lane(4) + v.lane(5) + v.lane(6) + v.lane(7);
        }
        if (v.length() == 16) {
            return 0.0 + v.lane(0) + v.lane(1) + v.lane(2) + v.lane(3) + v.lane(4) + v.lane(5) + v.lane(6) + v.lane(7)
                    + v.lane(8) + v.lane(9) + v.lane(10) + v.lane(11) + v.lane(12) + v.lane(13) + v.lane(14) + v.lane(15);
        }
        double s = 0;
        for (int lane = 0; lane < v.length(); lane++) {
            s += v.lane(lane);
        }
        return s;
    }
}
