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
    /** The fewest cells of bar kept before the extra text is shortened. */
    static final int MIN_BAR = 6;
    /** The bar's own text beside the task name and the count: percentage, brackets, spaces, elapsed time. */
    private static final int FRAME = 21;
    /** What showing the remaining time adds to the elapsed time. */
    private static final int ETA = 11;
    private static final TerminalWidth WIDTH = new TerminalWidth();

    private final ProgressBar bar;
    private final int fixed;

    private LiveBar(ProgressBar bar, int fixed) {
        this.bar = bar;
        this.fixed = fixed;
    }

    /** Opens a bar on standard output; with {@code eta}, the elapsed and remaining time when there is room. */
    static LiveBar open(String task, long max, boolean eta) {
        var builder = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(max)
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                .setConsumer(new FittingConsumer(new PrintStream(System.out, true)))
                .setUpdateIntervalMillis(200);
        boolean showEta = eta && WIDTH.columns() >= TerminalWidth.FALLBACK;
        if (!showEta) {
            builder.hideEta();
        }
        int count = 2 * Long.toString(max).length() + 1;
        return new LiveBar(builder.build(), task.length() + count + FRAME + (showEta ? ETA : 0));
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

    /** Renders each redraw to the terminal's width at that moment, measured as {@link TerminalWidth} says why. */
    private static final class FittingConsumer extends ConsoleProgressBarConsumer {
        FittingConsumer(PrintStream out) {
            super(out);
        }

        @Override
        public int getMaxRenderedLength() {
            return width();
        }
    }
}
