package io.cnn4j.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Axis ticks at "nice" values, 1, 2 or 5 times a power of ten, that enclose the data: a reader compares
 * 0.2, 0.4, 0.6 at a glance, and 0.173, 0.346 not at all.
 *
 * @param values the ticks from the axis's low end to its high end, evenly spaced
 * @param step   their spacing
 */
record Ticks(List<Double> values, double step) {

    /**
     * About {@code target} ticks covering {@code [min, max]}, spaced at least {@code minStep} apart (1 for
     * epochs, which have no halves). An empty range (one point, a constant series) is widened around its value.
     */
    static Ticks covering(double min, double max, int target, double minStep) {
        if (!(Double.isFinite(min) && Double.isFinite(max) && min <= max)) {
            throw new IllegalArgumentException("no range to draw from " + min + " to " + max);
        }
        if (min == max) {
            double half = Math.max(Math.abs(min) * 0.1, Math.max(minStep, 1e-9));
            min -= half;
            max += half;
        }
        double step = Math.max(nice((max - min) / Math.max(target - 1, 1)), minStep);
        double low = Math.floor(min / step + 1e-9) * step;
        double high = Math.ceil(max / step - 1e-9) * step;
        List<Double> values = new ArrayList<>();
        long count = Math.round((high - low) / step);
        for (long i = 0; i <= count; i++) {
            // From an integer multiple, so that 0.1 + 0.1 + 0.1 does not become 0.30000000000000004.
            values.add(Math.round(low / step + i) * step);
        }
        return new Ticks(List.copyOf(values), step);
    }

    /** The smallest 1, 2 or 5 times a power of ten that is at least {@code raw}. */
    static double nice(double raw) {
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * power >= raw * (1 - 1e-9)) {
                return m * power;
            }
        }
        return 10 * power;
    }

    double low() {
        return values.getFirst();
    }

    double high() {
        return values.getLast();
    }

    /** A tick's label with as many decimals as the spacing needs, so that 0.5, 1, 1.5 read as 0.5, 1.0, 1.5. */
    String label(double value) {
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
        return String.format(java.util.Locale.ROOT, "%." + decimals + "f", value == 0 ? 0.0 : value);
    }
}
