package io.cnn4j.cli;

import io.cnn4j.data.InputSpec;
import io.cnn4j.io.ModelDescription;
import io.cnn4j.io.ModelFileException;
import io.cnn4j.io.ModelFile;
import io.cnn4j.io.SavedModel;
import io.cnn4j.models.Models;
import io.cnn4j.limits.MemoryBudget;
import io.cnn4j.nn.LayerConfig;
import io.cnn4j.nn.ModelFootprint;
import io.cnn4j.tensor.Shape;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code cnn4j summary}: a layer table with output shapes and parameter counts, like Keras' {@code model.summary()}.
 * It works from the model's description and shape inference alone, so neither the weights of a huge model nor the
 * activations of a huge input are ever allocated, and no forward pass runs.
 */
@Command(name = "summary", mixinStandardHelpOptions = true,
        customSynopsis = {"cnn4j summary --model=NAME [OPTIONS]", "       cnn4j summary --model-file=FILE [OPTIONS]",
                "       cnn4j summary --model-config=FILE [OPTIONS]",
                "       cnn4j summary (--model=NAME | --model-config=FILE) --model-file=WEIGHTS [OPTIONS]"},
        description = {"Print a model's layers, output shapes and parameter counts.",
                "With --model or --model-config and a --model-file of weights alone (a PyTorch state_dict as"
                        + " safetensors), it loads the weights into that model, as predict and import would, and"
                        + " shows the input they are taken for."})
final class SummaryCommand implements Callable<Integer> {
    /** The largest height, width or channel count --input-shape takes. */
    private static final int MAX_SIDE = 65_536;
    /** The most values one input image may have: 4 GB as float32. */
    private static final long MAX_IMAGE_VALUES = 1L << 30;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelChoice choice;

    @Option(names = "--model-file", paramLabel = "FILE", description = "A model saved by 'cnn4j train --save' or 'cnn4j"
            + " import', or weights alone with --model or --model-config.")
    Path file;

    @Mixin
    InputOptions input;

    @Option(names = "--input-shape", paramLabel = "C,H,W", split = ",",
            description = "Feed the model images of this shape, each number from 1 to 65536 (default: the shape it is"
                    + " built for, or a model file records; 1,28,28 for a description).")
    int[] inputShape;

