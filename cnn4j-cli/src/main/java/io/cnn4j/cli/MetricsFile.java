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
        lines.append(m.jsonLine());
        try {
            OutputFiles.replace(path, lines.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics to " + path + ": " + e.getMessage(), e);
        }
    }
}
