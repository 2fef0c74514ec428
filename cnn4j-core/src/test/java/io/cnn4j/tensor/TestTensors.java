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

    /** The smallest absolute value in {@code t}: how far its nearest element is from a ReLU kink. */
    public static double minAbs(Tensor t) {
        double min = Double.POSITIVE_INFINITY;
        for (float v : t.data()) {
            min = Math.min(min, Math.abs(v));
        }
        return min;
    }
}
