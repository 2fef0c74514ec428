package io.cnn4j.limits;

import java.util.Locale;

/**
 * Checks a size that a file, a description or an option claims against the memory the JVM can still
 * give, before anything is allocated: a 16-byte header that claims two billion images, or a one-line
 * model description of a 46000 x 46000 layer, is refused with a sentence that names the claim, instead
 * of an {@link OutOfMemoryError} from deep inside the allocation.
 *
 * <p>The heap in use includes garbage not yet collected; a claim that does not seem to fit is checked
 * again after a collection, so nothing that would fit is refused.
 */
public final class MemoryBudget {
    private MemoryBudget() {
    }

    /** Bytes the heap can still give: its maximum less what is in use now. */
    public static long available() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    /**
     * Returns normally when {@code bytes} more fit in the heap; otherwise throws a {@link TooLargeException}
     * saying that {@code what} needs that many bytes, how many the JVM has, and how to give it more.
     */
    public static void require(long bytes, String what) {
        if (bytes <= available()) {
            return;
        }
        System.gc();
        long free = available();
        if (bytes > free) {
            throw new TooLargeException(String.format(Locale.ROOT,
                    "%s needs %s of memory, but the JVM has %s free (of at most %s); give it more with"
                            + " CNN4J_JAVA_OPTS=-Xmx... (or java -Xmx...) or ask for less",
                    what, format(bytes), format(Math.max(free, 0)), format(Runtime.getRuntime().maxMemory())));
        }
    }

    /** Bytes of {@code count} float32 values, saturating instead of overflowing. */
    public static long floats(long count) {
        return count > Long.MAX_VALUE / Float.BYTES ? Long.MAX_VALUE : count * Float.BYTES;
    }

    /** A byte count as people read it: {@code 512 bytes}, {@code 3.2 MB}, {@code 8.5 GB} (powers of 1000). */
    public static String format(long bytes) {
        if (bytes < 1000) {
            return bytes + (bytes == 1 ? " byte" : " bytes");
        }
        String[] units = {"kB", "MB", "GB", "TB", "PB", "EB"};
        double v = bytes;
        int u = -1;
        while (v >= 999.95 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
