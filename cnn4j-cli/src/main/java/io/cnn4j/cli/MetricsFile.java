package io.cnn4j.cli;

import io.cnn4j.train.EpochMetrics;
import io.cnn4j.train.TrainingListener;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Writes one JSON object per epoch (JSON Lines), flushed as each epoch ends so a crash loses nothing.
 * Validation metrics appear when there is a validation set; {@code data_wait_seconds} is the time the
 * trainer waited for batches in that epoch.
 */
final class MetricsFile implements TrainingListener, AutoCloseable {
    private final Path path;
    private final BufferedWriter writer;

    private MetricsFile(Path path, BufferedWriter writer) {
        this.path = path;
        this.writer = writer;
    }

    /** Opens {@code path} for writing, from its end when {@code append} (a resumed run continues its file). */
    static MetricsFile open(Path path, boolean append) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return new MetricsFile(path, append
                ? Files.newBufferedWriter(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)
                : Files.newBufferedWriter(path));
    }

    @Override
    public void onEpochEnd(EpochMetrics m) {
        String validation = Double.isNaN(m.validationAccuracy()) ? "" : String.format(Locale.ROOT,
                "\"validation_loss\":%s,\"validation_accuracy\":%s,", num(m.validationLoss()), num(m.validationAccuracy()));
        String line = String.format(Locale.ROOT,
                "{\"epoch\":%d,\"steps\":%d,\"train_loss\":%s,\"train_accuracy\":%s,%s\"test_loss\":%s,\"test_accuracy\":%s,"
                        + "\"learning_rate\":%s,\"data_wait_seconds\":%s,\"seconds\":%s,\"images_per_second\":%s}",
                m.epoch(), m.steps(), num(m.trainLoss()), num(m.trainAccuracy()), validation, num(m.testLoss()),
                num(m.testAccuracy()), num(m.learningRate()), num(m.dataWaitSeconds()), num(m.seconds()), num(m.imagesPerSecond()));
        try {
            writer.write(line);
            writer.newLine();
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics to " + path + ": " + e.getMessage(), e);
        }
    }

    /** JSON has no NaN or infinity: those become null. */
    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "null";
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
