package io.cnn4j.report;

import io.cnn4j.data.Dataset;
import io.cnn4j.data.Normalize;
import io.cnn4j.io.OutputFiles;
import io.cnn4j.nn.Module;
import io.cnn4j.train.EpochMetrics;
import io.cnn4j.train.Evaluation;
import io.cnn4j.train.Evaluator;
import io.cnn4j.train.StepMetrics;
import io.cnn4j.train.TrainingListener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A training run's report as one self-contained HTML page: the run's facts and model, the curves per
 * epoch and per step, the test set's confusion matrix and per-class figures, the worst mistakes,
 * Grad-CAM overlays of right and wrong answers, the first layer's filters, one image's feature maps and
 * histograms of every layer's weights and gradients. The page needs no server, script or network.
 *
 * {@snippet :
 * var report = new TrainingReport(Path.of("report.html"), model, data.test(), normalize,
 *         Map.of("seed", "0", "command line", "..."));
 * new Trainer(model, optimizer).addListener(report).fit(loader, data.test(), 20);
 * }
 *
 * <p>As a {@link TrainingListener} it rewrites the file atomically after every epoch, so a browser that
 * reloads it shows the run so far. The trainer's own evaluation of the test set supplies the confusion
 * matrix and every image's loss, so the report makes no pass over the test set of its own; the pictures
 * it computes (Grad-CAM, feature maps) take a dozen images, in evaluation mode, leaving the model and the
 * run's random numbers as they were. The gradients shown are those the last step of the epoch left.
 * {@link #forModel} writes the same page, less the curves, for a saved model.
 */
public final class TrainingReport implements TrainingListener {
    private final Path file;
    private final Module model;
    private final Dataset test;
    private final Normalize normalize;
    private final Map<String, String> run;
    private final List<EpochMetrics> history = new ArrayList<>();
    private final StepCurve losses = new StepCurve();
    private final StepCurve rates = new StepCurve();
    private final Map<Integer, String> thumbnails = new HashMap<>();
    private Evaluation evaluation;
    private long lastStep;

    /**
     * A report written to {@code file} of a run that trains {@code model} and tests it on {@code test}
     * (whose images the trainer normalises with {@code normalize}, or not when null); {@code run} lists
     * what the page says of the run first, in order (command line, data, seed, machine...).
     */
    public TrainingReport(Path file, Module model, Dataset test, Normalize normalize, Map<String, String> run) {
        this.file = Objects.requireNonNull(file, "file");
        this.model = Objects.requireNonNull(model, "model");
        this.test = Objects.requireNonNull(test, "test");
        this.normalize = normalize;
        this.run = new LinkedHashMap<>(run);
    }

    @Override
    public void onStep(StepMetrics step) {
        lastStep = step.step();
        losses.add(step.step(), step.loss());
        rates.add(step.step(), step.learningRate());
    }

    @Override
    public void onEvaluation(int epoch, Evaluation validation, Evaluation test) {
        this.evaluation = test;
    }

    /** Redraws the page with this epoch, replacing the file atomically. */
    @Override
    public void onEpochEnd(EpochMetrics metrics) {
        history.add(metrics);
        if (evaluation == null) {
            evaluation = Evaluator.evaluate(model, test, 256, normalize);
        }
        String status = "After epoch " + metrics.epoch() + ", step " + lastStep
                + "; written " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ". Reload to see the run go on.";
        String html = ReportPage.html(new ReportPage.Content("cnn4j training report", status, run, model, test, normalize,
                history, losses, rates, evaluation, true, thumbnails));
        try {
            OutputFiles.replace(file, html.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The page for a model without a training history: everything but the curves and the gradients, from
     * {@code evaluation}, the model's evaluation on {@code test} by {@link Evaluator} (which keeps each
     * image's outcome).
     *
     * @throws IllegalArgumentException when the evaluation is not of {@code test} or lacks the images' outcomes
     */
    public static String forModel(Module model, Dataset test, Normalize normalize, Evaluation evaluation, Map<String, String> run) {
        if (evaluation.images() == null || evaluation.images().size() != test.size()) {
            throw new IllegalArgumentException("report: the evaluation holds " + (evaluation.images() == null ? "no"
                    : evaluation.images().size()) + " image outcomes for a test set of " + test.size() + " images");
        }
        return ReportPage.html(new ReportPage.Content("cnn4j model report", "A saved model's evaluation; written "
                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ".", new LinkedHashMap<>(run), model, test, normalize,
                List.of(), new StepCurve(), new StepCurve(), evaluation, false, new HashMap<>()));
    }
}
