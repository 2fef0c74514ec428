package io.cnn4j.cli;

import io.cnn4j.io.SavedModel;
import io.cnn4j.train.Predictor;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The saved model a command runs ({@code predict}, {@code explain}, {@code report}, {@code export}): a
 * complete model file, or weights alone with the architecture and input they are for; read with the input
 * it records or is given.
 */
final class SavedModelOption {
    @Option(names = "--model-file", paramLabel = "FILE", required = true, description = "A model saved by 'cnn4j train"
            + " --save' or 'cnn4j import', or weights alone (a PyTorch state_dict as safetensors) with --model or"
            + " --model-config.")
    Path file;

    @Mixin
    ModelChoice architecture;

    @Mixin
    InputOptions input;

    @Option(names = "--allow-non-finite", description = ModelChoice.ALLOW_NON_FINITE_HELP)
    boolean allowNonFinite;

    /** The model and the input its file records, or for weights alone the input the options give. */
    Predictor load() throws IOException {
        return Predictor.of(read(), file);
    }

    /** The model and its file's metadata; for weights alone, the metadata the options give. */
    SavedModel read() throws IOException {
        return ModelSource.read(file, architecture, input, null, allowNonFinite);
    }
}
