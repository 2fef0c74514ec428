package io.cnn4j.tensor;

/**
 * Input tensors for tests: seeded random values, values kept away from a kink, values that can never
 * tie, and the {@code sin} formula the PyTorch golden files are built from.
 */
public final class TestTensors {
    private TestTensors() {
    }

    /** Uniform in {@code [lo, hi)}. */
    public static Tensor uniform(Rng rng, double lo, double hi, int... dims) {
        Tensor t = Tensor.zeros(dims);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = rng.uniform(lo, hi);
        }
        return t;
    }

    /**
     * Uniform in {@code [-1, -margin] ∪ [margin, 1]}: no element lies within {@code margin} of zero, so a
     * finite-difference step smaller than the margin never crosses the kink of ReLU or leaky ReLU.
     */
    public static Tensor awayFromZero(Rng rng, double margin, int... dims) {
        Tensor t = Tensor.zeros(dims);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            double magnitude = margin + (1 - margin) * rng.nextDouble();
            d[i] = (float) (rng.nextDouble() < 0.5 ? -magnitude : magnitude);
        }
        return t;
    }

    /**
     * A random arrangement of {@code 0, spacing, 2*spacing, ...} shifted to be centred on zero: any two
     * elements differ by at least {@code spacing}, so a step smaller than that never changes which
     * element of a max-pooling window is largest.
     */
    public static Tensor distinct(Rng rng, double spacing, int... dims) {
        Tensor t = Tensor.zeros(dims);
        float[] d = t.data();
        int[] order = rng.permutation(d.length);
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) ((order[i] - (d.length - 1) / 2.0) * spacing);
        }
        return t;
    }

    /**
     * {@code value[i] = (float) (scale * sin(i * 0.37 + phase))} over the flat row-major index: the
     * inputs of the PyTorch golden files ({@code src/test/resources/io/cnn4j/golden/*.py}), evaluated
     * in double and rounded once, exactly as numpy does there.
     */
    public static Tensor formula(double phase, double scale, int... dims) {
        Tensor t = Tensor.zeros(dims);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (scale * StrictMath.sin(i * 0.37 + phase));
        }
        return t;
    }

    /**
     * {@code float32(scale * (2u - 1))}, u in [0, 1) from an integer hash of (flat index, seed): golden_util's
     * {@code hashed_values}, bit for bit, for tests whose values must have no pattern.
     */
    public static Tensor hashed(long seed, double scale, int... dims) {
        Tensor t = Tensor.zeros(dims);
        float[] d = t.data();
        long m = 0xFFFFFFFFL;
        for (int i = 0; i < d.length; i++) {
            long h = (i * 0x9E3779B1L + seed * 0x85EBCA77L) & m;
            h ^= h >>> 16;
            h = (h * 0x7FEB352DL) & m;
            h ^= h >>> 15;
            h = (h * 0x846CA68BL) & m;
            h ^= h >>> 16;
            d[i] = (float) (scale * (2.0 * (h / 4294967296.0) - 1.0));
        }
        return t;
    }

    /** The smallest absolute value in {@code t}: how far its nearest element is from a ReLU kink. */
    public static double minAbs(Tensor t) {
        double min = Double.POSITIVE_INFINITY;
        for (float v : t.data()) {
            min = Math.min(min, Math.abs(v));
        }
        return min;
    }
}
