package io.cnn4j.cli;

import io.cnn4j.io.ModelFile;
import io.cnn4j.models.Models;
import io.cnn4j.nn.Module;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** Which model a command works on: a built-in one by name, or a saved model file. */
final class ModelChoice {

    @Option(names = "--model", paramLabel = "NAME", description = "A built-in model: seed, lenet5, small.")
    String name;

    @Option(names = "--model-file", paramLabel = "FILE", description = "A model saved by 'cnn4j train --save' (safetensors).")
    Path file;

    /** A short label for output: the model name or the file. */
    String label() {
        return file != null ? file.toString() : name;
    }

    Module load() throws IOException {
        if (file != null) {
            return ModelFile.load(file);
        }
        return Models.create(name);
    }
}
