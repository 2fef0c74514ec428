package io.cnn4j.cli;

import io.cnn4j.train.EpochMetrics;
import io.cnn4j.train.StepMetrics;
import io.cnn4j.train.TrainingListener;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Shows training as it runs: a live bar with loss, accuracy and images/s on a terminal, and one summary
 * line per epoch in any case (the only output when stdout is a file or a pipe). On a terminal both fit its
 * width, so nothing wraps in a narrow window.
 */
final class Progress implements TrainingListener, AutoCloseable {
    private final PrintWriter out;
    private final int epochs;
    private final boolean live;
    private LiveBar bar;

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
            bar = LiveBar.open(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs), batchesInEpoch, false);
        }
    }

    @Override
    public void onStep(StepMetrics s) {
        if (bar != null) {
            String loss = String.format(Locale.ROOT, "loss %.4f", s.runningLoss());
            String accuracy = String.format(Locale.ROOT, " acc %.4f", s.runningAccuracy());
            String speed = String.format(Locale.ROOT, " %,.0f img/s", s.imagesPerSecond());
            bar.stepTo(s.batch(), List.of(loss + accuracy + speed, loss + accuracy, loss));
        }
    }

    @Override
    public void onEpochEnd(EpochMetrics m) {
        closeBar();
        List<String> parts = new ArrayList<>();
        parts.add(String.format(Locale.ROOT, "epoch %d/%d: train loss %.4f acc %.4f", m.epoch(), epochs, m.trainLoss(),
                m.trainAccuracy()));
        if (!Double.isNaN(m.validationAccuracy())) {
            parts.add(String.format(Locale.ROOT, "val loss %.4f acc %.4f", m.validationLoss(), m.validationAccuracy()));
        }
        parts.add(String.format(Locale.ROOT, "test loss %.4f acc %.4f", m.testLoss(), m.testAccuracy()));
        parts.add(String.format(Locale.ROOT, "%.1f s, %,.0f img/s", m.seconds(), m.imagesPerSecond()));
        out.println(SummaryLine.fit(parts, live ? LiveBar.width() : Integer.MAX_VALUE));
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
