package io.cnn4j.cli;

import io.cnn4j.data.DataSplit;
import io.cnn4j.data.Dataset;
import io.cnn4j.data.InputSpec;
import io.cnn4j.io.OutputFiles;
import io.cnn4j.io.SavedModel;
import io.cnn4j.limits.MemoryBudget;
import io.cnn4j.nn.ModelFootprint;
import io.cnn4j.report.TrainingReport;
import io.cnn4j.train.Evaluation;
import io.cnn4j.train.Evaluator;
import io.cnn4j.train.Predictor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code cnn4j report}: a saved model's HTML report on the test split. */
@Command(name = "report", mixinStandardHelpOptions = true,
        customSynopsis = "cnn4j report --model-file=FILE --output=FILE.html [OPTIONS]",
        description = {"Write one self-contained HTML page about a saved model and its test split.",
                "It shows the model's layers, the test set's confusion matrix (counts and shares), each class's precision,"
                        + " recall, F1 and support, the most-confused pairs, the worst mistakes, Grad-CAM overlays of right and"
                        + " wrong answers, the first layer's filters, one image's feature maps and histograms of the weights."
                        + " The figures are those 'cnn4j eval' prints.",
                "The training curves need a run's history: 'cnn4j train ... --report FILE.html' writes the same page with"
                        + " them, after every epoch. The page has no scripts and loads nothing: it opens offline."})
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SavedModelOption model;

    @Mixin
    DataChoice data;

    @Option(names = "--output", paramLabel = "FILE", required = true,
            description = "The page to write (an .html file, replaced atomically; its folder is made if missing).")
    Path output;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "256", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Mixin
    RuntimeOptions runtime;

    @Override
    public Integer call() throws Exception {
        Bounds.between("--batch-size", batchSize, 1, Integer.MAX_VALUE);
        data.validate();
        OutputFiles.prepare(output, "--output");
        return runtime.run(() -> report(spec.commandLine().getOut()));
    }

    private int report(PrintWriter out) throws Exception {
        SavedModel saved = model.read();
        Predictor predictor = Predictor.of(saved, model.file);
        InputSpec input = predictor.input();
        if (input.isClip()) {
            throw new IllegalArgumentException(model.file + " takes clips (" + InputSpec.format(input.shape()) + "), and a"
                    + " report draws pictures: evaluate it with 'cnn4j eval'");
        }
        DataSplit split = data.resolve(out, input.preprocessing(), data.testSplit(saved.metadata().get(DataChoice.TEST_SPLIT_KEY)));
        Dataset test = split.test();
        if (!input.classNames().equals(test.classNames())) {
            throw new IllegalArgumentException(model.file + " tells apart the classes " + input.classNames()
                    + ", but the data's are " + test.classNames() + ": report on data of its own classes");
        }
        ModelChoice.requireFits(predictor.model().config(), model.file.toString(), test.imageShape(), test.numClasses());
        int batch = Math.min(batchSize, test.size());
        MemoryBudget.require(ModelFootprint.of(predictor.model(), test.imageShape()).inferenceBytes(batch),
                "evaluating at batch " + batch);
        Evaluation evaluation = Evaluator.evaluate(predictor.model(), test, batchSize, input.normalize());
        String html = TrainingReport.forModel(predictor.model(), test, input.normalize(), evaluation,
                facts(saved.metadata(), split));
        OutputFiles.replace(output, html.getBytes(StandardCharsets.UTF_8));
        out.printf(Locale.ROOT, "test accuracy %.4f (%d images)%nreport: %s%n", evaluation.accuracy(), evaluation.count(), output);
        return 0;
    }

    /** What the page says first: how it was made, and what the model file records of its training. */
    private Map<String, String> facts(Map<String, String> recorded, DataSplit split) {
        Map<String, String> facts = new LinkedHashMap<>();
        List<String> args = spec.commandLine().getParseResult().expandedArgs();
        facts.put("command line", "cnn4j report " + String.join(" ", args.stream().map(StopReport::shellWord).toList()));
        facts.put("model file", model.file.toString());
        String steps = recorded.get("cnn4j.trained_steps");
        if (steps != null) {
            facts.put("trained", steps + " steps on " + recorded.getOrDefault("cnn4j.data", "data it does not name"));
        }
        String accuracy = recorded.get("cnn4j.test_accuracy");
        if (accuracy != null) {
            facts.put("test accuracy recorded at training", accuracy);
        }
        facts.put("data", split.description());
        facts.put("machine", Machine.cpu() + ", " + runtime.threads + " thread(s)");
        facts.put("Java", System.getProperty("java.vm.vendor", "") + " " + Runtime.version());
        return facts;
    }
}
