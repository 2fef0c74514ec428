package io.cnn4j.cli;

import io.cnn4j.io.OutputFiles;
import io.cnn4j.report.TrainingCharts;
import io.cnn4j.train.EpochMetrics;
import io.cnn4j.train.Evaluation;
import io.cnn4j.train.TrainingListener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Redraws the run's charts into a folder as each epoch ends, every file replaced atomically, so that a
 * viewer that reloads never shows half a chart. The confusion matrix is the one the trainer's own test
 * evaluation counted, so drawing it costs no pass over the test set. A resumed run draws the epochs it
 * runs itself: a checkpoint keeps no per-epoch history to draw the earlier ones from.
 */
final class PlotFiles implements TrainingListener {
    /** The files written, for the checks made before training. */
    static final List<String> NAMES = List.of("loss.svg", "accuracy.svg", "learning-rate.svg", "confusion.svg");

    private final Path dir;
    private final List<String> classNames;
    private final List<EpochMetrics> history = new ArrayList<>();
    private Evaluation test;

    PlotFiles(Path dir, List<String> classNames) {
        this.dir = dir;
        this.classNames = List.copyOf(classNames);
    }

    @Override
    public void onEvaluation(int epoch, Evaluation validation, Evaluation test) {
        this.test = test;
    }

    @Override
    public void onEpochEnd(EpochMetrics metrics) {
        history.add(metrics);
        for (Map.Entry<String, String> chart : TrainingCharts.of(history, test, classNames).entrySet()) {
            Path file = dir.resolve(chart.getKey());
            try {
                OutputFiles.replace(file, chart.getValue().getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the chart " + file + ": " + e.getMessage(), e);
            }
        }
    }
}
