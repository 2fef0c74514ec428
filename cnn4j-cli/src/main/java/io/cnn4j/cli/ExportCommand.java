package io.cnn4j.cli;

import io.cnn4j.data.InputSpec;
import io.cnn4j.io.ModelFileException;
import io.cnn4j.io.OnnxExport;
import io.cnn4j.io.OutputFiles;
import io.cnn4j.io.SavedModel;
import io.cnn4j.limits.MemoryBudget;
import io.cnn4j.onnx.OnnxFile;
import io.cnn4j.onnx.OnnxModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code cnn4j export}: a saved model as an ONNX file, for ONNX Runtime and the other runtimes that read ONNX. */
@Command(name = "export", mixinStandardHelpOptions = true,
        customSynopsis = "cnn4j export --model-file=FILE --output=FILE [--format=onnx] [--softmax]",
        description = {"Export a saved model to ONNX (opset 17), to run it with ONNX Runtime.",
                "The ONNX model's input 'input' is a batch of pictures [N, C, H, W] with pixels in [0, 1], converted and"
                        + " resized as the model file records: the normalisation the model was trained with is folded in"
                        + " as its first two nodes. Its output 'logits' is [N, classes] ('probabilities' with --softmax)."
                        + " Its metadata_props hold the input shape, the class names and the preprocessing"
                        + " (cnn4j.input_shape, cnn4j.class_names, cnn4j.preprocessing, cnn4j.normalize)."})
final class ExportCommand implements Callable<Integer> {

    /** The formats cnn4j writes. */
    enum Format { onnx }

    @Spec
    CommandSpec spec;

    @Mixin
    SavedModelOption model;

    @Option(names = "--output", paramLabel = "FILE", required = true,
            description = "The file to write, e.g. model.onnx; replaced atomically.")
    Path output;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "onnx",
            description = "The format to write: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--softmax", description = "End the model with a softmax over the classes: it gives"
            + " 'probabilities' instead of 'logits'.")
    boolean softmax;

    @Override
    public Integer call() throws Exception {
        if (output.toAbsolutePath().normalize().equals(model.file.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("--output and --model-file both name " + output + "; write the ONNX model"
                    + " to a file of its own");
        }
        OutputFiles.prepare(output, "--output");
        SavedModel saved = model.read();
        OnnxExport export;
        try {
            export = OnnxExport.of(saved);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(model.file, e.getMessage(), e);
        }
        OnnxModel onnx = (softmax ? export.withSoftmax() : export).toOnnx();
        byte[] bytes = OnnxFile.encode(onnx);
        OutputFiles.requireSpace(output, bytes.length, "--output");
        OutputFiles.replace(output, bytes);
        InputSpec input = InputSpec.fromMetadata(onnx.metadata());
        spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s (ONNX opset %d, %d nodes, %s): input '%s' [N, %s"
                        + " of pixels in [0, 1]%s, output '%s' [N, %d]%n", output, OnnxExport.OPSET,
                onnx.graph().nodes().size(), MemoryBudget.format(bytes.length), OnnxExport.INPUT,
                input.shape().toString().substring(1),
                input.normalize() == null ? "" : " (normalisation " + input.normalize().spec() + " folded in)",
                onnx.graph().outputs().getFirst().name(), input.classes());
        return 0;
    }
}
