package io.cnn4j.cli;

import io.cnn4j.data.DataLoader;
import io.cnn4j.data.DataSplit;
import io.cnn4j.data.Datasets;
import io.cnn4j.io.ModelFile;
import io.cnn4j.models.Models;
import io.cnn4j.nn.Init;
import io.cnn4j.nn.Module;
import io.cnn4j.optim.Adam;
import io.cnn4j.optim.AdamW;
import io.cnn4j.optim.Optimizer;
import io.cnn4j.optim.Sgd;
import io.cnn4j.tensor.Rng;
import io.cnn4j.train.DivergedException;
import io.cnn4j.train.EpochMetrics;
import io.cnn4j.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code cnn4j train}: trains a model by backpropagation and reports accuracy as it learns. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a model on an MNIST-style data set and evaluate it on the test split after each epoch.",
                "Defaults are the tutorial's: model seed, Adam, learning rate 0.001, batch size 64."})
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "NAME", defaultValue = "seed",
            description = "Built-in model: seed, lenet5, small, bn, resnet (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--model-config", paramLabel = "FILE", description = "Train this model instead of a built-in one. "
            + ModelChoice.CONFIG_HELP)
    Path modelConfig;

    @Option(names = "--data", paramLabel = "DIR",
            description = "MNIST-style directory (train-images-idx3-ubyte[.gz], ...), 'fashion-mnist' for the installed"
                    + " full set, or 'embedded' for the subset shipped with cnn4j. Default: the full Fashion-MNIST when"
                    + " Debian's dataset-fashion-mnist is installed, else the embedded subset.")
    String data;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "2", description = "Passes over the training set (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "adam", description = "sgd, adam or adamw (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr", paramLabel = "X", defaultValue = "0.001", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--momentum", paramLabel = "X", defaultValue = "0", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--nesterov", description = "Nesterov momentum for SGD.")
    boolean nesterov;

    @Option(names = "--weight-decay", paramLabel = "X",
            description = "L2 weight decay (sgd, adam) or decoupled decay (adamw). Default: 0, or 0.01 for adamw as in PyTorch.")
    Double weightDecay;

    @Option(names = "--label-smoothing", paramLabel = "X", defaultValue = "0", description = "Cross-entropy label smoothing (default: ${DEFAULT-VALUE}).")
    float labelSmoothing;

    @Option(names = "--weight-init", paramLabel = "NAME", defaultValue = "pytorch",
            description = "Weight initialisation: pytorch, xavier-uniform, xavier-normal, he-uniform, he-normal (default: ${DEFAULT-VALUE}).")
    String weightInit;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seed for initialisation, dropout and shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--max-steps", paramLabel = "N", description = "Stop after N optimizer steps in all.")
    Long maxSteps;

    @Option(names = "--no-shuffle", description = "Take the training batches in file order.")
    boolean noShuffle;

    @Option(names = "--init", paramLabel = "FILE", description = "Start from the weights in this safetensors file.")
    Path init;

    @Option(names = "--save", paramLabel = "FILE", description = "Write the trained model (architecture and weights) to this safetensors file.")
    Path save;

    @Option(names = "--metrics-out", paramLabel = "FILE", description = "Write one JSON object per epoch to this file.")
    Path metricsOut;

    @Mixin
    RuntimeOptions runtime;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        validate();
        runtime.apply();
        DataSplit split = Datasets.resolve(data);
        out.printf(Locale.ROOT, "data: %s%n", split.description());

        Rng.manualSeed(seed);
        Module net = ModelChoice.build(model, modelConfig);
        Init scheme = Init.parse(weightInit);
        if (scheme != Init.PYTORCH) {
            net.initialize(scheme, Rng.global());
        }
        if (init != null) {
            ModelFile.loadWeightsInto(init, net);
            out.printf(Locale.ROOT, "weights: from %s%n", init);
        }
        Optimizer opt = optimizer(net);
        out.printf(Locale.ROOT, "model: %s, %,d parameters; %s, batch %d, %d epoch(s), seed %d, %d thread(s)%n",
                modelLabel(), net.parameterCount(), describeOptimizer(), batchSize, epochs, seed, runtime.threads);

        Trainer trainer = new Trainer(net, opt).labelSmoothing(labelSmoothing);
        if (maxSteps != null) {
            trainer.maxSteps(maxSteps);
        }
        var progress = Progress.create(out, epochs);
        trainer.addListener(progress);
        MetricsFile metrics = metricsOut == null ? null : MetricsFile.open(metricsOut);
        if (metrics != null) {
            trainer.addListener(metrics);
        }
        DataLoader loader = new DataLoader(split.train(), batchSize, !noShuffle, false, Rng.global().split());
        List<EpochMetrics> history;
        try {
            history = trainer.fit(loader, split.test(), epochs);
        } catch (DivergedException e) {
            if (save != null) {
                ModelFile.save(save, net, metadata(split, trainer.steps(), Double.NaN));
                throw new IllegalStateException(e.getMessage() + " The last good weights are saved in " + save + ".", e);
            }
            throw e;
        } finally {
            progress.close();
            if (metrics != null) {
                metrics.close();
            }
        }
        EpochMetrics last = history.get(history.size() - 1);
        out.printf(Locale.ROOT, "test accuracy %.4f after %d step(s)%n", last.testAccuracy(), trainer.steps());
        if (save != null) {
            ModelFile.save(save, net, metadata(split, trainer.steps(), last.testAccuracy()));
            out.printf(Locale.ROOT, "saved: %s%n", save);
        }
        return 0;
    }

    private void validate() {
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
        }
        if (modelConfig != null && spec.commandLine().getParseResult().hasMatchedOption("--model")) {
            throw new IllegalArgumentException("--model " + model + " and --model-config " + modelConfig
                    + " both name the model to train; give one");
        }
        if (modelConfig == null && !Models.names().contains(model)) {
            throw new IllegalArgumentException("--model: unknown model '" + model + "'; built-in models: " + Models.names());
        }
    }

    /** The model as output names it: the built-in model's name or the description's file. */
    private String modelLabel() {
        return modelConfig == null ? model : modelConfig.toString();
    }

    private double decay() {
        return weightDecay != null ? weightDecay : optimizer.equals("adamw") ? 0.01 : 0.0;
    }

    private Optimizer optimizer(Module net) {
        return switch (optimizer.toLowerCase(Locale.ROOT)) {
            case "sgd" -> new Sgd(net.parameters(), lr, momentum, 0, decay(), nesterov);
            case "adam" -> new Adam(net.parameters(), lr, 0.9, 0.999, 1e-8, decay());
            case "adamw" -> new AdamW(net.parameters(), lr, 0.9, 0.999, 1e-8, decay());
            default -> throw new IllegalArgumentException("--optimizer must be sgd, adam or adamw, got '" + optimizer + "'");
        };
    }

    private String describeOptimizer() {
        String s = String.format(Locale.ROOT, "%s lr %s", optimizer, lr);
        if (optimizer.equals("sgd") && momentum != 0) {
            s += String.format(Locale.ROOT, " momentum %s%s", momentum, nesterov ? " (Nesterov)" : "");
        }
        return decay() != 0 ? s + " weight decay " + decay() : s;
    }

    private Map<String, String> metadata(DataSplit split, long steps, double testAccuracy) {
        Map<String, String> meta = new LinkedHashMap<>();
        if (modelConfig == null) {
            meta.put(ModelFile.MODEL_NAME_KEY, model);
        }
        meta.put("cnn4j.trained_steps", Long.toString(steps));
        meta.put("cnn4j.data", split.description());
        if (!Double.isNaN(testAccuracy)) {
            meta.put("cnn4j.test_accuracy", String.format(Locale.ROOT, "%.4f", testAccuracy));
        }
        return meta;
    }
}
