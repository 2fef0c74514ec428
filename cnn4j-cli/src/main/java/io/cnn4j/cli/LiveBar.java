package io.cnn4j.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.util.List;

/**
 * A progress bar on the terminal, one line that fits its current width: the bar shrinks first, then the
 * extra text drops its less important parts, so that nothing wraps when the window is narrow or resized.
 */
final class LiveBar implements AutoCloseable {
    /** The fewest cells of bar kept before the extra text is shortened: the percentage tells progress too. */
    private static final int MIN_BAR = 2;
    /** The bar's own text beside the task name and the count: percentage, brackets, spaces, elapsed time. */
    private static final int FRAME = 20;
    /** What showing the remaining time adds to the elapsed time. */
    private static final int ETA = 11;
    private static final TerminalWidth WIDTH = new TerminalWidth();
    private static final String RESET = "\u001b[0m";

    private final ProgressBar bar;
    private final int fixed;

    private LiveBar(ProgressBar bar, int fixed) {
        this.bar = bar;
        this.fixed = fixed;
    }

    /** Opens a bar on standard output; with {@code eta}, the elapsed and remaining time when there is room. */
    static LiveBar open(String task, long max, boolean eta) {
        boolean showEta = eta && WIDTH.columns() >= TerminalWidth.FALLBACK;
        int frame = 2 * Long.toString(max).length() + 1 + FRAME + (showEta ? ETA : 0);
        String name = shortened(task, width() - frame - MIN_BAR);
        var builder = new ProgressBarBuilder()
                .setTaskName(name)
                .setInitialMax(max)
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                .setConsumer(new FittingConsumer(new PrintStream(System.out, true)))
                .setUpdateIntervalMillis(200);
        if (!showEta) {
            builder.hideEta();
        }
        return new LiveBar(builder.build(), name.length() + frame);
    }

    void stepTo(long done) {
        bar.stepTo(done);
    }

    /** Moves to {@code done} with the first of {@code extras} (most to least detailed) that leaves room for the bar. */
    void stepTo(long done, List<String> extras) {
        bar.stepTo(done);
        int room = width() - fixed - MIN_BAR;
        bar.setExtraMessage(extras.stream().filter(extra -> extra.length() <= room).findFirst().orElse(""));
    }

    /** The columns a line may take: the terminal's less one, so that the cursor never wraps onto the next line. */
    static int width() {
        return Math.max(WIDTH.columns() - 1, 1);
    }

    @Override
    public void close() {
        bar.close();
    }

    /** {@code text}, or its end after an ellipsis where it is longer than {@code room} (a folder's path, say). */
    static String shortened(String text, int room) {
        if (text.length() <= room) {
            return text;
        }
        return room <= 1 ? "" : "\u2026" + text.substring(text.length() - (room - 1));
    }

    /**
     * The first {@code columns} columns of a rendered line: escape sequences take none and are kept, and a
     * cut line ends by resetting the colours. (The library's own trimming fails on a line that ends in an
     * escape sequence.)
     */
    static String fit(String line, int columns) {
        StringBuilder fitted = new StringBuilder();
        int used = 0;
        boolean escaped = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\u001b') {
                int end = i;
                while (end < line.length() && !Character.isLetter(line.charAt(end))) {
                    end++;
                }
                fitted.append(line, i, Math.min(end + 1, line.length()));
                i = end;
                escaped = true;
            } else if (used < columns) {
                fitted.append(c);
                used++;
            } else {
                return escaped ? fitted.append(RESET).toString() : fitted.toString();
            }
        }
        return fitted.toString();
    }

    /**
     * Renders each redraw to the terminal's width at that moment, measured as {@link TerminalWidth} says why,
     * and nothing after the bar is closed: the library's timer may still be drawing when it closes, and that
     * late line would land below the finished bar.
     */
    private static final class FittingConsumer extends ConsoleProgressBarConsumer {
        private final PrintStream screen;
        private boolean closed;

        FittingConsumer(PrintStream screen) {
            super(screen);
            this.screen = screen;
        }

        @Override
        public int getMaxRenderedLength() {
            return width();
        }

        @Override
        public synchronized void accept(String rendered) {
            if (!closed) {
                screen.print('\r' + fit(rendered, width()));
            }
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                super.close();
            }
        }
    }
}
