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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The architecture a command builds: a built-in model by name ({@code --model}) or a JSON model description
 * ({@code --model-config}), at most one of them; for a weights-only {@code --model-file}, the model its weights
 * are loaded into ({@link ModelSource}).
 */
final class ModelChoice {
    /** The help text of {@code --model-config} wherever it appears. */
    static final String CONFIG_HELP = "A model described in JSON, e.g. {\"type\": \"Sequential\", \"children\": [{\"type\":"
            + " \"Conv2d\", \"args\": {\"in_channels\": 1, ...}}, ...]}; 'cnn4j summary --model NAME --write-config FILE'"
            + " writes a built-in model's description to start from.";
    /** The help text of {@code --allow-non-finite} wherever it appears. */
    static final String ALLOW_NON_FINITE_HELP = "Load weights that hold NaN or infinities (a diverged run's), which are"
            + " refused otherwise.";

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--model", paramLabel = "NAME", description = "A built-in model: seed, lenet5, small, bn, resnet,"
            + " resnet3, seq1d; video3d for clips; for weights alone (as PyTorch saves them), the model they are for.")
    String name;

    @Option(names = "--model-config", paramLabel = "FILE", description = CONFIG_HELP
            + " For weights alone, the model they are for.")
    Path config;

    /** Whether an architecture is named; refuses both at once, as a usage error. */
    boolean given() {
        if (name != null && config != null) {
            throw new ParameterException(command.commandLine(), "Error: --model=NAME and --model-config=FILE both name"
                    + " the model's architecture; give one of them");
        }
        return name != null || config != null;
    }

    /** A short label for output: the model name or the description file. */
    String label() {
        return config != null ? config.toString() : name;
    }

    /**
     * The scores the chosen architecture gives for images of {@code image}: the description's own (its last
     * layer's), or null for a built-in model, which is built for any number of classes.
     */
    Integer describedClasses(Shape image) throws IOException {
        if (config == null) {
            return null;
        }
        LayerConfig described = checked(config, ModelDescription.read(config));
        try {
            Shape out = ModelFootprint.of(described, image).output();
            return out.rank() == 2 ? out.dim(1) : null;
        } catch (IllegalArgumentException e) {
            return null; // building it for the image reports why, with the file
        }
    }

    /** {@link #build(String, Path, Shape, int)} for this choice. */
    Module build(Shape image, int classes) throws IOException {
        return build(name, config, image, classes);
    }

    /**
     * The chosen model's description, checked as building it would check it but without building it: a
     * description file, or the built-in model's for images of {@code image} and {@code classes} classes.
     */
    LayerConfig architecture(Shape image, int classes) throws IOException {
        return name != null ? Models.create(name, image, classes).config() : checked(config, ModelDescription.read(config));
    }

    /** A model file's stored architecture (its weights are not read), checked as building it would check it. */
    static LayerConfig architecture(Path modelFile) throws IOException {
        return checked(modelFile, ModelFile.architecture(modelFile));
    }

    private static LayerConfig checked(Path source, LayerConfig described) {
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

    private static String items(Shape item) {
        return item.rank() == 4 ? " clips" : " images";
    }

    /** Refuses a model, {@code label} in messages, that does not take images of {@code image} or gives other than {@code classes} scores. */
    static void requireFits(LayerConfig model, String label, Shape image, int classes) {
        Shape out;
        try {
            out = ModelFootprint.of(model, image).output();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(label + " does not take the data's " + InputSpec.format(image) + items(image)
                    + ": " + e.getMessage(), e);
        }
        if (!out.equals(Shape.of(1, classes))) {
            throw new IllegalArgumentException(label + " gives outputs of shape [N" + out.toString().substring(2)
                    + " for the data's " + InputSpec.format(image) + items(image) + ", but the data has " + classes
                    + " classes: its last layer must give " + classes + " scores");
        }
    }
}
