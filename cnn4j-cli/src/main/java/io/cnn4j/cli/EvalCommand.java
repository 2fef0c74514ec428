package io.cnn4j.cli;

import com.google.gson.GsonBuilder;
import io.cnn4j.data.DataSplit;
import io.cnn4j.data.Dataset;
import io.cnn4j.data.InputSpec;
import io.cnn4j.data.Preprocessing;
import io.cnn4j.io.ModelFile;
import io.cnn4j.io.ModelFileException;
import io.cnn4j.io.SavedModel;
import io.cnn4j.limits.MemoryBudget;
import io.cnn4j.nn.ModelFootprint;
import io.cnn4j.train.Evaluation;
import io.cnn4j.train.Evaluator;
import io.cnn4j.train.TestTimeAugmentation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;

/** {@code cnn4j eval}: a saved model's loss and accuracy on the test split, overall and per class. */
@Command(name = "eval", mixinStandardHelpOptions = true, customSynopsis = "cnn4j eval --model-file=FILE [OPTIONS]",
        description = {"Evaluate a saved model on the test split.",
                "It prints the loss, the accuracy, and each class's accuracy, precision and F1, and with --confusion"
                        + " which classes it takes for which.",
                "The model file carries its architecture and how pictures were preprocessed for it, which is applied to"
                        + " the data; with --model or --model-config the architecture comes from there instead and only"
                        + " the weights from the file (for weights exported from PyTorch)."})
final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model-file", paramLabel = "FILE", required = true, description = "A model saved by 'cnn4j train"
            + " --save' or 'cnn4j import', or weights alone (a PyTorch state_dict as safetensors) with --model or"
            + " --model-config, built for the data's images and classes.")
    Path modelFile;

    @Mixin
    ModelChoice architecture;

    @Option(names = "--allow-non-finite", description = ModelChoice.ALLOW_NON_FINITE_HELP)
    boolean allowNonFinite;

    @Mixin
    DataChoice data;

    @Mixin
    PictureOptions pictures;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "256", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--confusion", description = "Also print the confusion matrix: a row per true class, a column per"
            + " predicted class.")
    boolean confusion;

    @Option(names = "--json", description = "Print one JSON object instead of text: loss, accuracy, classes, accuracy"
            + " per class and the confusion matrix (\"confusion\", a row per true class); other lines go to stderr.")
    boolean json;

    @Mixin
    TestTimeOptions testTime;

    @Mixin
    RuntimeOptions runtime;

    @Override
    public Integer call() throws Exception {
        Bounds.between("--batch-size", batchSize, 1, Integer.MAX_VALUE);
        data.validate();
        pictures.preprocessing();
        TestTimeAugmentation tta = testTime.build();
        // With --json, stdout holds the object alone: where the data came from goes to stderr.
        return runtime.run(() -> evaluate(json ? spec.commandLine().getErr() : spec.commandLine().getOut(), tta));
    }

    private int evaluate(PrintWriter out, TestTimeAugmentation tta) throws Exception {
        SavedModel saved = architecture.given() ? null : ModelFile.read(modelFile, allowNonFinite);
        Map<String, String> recorded = saved != null ? saved.metadata() : ModelFile.metadata(modelFile);
        InputSpec input = recordedInput(recorded);
        boolean records = recorded.containsKey(InputSpec.SHAPE_KEY);
        if (records && pictures.given()) {
            throw new IllegalArgumentException(modelFile + " records how pictures are preprocessed for it ("
                    + input.preprocessing().spec() + "); --color, --image-size and --resize cannot change that");
        }
        Preprocessing preprocessing = records ? input.preprocessing() : pictures.preprocessing();
        DataSplit split = data.resolve(out, preprocessing, data.testSplit(recorded.get(DataChoice.TEST_SPLIT_KEY)),
                records ? input : null);
        Dataset test = split.test();
        if (saved == null) {
            saved = ModelSource.read(modelFile, architecture, test.itemShape(), test.numClasses(), allowNonFinite);
        }
        // Classes numbered 0 to N - 1 are a model's whose classes were never named (imported weights): any N fit.
        if (records && !input.classNames().equals(test.classNames())
                && !input.classNames().equals(IntStream.range(0, test.numClasses()).mapToObj(Integer::toString).toList())) {
            throw new IllegalArgumentException(modelFile + " tells apart the classes " + input.classNames()
                    + ", but the data's are " + test.classNames() + ": evaluate it on data of its own classes");
        }
        ModelChoice.requireFits(saved.model().config(), modelFile.toString(), test.itemShape(), test.numClasses());
        int batch = Math.min(batchSize, test.size());
        MemoryBudget.require(ModelFootprint.of(saved.model(), test.itemShape()).inferenceBytes(batch),
                "evaluating at batch " + batch);
        Evaluation e = Evaluator.evaluate(saved.model(), test, batchSize, input.normalize(), tta);
        if (json) {
            spec.commandLine().getOut().println(json(e, test.classNames(), split.description(), tta));
            return 0;
        }
        String views = tta.views() == 1 ? "" : ", test-time augmentation: " + tta;
        out.printf(Locale.ROOT, "test loss %.4f, accuracy %.4f (%d images%s)%n", e.loss(), e.accuracy(), e.count(), views);
        // The accuracy of a class is its recall: of its images, the share recognised.
        int width = Math.max(12, test.classNames().stream().mapToInt(String::length).max().orElse(0));
        out.printf(Locale.ROOT, "%-" + (width + 6) + "s %8s %9s %7s %7s%n", "per class:", "accuracy", "precision", "F1",
                "images");
        for (int c = 0; c < e.perClassAccuracy().length; c++) {
            out.printf(Locale.ROOT, "  %2d %-" + width + "s %8.4f %9.4f %7.4f %7d%n", c, test.className(c),
                    e.perClassAccuracy()[c], e.precision(c), e.f1(c), e.support(c));
        }
        if (confusion) {
            ConfusionTable.lines(e.confusion(), test.classNames()).forEach(out::println);
        }
        return 0;
    }

    /** The evaluation as one JSON object; a class without images has a null accuracy (JSON has no NaN). */
    private String json(Evaluation e, List<String> classes, String data, TestTimeAugmentation tta) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("model_file", modelFile.toString());
        object.put("data", data);
        object.put("images", e.count());
        object.put("loss", e.loss());
        object.put("accuracy", e.accuracy());
        if (tta.views() > 1) {
            object.put("test_time_augmentation", tta.toString());
        }
        object.put("classes", classes);
        int n = classes.size();
        object.put("per_class_accuracy", orNull(n, c -> e.perClassAccuracy()[c]));
        object.put("per_class_precision", orNull(n, e::precision));
        object.put("per_class_f1", orNull(n, e::f1));
        object.put("confusion", e.confusion());
        return new GsonBuilder().disableHtmlEscaping().serializeNulls().create().toJson(object);
    }

    /** {@code value(c)} for each class, null where it is undefined (JSON has no NaN). */
    private static List<Double> orNull(int classes, IntToDoubleFunction value) {
        List<Double> out = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            double v = value.applyAsDouble(c);
            out.add(Double.isNaN(v) ? null : v);
        }
        return out;
    }

    /**
     * The input the model file records; for a file that records none (of earlier versions, or weights alone),
     * Fashion-MNIST's with the file's normalisation, and the data is read as it is or as --color,
     * --image-size and --resize say.
     */
    private InputSpec recordedInput(Map<String, String> metadata) throws ModelFileException {
        try {
            return InputSpec.fromMetadata(metadata);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(modelFile, e.getMessage(), e);
        }
    }
}
