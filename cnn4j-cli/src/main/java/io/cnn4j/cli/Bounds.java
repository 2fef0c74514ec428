package io.cnn4j.cli;

/**
 * Range checks for option values, before anything runs: a value outside its range, or a number that is
 * not finite, is refused with the option's name and the range rather than accepted and turned into a run
 * that trains nothing, never ends or overflows.
 */
final class Bounds {
    private Bounds() {
    }

    static void between(String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + " must be " + range(min, max) + ", got " + value);
        }
    }

    /** Refuses NaN and the infinities as well as values outside {@code [min, max]}. */
    static void between(String option, double value, double min, double max) {
        if (!(value >= min && value <= max) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(option + " must be a number " + range(min, max) + ", got " + value);
        }
    }

    /** Refuses NaN and the infinities as well as values at or below {@code min}. */
    static void above(String option, double value, double min) {
        if (!(value > min) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(option + " must be a number above " + plain(min) + ", got " + value);
        }
    }

    private static String range(double min, double max) {
        if (max >= Integer.MAX_VALUE) {
            return ">= " + plain(min);
        }
        return "from " + plain(min) + " to " + plain(max);
    }

    private static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
