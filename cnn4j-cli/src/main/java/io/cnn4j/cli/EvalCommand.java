package io.cnn4j.cli;

import io.cnn4j.data.DataSplit;
import io.cnn4j.data.Datasets;
import io.cnn4j.io.ModelFile;
import io.cnn4j.io.SafeTensors;
import io.cnn4j.io.SavedModel;
import io.cnn4j.limits.MemoryBudget;
import io.cnn4j.nn.ModelFootprint;
import io.cnn4j.nn.Module;
import io.cnn4j.train.Evaluation;
import io.cnn4j.train.Evaluator;
import io.cnn4j.train.TestTimeAugmentation;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code cnn4j eval}: a saved model's loss and accuracy on the test split, overall and per class. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate a saved model on the test split: loss, accuracy and accuracy per class.",
                "The model file carries its architecture; with --model or --model-config the architecture comes from"
                        + " there instead and only the weights from the file (for weights exported from PyTorch)."})
final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model-file", paramLabel = "FILE", required = true,
            description = "A model saved by 'cnn4j train --save', or weights alone with --model or --model-config.")
    Path modelFile;

    @ArgGroup(exclusive = true)
    Architecture architecture;

    /** Where the architecture comes from when not from the model file. */
    static final class Architecture {
        @Option(names = "--model", paramLabel = "NAME", description = "Load the weights into this built-in model.")
        String name;

        @Option(names = "--model-config", paramLabel = "FILE", description = "Load the weights into this model. "
                + ModelChoice.CONFIG_HELP)
        Path config;
    }

    @Option(names = "--allow-non-finite", description = ModelChoice.ALLOW_NON_FINITE_HELP)
    boolean allowNonFinite;

    @Option(names = "--data", paramLabel = "DIR", description = "As for 'cnn4j train': a directory, 'fashion-mnist' or 'embedded'.")
    String data;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "256", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Mixin
    TestTimeOptions testTime;

    @Mixin
    RuntimeOptions runtime;

    @Override
    public Integer call() throws Exception {
        Bounds.between("--batch-size", batchSize, 1, Integer.MAX_VALUE);
        TestTimeAugmentation tta = testTime.build();
        return runtime.run(() -> evaluate(spec.commandLine().getOut(), tta));
    }

    private int evaluate(PrintWriter out, TestTimeAugmentation tta) throws Exception {
        SavedModel saved;
        if (architecture == null) {
            saved = ModelFile.read(modelFile, allowNonFinite);
        } else {
            Module model = ModelChoice.build(architecture.name, architecture.config);
            ModelFile.loadWeightsInto(modelFile, model, allowNonFinite);
            saved = new SavedModel(model, SafeTensors.readHeader(modelFile).metadata());
        }
        DataSplit split = Datasets.resolve(data);
        out.printf(Locale.ROOT, "data: %s%n", split.description());
        int batch = Math.min(batchSize, split.test().size());
        MemoryBudget.require(ModelFootprint.of(saved.model(), split.test().imageShape()).inferenceBytes(batch),
                "evaluating at batch " + batch);
        Evaluation e = Evaluator.evaluate(saved.model(), split.test(), batchSize, InputNormalization.of(saved), tta);
        String views = tta.views() == 1 ? "" : ", test-time augmentation: " + tta;
        out.printf(Locale.ROOT, "test loss %.4f, accuracy %.4f (%d images%s)%n", e.loss(), e.accuracy(), e.count(), views);
        out.println("per class:");
        for (int c = 0; c < e.perClassAccuracy().length; c++) {
            out.printf(Locale.ROOT, "  %2d %-12s %.4f  (%d images)%n", c, split.test().className(c), e.perClassAccuracy()[c], e.support(c));
        }
        return 0;
    }
}
