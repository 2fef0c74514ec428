package io.cnn4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Copies of the short rows that the layout changes around the convolutions move (a 28-pixel row into a
 * padded image, a flat output row back into NCHW, a row spread out for the row tile or gathered from a
 * tile's results). {@code
 * System.arraycopy} costs a call to a stub for each, more than the copy itself at these lengths: the first
 * layer of a 28x28 network moved its 6.4 MB of activations in 57,000 calls a batch, which took longer than
 * its multiply-adds. A row of at least one vector goes in whole vectors instead, the last one overlapping
 * the one before it, so no scalar tail.
 */
final class ShortRows {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private ShortRows() {
    }

    /** {@code dst[d, d + len) = src[s, s + len)}; the two ranges must not overlap. */
    static void copy(float[] src, int s, float[] dst, int d, int len) {
        if (len < L) {
            System.arraycopy(src, s, dst, d, len);
            return;
        }
        int last = len - L;
        for (int j = 0; j < last; j += L) {
            FloatVector.fromArray(S, src, s + j).intoArray(dst, d + j);
        }
        FloatVector.fromArray(S, src, s + last).intoArray(dst, d + last);
    }

    /**
     * {@code dst[d + step * j] = src[s + j]} for {@code j < len}: a row spread out, for the tiles that read
     * neighbouring pixels {@code step} floats apart.
     */
    static void spread(float[] src, int s, float[] dst, int d, int len, int step) {
        for (int j = 0; j < len; j++) {
            dst[d + step * j] = src[s + j];
        }
    }

    /**
     * {@code dst[d + j] = src[s + map[j]]} for {@code j < len}: a row gathered through a map, one gather and one
     * whole store a vector, for the turns of tiles' results back into NCHW.
     */
    static void gather(float[] src, int s, int[] map, float[] dst, int d, int len) {
        if (len < L) {
            for (int j = 0; j < len; j++) {
                dst[d + j] = src[s + map[j]];
            }
            return;
        }
        int last = len - L;
        for (int j = 0; j < last; j += L) {
            FloatVector.fromArray(S, src, s, map, j).intoArray(dst, d + j);
        }
        FloatVector.fromArray(S, src, s, map, last).intoArray(dst, d + last);
    }

    /**
     * {@code dst[d + j] = max(src[s + j] + bias, 0)} for {@code j < len} (or without the max). Recomputing the
     * overlap of the last vector writes the same values again, as the source is not the destination.
     */
    static void biasRelu(float[] src, int s, float[] dst, int d, int len, float bias, boolean relu) {
        if (len < L) {
            for (int j = 0; j < len; j++) {
                float v = src[s + j] + bias;
                dst[d + j] = relu ? Math.max(v, 0f) : v;
            }
            return;
        }
        FloatVector b = FloatVector.broadcast(S, bias);
        FloatVector zero = FloatVector.zero(S);
        int last = len - L;
        for (int j = 0; j < last; j += L) {
            FloatVector v = FloatVector.fromArray(S, src, s + j).add(b);
            (relu ? v.max(zero) : v).intoArray(dst, d + j);
        }
        FloatVector v = FloatVector.fromArray(S, src, s + last).add(b);
        (relu ? v.max(zero) : v).intoArray(dst, d + last);
    }
}
