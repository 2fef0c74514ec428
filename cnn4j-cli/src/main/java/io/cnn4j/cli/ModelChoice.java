package io.cnn4j.cli;

import io.cnn4j.io.ModelDescription;
import io.cnn4j.io.ModelFile;
import io.cnn4j.models.Models;
import io.cnn4j.nn.Init;
import io.cnn4j.nn.LayerConfig;
import io.cnn4j.nn.Module;
import io.cnn4j.tensor.Rng;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** Which model a command works on: a built-in one by name, a saved model file, or a JSON model description. */
final class ModelChoice {
    /** The help text of {@code --model-config} wherever it appears. */
    static final String CONFIG_HELP = "A model described in JSON, e.g. {\"type\": \"Sequential\", \"children\": [{\"type\":"
            + " \"Conv2d\", \"args\": {\"in_channels\": 1, ...}}, ...]}; 'cnn4j summary --model NAME --write-config FILE'"
            + " writes a built-in model's description to start from.";
    /** The help text of {@code --allow-non-finite} wherever it appears. */
    static final String ALLOW_NON_FINITE_HELP = "Load weights that hold NaN or infinities (a diverged run's), which are"
            + " refused otherwise.";

    @Option(names = "--model", paramLabel = "NAME", description = "A built-in model: seed, lenet5, small, bn, resnet, resnet3.")
    String name;

    @Option(names = "--model-file", paramLabel = "FILE", description = "A model saved by 'cnn4j train --save' (safetensors).")
    Path file;

    @Option(names = "--model-config", paramLabel = "FILE", description = CONFIG_HELP)
    Path config;

    /** A short label for output: the model name or the file. */
    String label() {
        return file != null ? file.toString() : config != null ? config.toString() : name;
    }

    /**
     * The chosen model's description, checked as building it would check it but without building it: a
     * model file's stored architecture (its weights are not read), a description file, or a built-in model's.
     */
    LayerConfig architecture() throws IOException {
        if (name != null) {
            return Models.create(name).config();
        }
        Path source = file != null ? file : config;
        LayerConfig described = file != null ? ModelFile.architecture(source) : ModelDescription.read(source);
        try {
            ModelDescription.check(described);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
        return described;
    }

    /**
     * A new model, its weights not drawn: described by the JSON file {@code config} when it is given, else the
     * built-in model {@code name}. A description that cannot be built is reported with the file and the place in it.
     */
    static Module build(String name, Path config) throws IOException {
        if (config == null) {
            return Models.create(name);
        }
        try {
            return ModelDescription.build(ModelDescription.read(config));
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            throw new IllegalArgumentException(message.startsWith(config.toString()) ? message : config + ": " + message, e);
        }
    }

    /** {@link #build(String, Path)} with its initial weights drawn from {@code rng} by {@code init}. */
    static Module build(String name, Path config, Init init, Rng rng) throws IOException {
        return config == null ? Models.create(name, init, rng) : build(name, config).initialize(init, rng);
    }
}
