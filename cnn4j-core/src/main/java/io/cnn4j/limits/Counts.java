package io.cnn4j.limits;

/**
 * Sums and products of counts (parameters, elements, bytes) that stop at {@link Long#MAX_VALUE} instead
 * of wrapping round to a negative number: a description's sizes are whole numbers it chose freely, and a
 * size too large to count is still too large, which is all a check needs to know.
 */
public final class Counts {
    private Counts() {
    }

    /** {@code a + b} for counts {@code >= 0}, or {@link Long#MAX_VALUE} when that does not fit in a long. */
    public static long sum(long a, long b) {
        requireCount(a);
        requireCount(b);
        return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
    }

    /** The product of counts {@code >= 0}, or {@link Long#MAX_VALUE} when it does not fit in a long. */
    public static long product(long... factors) {
        long p = 1;
        for (long f : factors) {
            requireCount(f);
            if (f == 0) {
                return 0;
            }
            p = p > Long.MAX_VALUE / f ? Long.MAX_VALUE : p * f;
        }
        return p;
    }

    private static void requireCount(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("a count cannot be negative, got " + n);
        }
    }
}
