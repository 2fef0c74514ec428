package io.cnn4j.cli;

import io.cnn4j.data.InputSpec;
import io.cnn4j.io.ModelDescription;
import io.cnn4j.io.ModelFile;
import io.cnn4j.models.Models;
import io.cnn4j.nn.Init;
import io.cnn4j.nn.LayerConfig;
import io.cnn4j.nn.ModelFootprint;
import io.cnn4j.nn.Module;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Shape;
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
     * model file's stored architecture (its weights are not read), a description file, or the built-in
     * model's for images of {@code image} and {@code classes} classes.
     */
    LayerConfig architecture(Shape image, int classes) throws IOException {
        if (name != null) {
            return Models.create(name, image, classes).config();
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
     * A new model for images of {@code image} and {@code classes} classes, its weights not drawn: described
     * by the JSON file {@code config} when it is given (which must take such images and give a score per
     * class), else the built-in model {@code name} built for them. A description that cannot be built is
     * reported with the file and the place in it.
     */
    static Module build(String name, Path config, Shape image, int classes) throws IOException {
        if (config == null) {
            return Models.create(name, image, classes);
        }
        Module model;
        try {
            model = ModelDescription.build(ModelDescription.read(config));
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            throw new IllegalArgumentException(message.startsWith(config.toString()) ? message : config + ": " + message, e);
        }
        requireFits(model.config(), config.toString(), image, classes);
        return model;
    }

    /** {@link #build(String, Path, Shape, int)} with its initial weights drawn from {@code rng} by {@code init}. */
    static Module build(String name, Path config, Shape image, int classes, Init init, Rng rng) throws IOException {
        return config == null ? Models.create(name, image, classes, init, rng)
                : build(name, config, image, classes).initialize(init, rng);
    }

    /** Refuses a model, {@code label} in messages, that does not take images of {@code image} or gives other than {@code classes} scores. */
    static void requireFits(LayerConfig model, String label, Shape image, int classes) {
        Shape out;
        try {
            out = ModelFootprint.of(model, image).output();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(label + " does not take the data's " + InputSpec.format(image) + " images: "
                    + e.getMessage(), e);
        }
        if (!out.equals(Shape.of(1, classes))) {
            throw new IllegalArgumentException(label + " gives outputs of shape [N" + out.toString().substring(2)
                    + " for the data's " + InputSpec.format(image) + " images, but the data has " + classes
                    + " classes: its last layer must give " + classes + " scores");
        }
    }
}
