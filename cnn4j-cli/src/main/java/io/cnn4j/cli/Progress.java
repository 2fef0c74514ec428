package io.cnn4j.cli;

import io.cnn4j.train.EpochMetrics;
import io.cnn4j.train.StepMetrics;
import io.cnn4j.train.TrainingListener;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows training as it runs: a live bar with loss, accuracy and images/s on a terminal, and one summary
 * line per epoch in any case (the only output when stdout is a file or a pipe).
 */
final class Progress implements TrainingListener, AutoCloseable {
    private final PrintWriter out;
    private final int epochs;
    private final boolean live;
    private ProgressBar bar;

    private Progress(PrintWriter out, int epochs, boolean live) {
        this.out = out;
        this.epochs = epochs;
        this.live = live;
    }

    static Progress create(PrintWriter out, int epochs) {
        var console = System.console();
        return new Progress(out, epochs, console != null && console.isTerminal());
    }

    @Override
    public void onEpochStart(int epoch, int batchesInEpoch) {
        if (live) {
            bar = new ProgressBarBuilder()
                    .setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs))
                    .setInitialMax(batchesInEpoch)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                    .setConsumer(new ConsoleProgressBarConsumer(new PrintStream(System.out, true), 100))
                    .setUpdateIntervalMillis(200)
                    .hideEta()
                    .build();
        }
    }

    @Override
    public void onStep(StepMetrics s) {
        if (bar != null) {
            bar.stepTo(s.batch());
            bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f acc %.4f %,.0f img/s",
                    s.runningLoss(), s.runningAccuracy(), s.imagesPerSecond()));
        }
    }

    @Override
    public void onEpochEnd(EpochMetrics m) {
        closeBar();
        String validation = Double.isNaN(m.validationAccuracy()) ? ""
                : String.format(Locale.ROOT, " | val loss %.4f acc %.4f", m.validationLoss(), m.validationAccuracy());
        out.printf(Locale.ROOT, "epoch %d/%d: train loss %.4f acc %.4f%s | test loss %.4f acc %.4f | %.1f s, %,.0f img/s%n",
                m.epoch(), epochs, m.trainLoss(), m.trainAccuracy(), validation, m.testLoss(), m.testAccuracy(), m.seconds(),
                m.imagesPerSecond());
        out.flush();
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    @Override
    public void close() {
        closeBar();
    }
}
