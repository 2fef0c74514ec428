package io.cnn4j.cli;

import io.cnn4j.data.ImageFiles;
import io.cnn4j.data.InputImage;
import io.cnn4j.io.OutputFiles;
import io.cnn4j.io.OutputLock;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.train.Prediction;
import io.cnn4j.train.Predictor;
import io.cnn4j.train.TestTimeAugmentation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code cnn4j predict}: class and probabilities for each picture given. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        customSynopsis = "cnn4j predict --model-file=FILE [OPTIONS] IMAGE...",
        description = {"Classify pictures with a saved model.",
                "It prints each picture's likeliest classes and their probabilities.",
                "IMAGE is a picture file (PNG, JPEG, BMP, GIF, ...), a folder (its pictures, recursively, in sorted order),"
                        + " a glob such as 'photos/*.jpg', an IDX file holding one image, or FILE#INDEX for image INDEX"
                        + " (from 0) of an IDX images file.",
                "Each picture is converted, resized and normalised as the model's training pictures were, which its"
                        + " file records (a model file of earlier versions: 28x28 gray, Fashion-MNIST's classes). A picture"
                        + " that cannot be read is reported and the others are still classified; the exit code is then 1."})
final class PredictCommand implements Callable<Integer> {
    /** Pictures classified in one forward pass. */
    static final int BATCH = 32;

    @Spec
    CommandSpec spec;

    @Mixin
    SavedModelOption model;

    @Option(names = {"--top-k", "--top"}, paramLabel = "K", defaultValue = "3",
            description = "Classes to list per picture (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--json", description = "Print one JSON object per picture with every class probability.")
    boolean json;

    @Option(names = "--output", paramLabel = "FILE",
            description = "Also write path, class, probability and the top K classes of every picture to FILE: CSV when it"
                    + " ends in .csv, JSON Lines when it ends in .jsonl; replaced atomically when all are classified.")
    Path output;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "Pictures, folders or globs to classify; for a model"
            + " of clips, clips (an animated GIF, or a folder of frame pictures).")
    List<String> images;

    @Mixin
    TestTimeOptions testTime;

    @Mixin
    RuntimeOptions runtime;

    @Override
    public Integer call() throws Exception {
        Bounds.between("--top-k", top, 1, Integer.MAX_VALUE);
        TestTimeAugmentation tta = testTime.build();
        if (output != null && PredictionFormat.isCsv(output) == null) {
            throw new IllegalArgumentException("--output " + output + ": name a .csv or a .jsonl file, which says how it"
                    + " is written");
        }
        if (output != null && output.toAbsolutePath().normalize().equals(model.file.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("--output and --model-file both name " + output + "; write the predictions"
                    + " to a file of their own");
        }
        if (output == null) {
            return runtime.run(() -> predict(spec.commandLine().getOut(), spec.commandLine().getErr(), tta));
        }
        OutputFiles.prepare(output, "--output");
        try (OutputLock claim = OutputLock.claim(output, "--output")) {
            return runtime.run(() -> predict(spec.commandLine().getOut(), spec.commandLine().getErr(), tta));
        }
    }

    private int predict(PrintWriter out, PrintWriter err, TestTimeAugmentation tta) throws Exception {
        Predictor predictor = model.load().withTestTimeAugmentation(tta);
        // A clip model's arguments are clips as they are: a folder is one clip's frames, not pictures to expand.
        boolean clips = predictor.input().isClip();
        PictureArguments.Expanded expanded = clips ? null : PictureArguments.expandAll(images, err, "predict");
        List<String> sources = clips ? images : expanded.pictures();
        int failed = clips ? 0 : expanded.failed();
        boolean csv = output != null && PredictionFormat.isCsv(output);
        StringBuilder rows = new StringBuilder(csv ? PredictionFormat.csvHeader(top) + "\n" : "");
        for (int from = 0; from < sources.size(); from += BATCH) {
            List<String> read = new ArrayList<>();
            List<Tensor> pixels = new ArrayList<>();
            for (String source : sources.subList(from, Math.min(from + BATCH, sources.size()))) {
                try {
                    if (clips) {
                        pixels.add(predictor.pixels(source));
                    } else {
                        InputImage image = ImageFiles.read(source, predictor.input().preprocessing());
                        image.notes().forEach(note -> err.println(source + ": note: " + note));
                        pixels.add(image.tensor());
                    }
                    read.add(source);
                } catch (IOException | IllegalArgumentException e) {
                    err.println("predict: " + e.getMessage());
                    failed++;
                }
            }
            List<List<Prediction>> ranked = predictor.classify(pixels);
            for (int i = 0; i < read.size(); i++) {
                String source = read.get(i);
                out.println(json ? PredictionFormat.json(source, ranked.get(i)) : PredictionFormat.line(source, ranked.get(i), top));
                if (output != null) {
                    rows.append(csv ? PredictionFormat.csvRow(source, ranked.get(i), top)
                            : PredictionFormat.jsonlRow(source, ranked.get(i), top)).append('\n');
                }
            }
        }
        if (output != null) {
            OutputFiles.replace(output, rows.toString().getBytes(StandardCharsets.UTF_8));
        }
        if (failed > 0) {
            err.printf(Locale.ROOT, "predict: %d picture(s) or argument(s) could not be classified%s%n", failed,
                    output == null ? "" : "; " + output + " holds the others");
            return 1;
        }
        return 0;
    }
}
