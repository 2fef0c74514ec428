package io.cnn4j.cli;

import io.cnn4j.io.OutputFiles;
import io.cnn4j.limits.TextFiles;
import io.cnn4j.train.EpochMetrics;
import io.cnn4j.train.TrainingListener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes one JSON object per epoch (JSON Lines). The file is replaced atomically as each epoch ends, so
 * a crash loses nothing and a run that fails before its first epoch leaves an earlier run's file as it
 * was; it never holds half a line or a mix of two runs. Validation metrics appear when there is a
 * validation set; {@code data_wait_seconds} is the time the trainer waited for batches in that epoch.
 */
final class MetricsFile implements TrainingListener {
    /** A resumed run continues a metrics file; one this large is not one. */
    private static final long MAX_CONTINUED_BYTES = 64L << 20;

    private final Path path;
    private final StringBuilder lines;

    private MetricsFile(Path path, String earlier) {
        this.path = path;
        this.lines = new StringBuilder(earlier);
    }

    /** Metrics for {@code path}, continuing what it holds when {@code continueFile} (a resumed run). */
    static MetricsFile open(Path path, boolean continueFile) throws IOException {
        String earlier = "";
        if (continueFile && Files.exists(path)) {
            earlier = TextFiles.readUtf8(path, "metrics file", MAX_CONTINUED_BYTES);
            if (!earlier.isEmpty() && !earlier.endsWith("\n")) {
                earlier += "\n";
            }
        }
        return new MetricsFile(path, earlier);
    }

    @Override
    public void onEpochEnd(EpochMetrics m) {
        String validation = Double.isNaN(m.validationAccuracy()) ? "" : String.format(Locale.ROOT,
                "\"validation_loss\":%s,\"validation_accuracy\":%s,", num(m.validationLoss()), num(m.validationAccuracy()));
        lines.append(String.format(Locale.ROOT,
                "{\"epoch\":%d,\"steps\":%d,\"train_loss\":%s,\"train_accuracy\":%s,%s\"test_loss\":%s,\"test_accuracy\":%s,"
                        + "\"learning_rate\":%s,\"data_wait_seconds\":%s,\"seconds\":%s,\"images_per_second\":%s}%n",
                m.epoch(), m.steps(), num(m.trainLoss()), num(m.trainAccuracy()), validation, num(m.testLoss()),
                num(m.testAccuracy()), num(m.learningRate()), num(m.dataWaitSeconds()), num(m.seconds()), num(m.imagesPerSecond())));
        try {
            OutputFiles.replace(path, lines.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics to " + path + ": " + e.getMessage(), e);
        }
    }

    /** JSON has no NaN or infinity: those become null. */
    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "null";
    }
}
