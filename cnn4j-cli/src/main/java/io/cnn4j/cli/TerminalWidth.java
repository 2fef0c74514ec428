package io.cnn4j.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The width of the terminal in columns, re-read at most once a second so that a resize is followed. It asks
 * {@code stty size} about {@code /dev/tty} rather than a terminal library, because such libraries take over
 * the JVM's signal handlers (Ctrl-C among them); where that cannot be read, {@code $COLUMNS}, else 80.
 */
final class TerminalWidth {
    static final int FALLBACK = 80;
    private static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final File TTY = new File("/dev/tty");

    private int columns;
    private long readAt;
    private boolean read;

    synchronized int columns() {
        long now = System.nanoTime();
        if (!read || now - readAt >= REFRESH_NANOS) {
            columns = parse(stty(), System.getenv("COLUMNS"));
            readAt = now;
            read = true;
        }
        return columns;
    }

    /** The columns of {@code stty size}'s "ROWS COLUMNS", else of {@code $COLUMNS}, else {@link #FALLBACK}. */
    static int parse(String sttySize, String columnsVariable) {
        if (sttySize != null) {
            String[] rowsColumns = sttySize.trim().split("\\s+");
            if (rowsColumns.length == 2 && positive(rowsColumns[1]) > 0) {
                return positive(rowsColumns[1]);
            }
        }
        int fromVariable = columnsVariable == null ? 0 : positive(columnsVariable.trim());
        return fromVariable > 0 ? fromVariable : FALLBACK;
    }

    private static int positive(String number) {
        try {
            return Math.max(Integer.parseInt(number), 0);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String stty() {
        if (!TTY.canRead()) {
            return null;
        }
        try {
            Process stty = new ProcessBuilder("stty", "size").redirectInput(TTY)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            return stty.waitFor(1, TimeUnit.SECONDS) && stty.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