    @Option(names = "--write-config", paramLabel = "FILE",
            description = "Also write the model's description as JSON, for --model-config (to edit or train as it is).")
    Path writeConfig;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        boolean weightsAlone = choice.given() && file != null;
        if (!choice.given() && file == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Error: give the model: --model NAME,"
                    + " --model-config FILE or --model-file FILE");
        }
        if (!weightsAlone && choice.name == null && input.given()) {
            throw new IllegalArgumentException(input.first() + " builds a built-in model (--model NAME) or loads weights"
                    + " alone for other images; a model file or description is as it was made: give --input-shape C,H,W"
                    + " to see it take other images");
        }
        if (!weightsAlone && input.normalize != null) {
            throw new IllegalArgumentException("--normalize says how pictures are normalised for the weights of a"
                    + " --model-file; a built-in model without weights has none");
        }
        InputSpec recorded = null;
        LayerConfig architecture;
        String assumed = null;
        Shape own;
        if (weightsAlone) {
            // Weights may hold anything: they are summarised as loaded, non-finite values and all.
            SavedModel saved = ModelSource.read(file, choice, input, Models.FASHION_MNIST_IMAGE, true);
            recorded = InputSpec.fromMetadata(saved.metadata());
            architecture = saved.model().config();
            assumed = "Input";
            own = recorded.shape();
        } else if (file != null) {
            Map<String, String> metadata = ModelFile.metadata(file);
            recorded = recordedInput(metadata);
            architecture = ModelChoice.architecture(file);
            assumed = metadata.containsKey(InputSpec.SHAPE_KEY) ? "Recorded input" : "Assumed (the file records none) input";
            own = recorded.shape();
        } else {
            boolean builtIn = choice.name != null;
            own = input.shape() != null ? input.shape() : builtIn ? Models.defaultInput(choice.name) : Models.FASHION_MNIST_IMAGE;
            List<String> names = input.classNames();
            architecture = choice.architecture(own, names != null ? names.size()
                    : builtIn ? Models.defaultClasses(choice.name) : Models.FASHION_MNIST_CLASSES);
        }
        Shape image = inputShape != null ? imageShape() : own;
        ModelFootprint footprint = ModelFootprint.of(architecture, image);
        List<ModelFootprint.Layer> rows = footprint.layers();
        out.printf(Locale.ROOT, "Model: %s    input: [N, %s%n", weightsAlone ? choice.label() + " with " + file
                : file != null ? file : choice.label(), image.toString().substring(1));
        if (recorded != null) {
            out.printf(Locale.ROOT, "%s: %s, preprocessing %s, normalisation %s%n",
                    assumed, InputSpec.format(recorded.shape()), recorded.preprocessing().spec(),
                    recorded.normalize() == null ? "none" : recorded.normalize().spec());
            out.printf(Locale.ROOT, "Classes (%d): %s%n", recorded.classes(), String.join(", ", recorded.classNames()));
        }
        // Columns as wide as their longest entry (names of layers inside blocks, such as 5.shortcut.0, run long).
        int nameWidth = Math.max(6, rows.stream().mapToInt(r -> r.name().length()).max().orElse(0));
        int layerWidth = Math.max(46, rows.stream().mapToInt(r -> r.layer().length()).max().orElse(0));
        String format = "%-" + nameWidth + "s %-" + layerWidth + "s %-22s %";
        String rule = "-".repeat(nameWidth + layerWidth + 36);
        out.println(rule);
        out.printf(Locale.ROOT, format + "12s%n", "name", "layer", "output shape", "params");
        out.println(rule.replace('-', '='));
        for (ModelFootprint.Layer r : rows) {
            out.printf(Locale.ROOT, format + ",12d%n", r.name(), r.layer(), "[N" + r.output().toString().substring(2),
                    r.parameters());
        }
        out.println(rule.replace('-', '='));
        long total = footprint.parameters();
        out.printf(Locale.ROOT, "Total params: %,d (%s as float32)%nTrainable params: %,d%n", total,
                MemoryBudget.format(MemoryBudget.floats(total)), total);
        out.printf(Locale.ROOT, "Activations per image: %,d values (%s as float32)%n", footprint.activationsPerImage(),
                MemoryBudget.format(MemoryBudget.floats(footprint.activationsPerImage())));
        if (writeConfig != null) {
            ModelDescription.write(writeConfig, architecture);
            out.printf(Locale.ROOT, "config: %s%n", writeConfig);
        }
        return 0;
    }

    /** What the model file records it takes (Fashion-MNIST's input for a file of earlier versions). */
    private InputSpec recordedInput(Map<String, String> metadata) throws ModelFileException {
        try {
            return InputSpec.fromMetadata(metadata);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, e.getMessage(), e);
        }
    }

    /** The batch-less shape of one image, checked: three numbers, none too large, the image not too large. */
    private Shape imageShape() {
        if (inputShape.length != 3) {
            throw new IllegalArgumentException("--input-shape needs three numbers C,H,W, got " + inputShape.length);
        }
        long values = 1;
        for (int d : inputShape) {
            if (d < 1 || d > MAX_SIDE) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "--input-shape %d,%d,%d: each number must be from 1 to %d, got %d",
                        inputShape[0], inputShape[1], inputShape[2], MAX_SIDE, d));
            }
            values *= d;
        }
        if (values > MAX_IMAGE_VALUES) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--input-shape %d,%d,%d: an image of %,d values is more than the %,d (%s as float32) summary takes",
                    inputShape[0], inputShape[1], inputShape[2], values, MAX_IMAGE_VALUES,
                    MemoryBudget.format(MemoryBudget.floats(MAX_IMAGE_VALUES))));
        }
        return Shape.of(inputShape);
    }
}
