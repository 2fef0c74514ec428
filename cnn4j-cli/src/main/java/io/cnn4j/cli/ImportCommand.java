package io.cnn4j.cli;

import io.cnn4j.data.InputSpec;
import io.cnn4j.io.ModelFile;
import io.cnn4j.io.OutputFiles;
import io.cnn4j.io.OutputLock;
import io.cnn4j.io.SavedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code cnn4j import}: a model from elsewhere as a complete cnn4j model file. */
@Command(name = "import", mixinStandardHelpOptions = true,
        customSynopsis = {"cnn4j import MODEL.onnx --output=FILE [--classes=NAMES] [OPTIONS]",
                "       cnn4j import SOURCE --model=NAME --output=FILE [OPTIONS]",
                "       cnn4j import SOURCE --model-config=FILE --output=FILE [OPTIONS]"},
        description = {"Make a complete model file of weights from elsewhere.",
                "SOURCE is an ONNX model (such as torch.onnx.export writes), whose graph gives the architecture, or"
                        + " weights alone, such as a PyTorch state_dict saved as safetensors"
                        + " (safetensors.torch.save_file(model.state_dict(), 'weights.safetensors')); --model or"
                        + " --model-config names the architecture they are for. Their names may be cnn4j's or those of"
                        + " the same layers in a PyTorch class (features.0.weight for 0.weight).",
                "The output records the architecture, the input (--input, --classes, --normalize) and the weights,"
                        + " so that eval, predict, explain and train --init need nothing else."})
final class ImportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SOURCE", description = "The model to import (.onnx) or the weights (.safetensors).")
    Path source;

    @Mixin
    ModelChoice architecture;

    @Mixin
    InputOptions input;

    @Option(names = "--output", paramLabel = "FILE", required = true,
            description = "The model file to write (safetensors), replaced atomically.")
    Path output;

    @Option(names = "--allow-non-finite", description = ModelChoice.ALLOW_NON_FINITE_HELP)
    boolean allowNonFinite;

    @Override
    public Integer call() throws Exception {
        if (output.toAbsolutePath().normalize().equals(source.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("--output and SOURCE both name " + output + "; write the model to a file of"
                    + " its own");
        }
        PrintWriter out = spec.commandLine().getOut();
        OutputFiles.prepare(output, "--output");
        try (OutputLock claim = OutputLock.claim(output, "--output")) {
            SavedModel model = read();
            InputSpec taken = InputSpec.fromMetadata(model.metadata());
            ModelFile.save(output, model.model(), model.metadata());
            out.printf(Locale.ROOT, "input: %s, %d classes (%s), preprocessing %s, normalisation %s%n",
                    InputSpec.format(taken.shape()), taken.classes(), String.join(", ", taken.classNames()),
                    taken.preprocessing().spec(), taken.normalize() == null ? "none" : taken.normalize().spec());
            out.printf(Locale.ROOT, "saved: %s%n", output);
        }
        return 0;
    }

    /** The model in {@code source}: the one place where its format decides how it is read. */
    private SavedModel read() throws IOException {
        if (!architecture.given() && ModelFile.isOnnx(source)) {
            return onnx();
        }
        if (!architecture.given()) {
            throw new IllegalArgumentException(source + ": give the architecture its weights are for, --model NAME or"
                    + " --model-config FILE (a complete cnn4j model file needs no import)");
        }
        return ModelSource.read(source, architecture, input, null, allowNonFinite);
    }

    /**
     * An ONNX model: its graph gives the architecture and the input's shape; --classes names the classes a
     * file exported without names numbers, and --normalize says how its pictures were normalised where the
     * graph does not do it itself.
     */
    private SavedModel onnx() throws IOException {
        SavedModel imported = ModelFile.read(source, allowNonFinite);
        if (!input.given()) {
            return imported;
        }
        InputSpec recorded = InputSpec.fromMetadata(imported.metadata());
        InputSpec given = input.resolve(source, imported.metadata(), null, image -> recorded.classes());
        if (!given.shape().equals(recorded.shape())) {
            throw new IllegalArgumentException(source + "'s graph takes pictures of " + InputSpec.format(recorded.shape())
                    + "; --input " + InputSpec.format(given.shape()) + " cannot change that");
        }
        if (given.classes() != recorded.classes()) {
            throw new IllegalArgumentException(source + "'s graph tells " + recorded.classes() + " classes apart; --classes"
                    + " gives " + given.classes());
        }
        Map<String, String> metadata = new LinkedHashMap<>(imported.metadata());
        new InputSpec(recorded.shape(), given.classNames(), recorded.preprocessing(), given.normalize()).toMetadata(metadata);
        return new SavedModel(imported.model(), metadata);
    }
}
