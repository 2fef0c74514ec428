package io.cnn4j.cli;

import io.cnn4j.autograd.Functional;
import io.cnn4j.data.Datasets;
import io.cnn4j.data.ImageFiles;
import io.cnn4j.data.InputImage;
import io.cnn4j.data.Normalize;
import io.cnn4j.io.ModelFile;
import io.cnn4j.io.SavedModel;
import io.cnn4j.nn.Module;
import io.cnn4j.tensor.GradMode;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.Workspace;
import io.cnn4j.train.TestTimeAugmentation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code cnn4j predict}: class and probabilities for each image given. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Classify images with a saved model and print the class and its probabilities.",
                "IMAGE is a PNG or JPEG file (made grayscale and 28x28 if needed; Fashion-MNIST is light on dark),",
                "an IDX file holding one image, or FILE#INDEX for image INDEX (from 0) of an IDX images file."})
final class PredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model-file", paramLabel = "FILE", required = true, description = "A model saved by 'cnn4j train --save'.")
    Path modelFile;

    @Option(names = "--allow-non-finite", description = ModelChoice.ALLOW_NON_FINITE_HELP)
    boolean allowNonFinite;

    @Option(names = "--top", paramLabel = "K", defaultValue = "3", description = "Classes to list per image (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--json", description = "One JSON object per image with every class probability.")
    boolean json;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "Images to classify.")
    List<String> images;

    @Mixin
    TestTimeOptions testTime;

    @Mixin
    RuntimeOptions runtime;

    @Override
    public Integer call() throws Exception {
        Bounds.between("--top", top, 1, Integer.MAX_VALUE);
        TestTimeAugmentation tta = testTime.build();
        return runtime.run(() -> predict(spec.commandLine().getOut(), spec.commandLine().getErr(), tta));
    }

    private int predict(PrintWriter out, PrintWriter err, TestTimeAugmentation tta) throws Exception {
        Workspace workspace = new Workspace();
        SavedModel saved = ModelFile.read(modelFile, allowNonFinite);
        Module model = saved.model().eval();
        Normalize normalize = InputNormalization.of(saved);
        List<String> classes = Datasets.FASHION_MNIST_CLASSES;
        for (String spec : images) {
            InputImage image = ImageFiles.read(spec);
            image.notes().forEach(n -> err.println(spec + ": note: " + n));
            float[] p;
            try (var ignored = GradMode.noGrad()) {
                Tensor logits = tta.logits(model, image.tensor(), normalize, workspace);
                if (logits.rank() != 2 || logits.dim(1) != classes.size()) {
                    throw new IllegalArgumentException("the model gives outputs of shape " + logits.shape()
                            + ", expected one score for each of the " + classes.size() + " Fashion-MNIST classes");
                }
                p = Functional.softmax(logits).data();
            }
            List<Integer> order = new ArrayList<>();
            for (int c = 0; c < p.length; c++) {
                order.add(c);
            }
            final float[] probs = p;
            order.sort(Comparator.comparingDouble(c -> -probs[c]));
            out.println(json ? toJson(spec, order.get(0), probs, classes) : toLine(spec, order, probs, classes));
        }
        return 0;
    }

    private String toLine(String source, List<Integer> order, float[] p, List<String> classes) {
        StringBuilder sb = new StringBuilder(source).append(": ").append(classes.get(order.get(0)))
                .append(String.format(Locale.ROOT, " %.3f", p[order.get(0)]));
        int k = Math.min(top, p.length);
        for (int i = 1; i < k; i++) {
            sb.append(i == 1 ? " (" : ", ").append(classes.get(order.get(i)))
                    .append(String.format(Locale.ROOT, " %.3f", p[order.get(i)]));
        }
        return k > 1 ? sb.append(')').toString() : sb.toString();
    }

    private static String toJson(String source, int best, float[] p, List<String> classes) {
        StringBuilder sb = new StringBuilder("{\"image\":\"").append(source.replace("\\", "\\\\").replace("\"", "\\\""))
                .append("\",\"class\":").append(best).append(",\"label\":\"").append(classes.get(best))
                .append("\",\"probabilities\":{");
        for (int c = 0; c < p.length; c++) {
            sb.append(c == 0 ? "" : ",").append('"').append(classes.get(c)).append("\":")
                    .append(String.format(Locale.ROOT, "%.6f", p[c]));
        }
        return sb.append("}}").toString();
    }
}
