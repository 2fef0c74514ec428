package io.cnn4j.report;

import java.util.Arrays;

/**
 * A value recorded at every optimizer step (the loss, the learning rate), kept in full and thinned for
 * drawing: a run of tens of thousands of steps is drawn from a few hundred buckets, each its first and
 * last step's values and its smallest and largest, so that the faint raw line still shows how noisy the
 * steps were while the page stays small.
 */
final class StepCurve {
    /** Buckets drawn at most; a chart is 420 units wide, so more would not be seen. */
    static final int BUCKETS = 400;

    private double[] values = new double[1024];
    private long[] steps = new long[1024];
    private int size;

    void add(long step, double value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
            steps = Arrays.copyOf(steps, size * 2);
        }
        steps[size] = step;
        values[size++] = value;
    }

    int size() {
        return size;
    }

    /** The raw values as points: all of them when few, else the low and high of each bucket, in step order. */
    double[][] raw() {
        if (size <= 2 * BUCKETS) {
            return new double[][] {points(steps), Arrays.copyOf(values, size)};
        }
        double[] x = new double[2 * BUCKETS];
        double[] y = new double[2 * BUCKETS];
        for (int b = 0; b < BUCKETS; b++) {
            int from = (int) ((long) b * size / BUCKETS);
            int to = (int) ((long) (b + 1) * size / BUCKETS);
            int lo = from;
            int hi = from;
            for (int i = from; i < to; i++) {
                lo = values[i] < values[lo] ? i : lo;
                hi = values[i] > values[hi] ? i : hi;
            }
            x[2 * b] = steps[Math.min(lo, hi)];
            y[2 * b] = values[Math.min(lo, hi)];
            x[2 * b + 1] = steps[Math.max(lo, hi)];
            y[2 * b + 1] = values[Math.max(lo, hi)];
        }
        return new double[][] {x, y};
    }

    /**
     * The exponential moving average, as TensorBoard smooths scalars (bias-corrected, so the first steps are
     * not pulled towards zero), over a window of about a fortieth of the run (5 to 200 steps), at the
     * points of {@link #thinned}.
     */
    double[][] smoothed() {
        double window = Math.clamp(size / 40.0, 5, 200);
        double beta = 1 - 2 / (window + 1);
        double[] ema = new double[size];
        double average = 0;
        double weight = 0;
        for (int i = 0; i < size; i++) {
            average = beta * average + (1 - beta) * values[i];
            weight = beta * weight + (1 - beta);
            ema[i] = average / weight;
        }
        return thinned(ema);
    }

    /** The values themselves, thinned to one point a bucket (its last). */
    double[][] thinned() {
        return thinned(values);
    }

    private double[][] thinned(double[] v) {
        int n = Math.min(size, BUCKETS);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int b = 0; b < n; b++) {
            int i = (int) ((long) (b + 1) * size / n) - 1;
            x[b] = steps[i];
            y[b] = v[i];
        }
        return new double[][] {x, y};
    }

    private double[] points(long[] at) {
        double[] x = new double[size];
        for (int i = 0; i < size; i++) {
            x[i] = at[i];
        }
        return x;
    }
}
