package io.cnn4j.cli;

import io.cnn4j.io.ModelFile;
import io.cnn4j.io.SavedModel;
import io.cnn4j.train.Predictor;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The saved model a command runs on pictures ({@code predict}, {@code explain}, {@code report}), read with the
 * input it records.
 */
final class SavedModelOption {
    @Option(names = "--model-file", paramLabel = "FILE", required = true, description = "A model saved by 'cnn4j train --save'.")
    Path file;

    @Option(names = "--allow-non-finite", description = ModelChoice.ALLOW_NON_FINITE_HELP)
    boolean allowNonFinite;

    /** The model and the input its file records. */
    Predictor load() throws IOException {
        return Predictor.of(read(), file);
    }

    /** The model and all its file records. */
    SavedModel read() throws IOException {
        return ModelFile.read(file, allowNonFinite);
    }
}
