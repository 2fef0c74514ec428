package io.cnn4j.cli;

import io.cnn4j.data.Augmentation;
import io.cnn4j.data.BatchFeed;
import io.cnn4j.data.DataLoader;
import io.cnn4j.data.ShardedOrder;
import io.cnn4j.data.DataSplit;
import io.cnn4j.data.Dataset;
import io.cnn4j.data.InputSpec;
import io.cnn4j.data.Normalize;
import io.cnn4j.data.ValidationSplit;
import io.cnn4j.io.ModelFile;
import io.cnn4j.io.OutputFiles;
import io.cnn4j.io.OutputLock;
import io.cnn4j.limits.MemoryBudget;
import io.cnn4j.models.Models;
import io.cnn4j.nn.Init;
import io.cnn4j.nn.Module;
import io.cnn4j.nn.ModelFootprint;
import io.cnn4j.optim.LrSchedule;
import io.cnn4j.optim.Optimizer;
import io.cnn4j.report.TrainingReport;
import io.cnn4j.tensor.Rng;
import io.cnn4j.train.Checkpoint;
import io.cnn4j.train.DivergedException;
import io.cnn4j.train.EpochMetrics;
import io.cnn4j.train.Evaluator;
import io.cnn4j.train.StoppedException;
import io.cnn4j.train.TestTimeAugmentation;
import io.cnn4j.train.Trainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code cnn4j train}: trains a model by backpropagation and reports accuracy as it learns. */
@Command(name = "train", mixinStandardHelpOptions = true, abbreviateSynopsis = true,
        description = {"Train a model and evaluate it on the test split after each epoch.",
                "The data may be a folder of pictures (colour or gray, any size), CIFAR binaries or an MNIST-style"
                        + " data set (see --data). The model is built for the data's channels, size and classes, and"
                        + " the saved model records how to feed it a raw photo.",
                "Defaults are the tutorial's: model seed, Adam, learning rate 0.001, batch size 64. --recipe NAME"
                        + " starts from a recipe's settings instead ('cnn4j recipes' lists them)."})
final class TrainCommand implements Callable<Integer> {

    /** More epochs than any run needs: a typo such as 1000000000 is refused rather than run. */
    static final int MAX_EPOCHS = 1_000_000;
    /** Prefetched batches beyond a few only hold memory: the loop never waits once two are ready. */
    static final int MAX_PREFETCH = 64;
    /** The evaluation batch when memory allows it. */
    private static final int EVAL_BATCH = 256;

    @Spec
    CommandSpec spec;

    @Option(names = "--recipe", paramLabel = "NAME", completionCandidates = Recipes.class,
            description = "Start from a recipe's settings: ${COMPLETION-CANDIDATES} (see 'cnn4j recipes'). Options given"
                    + " explicitly override the recipe's.")
    String recipe;

    @Option(names = "--model", paramLabel = "NAME", defaultValue = "seed",
            description = "Built-in model: seed, lenet5, small, bn, resnet, resnet3, seq1d; video3d for clips (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--model-config", paramLabel = "FILE", description = "Train this model instead of a built-in one. "
            + ModelChoice.CONFIG_HELP)
    Path modelConfig;

    @Mixin
    DataChoice data;

    @Mixin
    PictureOptions pictures;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "2", description = "Passes over the training set (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--accumulate", paramLabel = "N", defaultValue = "1",
            description = "Cut each batch into N micro-batches and step once on their summed gradients, as N data-parallel"
                    + " workers do (batch norm sees each micro-batch alone; default: ${DEFAULT-VALUE}).")
    int accumulate;

    @Option(names = "--shard-order",
            description = "Deal the training images to --accumulate N shards (image i to shard i mod N), shuffle each shard"
                    + " every epoch from --seed, and fill micro-batch k from shard k alone: the order of N cnn4j-spark workers"
                    + " that each hold one shard, which this run reproduces bit for bit. An epoch ends when a shard cannot"
                    + " fill its micro-batch.")
    boolean shardOrder;

    @Mixin
    OptimizerOptions optimizer;

    @Option(names = "--lr", paramLabel = "X", defaultValue = "0.001",
            description = "Learning rate; the peak rate of a onecycle schedule (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--label-smoothing", paramLabel = "X", defaultValue = "0", description = "Cross-entropy label smoothing (default: ${DEFAULT-VALUE}).")
    float labelSmoothing;

    @Option(names = "--clip-grad-norm", paramLabel = "X", defaultValue = "0",
            description = "Scale the gradients down to global L2 norm X when they exceed it, before each update, as"
                    + " PyTorch's clip_grad_norm_ does; 0: off (default).")
    double clipGradNorm;

    @Mixin
    ScheduleOptions schedule;

    @Mixin
    AugmentationOptions augmentation;

    @Mixin
    TestTimeOptions testTime;

    @Option(names = "--weight-init", paramLabel = "NAME", defaultValue = "pytorch",
            description = "Weight initialisation: pytorch, xavier-uniform, xavier-normal, he-uniform, he-normal (default: ${DEFAULT-VALUE}).")
    String weightInit;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "Seed for initialisation, dropout, shuffling, augmentation and the validation split (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--max-steps", paramLabel = "N", description = "Stop after N optimizer steps in all (schedules span them).")
    Long maxSteps;

    @Option(names = "--no-shuffle", description = "Take the training batches in file order.")
    boolean noShuffle;

    @Option(names = "--validation", paramLabel = "N|FRACTION",
            description = "Hold out N training images (or a fraction of them, e.g. 0.1), chosen at random by --seed, and"
                    + " evaluate on them after every epoch.")
    String validation;

    @Option(names = "--early-stopping", paramLabel = "EPOCHS", defaultValue = "0",
            description = "Stop when validation accuracy has not improved for this many epochs (needs --validation); 0: off (default).")
    int earlyStopping;

    @Option(names = "--keep-best", description = "End with the weights of the epoch with the best validation accuracy"
            + " (needs --validation); --save saves those.")
    boolean keepBest;

    @Option(names = "--init", paramLabel = "FILE", description = "Start from the weights in this safetensors file, or from this ONNX"
            + " model (its graph is the model to train unless --model or --model-config names another).")
    Path init;

    @Option(names = "--allow-non-finite", description = "With --init, load weights that hold NaN or infinities (a diverged run's), which are refused otherwise.")
    boolean allowNonFinite;

    @Option(names = "--save", paramLabel = "FILE", description = "Write the trained model (architecture and weights) to this safetensors file.")
    Path save;

    @Option(names = "--metrics-out", paramLabel = "FILE", description = "Write one JSON object per epoch to this file.")
    Path metricsOut;

    @Option(names = "--plots", paramLabel = "DIR",
            description = "After every epoch, draw the loss, accuracy and learning rate per epoch and the test set's confusion"
                    + " matrix as SVG files in DIR (loss.svg, accuracy.svg, learning-rate.svg, confusion.svg).")
    Path plots;

    @Option(names = "--report", paramLabel = "FILE",
            description = "After every epoch, rewrite FILE (an .html page, replaced atomically: reload it to follow the run)"
                    + " with the run's facts, model, curves, the test set's confusion matrix and per-class figures, the worst"
                    + " mistakes, Grad-CAM overlays, filters, feature maps and histograms of weights and gradients. One file,"
                    + " opened offline.")
    Path report;

    @Option(names = "--checkpoint", paramLabel = "FILE",
            description = "After every epoch, save all a run needs to go on (weights, optimizer state, data order, random"
                    + " states, counters, options) to FILE, replacing it atomically. Ctrl-C also checkpoints, after the"
                    + " step under way.")
    Path checkpoint;

    @Option(names = "--checkpoint-every-steps", paramLabel = "N", defaultValue = "0",
            description = "Also checkpoint every N steps (needs --checkpoint); 0: at epoch ends only (default).")
    long checkpointEvery;

    @Option(names = "--resume", paramLabel = "FILE",
            description = "Continue the run that wrote this checkpoint, with its options, to the same result as if it had"
                    + " never stopped; it goes on checkpointing to FILE. With it you may give " + TrainArgs.ON_RESUME
                    + ", and any other option only with the checkpoint's value. A larger --epochs or --max-steps extends a"
                    + " finished run, with the optimizer state, data order and random streams kept: under a constant or"
                    + " step schedule it ends where a run started that long would; a cosine or onecycle schedule spans"
                    + " the run's total steps, so a changed total is refused. Outputs (--save, --metrics-out, --plots) are"
                    + " written only when given again, never taken from the checkpoint.")
    Path resume;

    @Option(names = "--prefetch", paramLabel = "N", defaultValue = "2",
            description = "Training batches assembled and augmented ahead on a background thread while the model computes;"
                    + " 0: each when it is needed (default: ${DEFAULT-VALUE}).")
    int prefetch;

    @Mixin
    RuntimeOptions runtime;

    /** On {@code --resume}: the run as the checkpoint describes it, before this command line's changes. */
    private TrainCommand checkpointed;

    /** The batch the test set is evaluated in, set once the model's footprint is known. */
    private int evalBatch = EVAL_BATCH;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<String> given = ownArgs();
        if (resume != null) {
            Checkpoint saved = Checkpoint.read(resume);
            List<String> savedArgs = TrainArgs.fromJson(resume, saved.metadata().get(TrainArgs.METADATA_KEY));
            List<String> args = TrainArgs.forResume(spec, savedArgs, resume, given);
            TrainCommand resumed;
            TrainCommand checkpointed;
            try {
                checkpointed = reparse(TrainArgs.forResume(spec, savedArgs, resume, List.of()));
                resumed = reparse(args);
            } catch (CommandLine.ParameterException e) {
                // Thrown from here picocli would print the whole usage, as if the user had typed the option.
                throw new IllegalArgumentException(resume + ": the training options this checkpoint holds cannot be"
                        + " used: " + e.getMessage() + " (they are: " + String.join(" ", savedArgs) + ")", e);
            }
            TrainArgs.requireSettingsKept(spec, checkpointed.spec, resumed.spec, savedArgs, given);
            resumed.checkpointed = checkpointed;
            for (String output : TrainArgs.outputs(spec, savedArgs)) {
                out.printf(Locale.ROOT, "note: the checkpointed run was started with %s; a resumed run writes only the"
                        + " outputs on its own command line%n", output);
            }
            return resumed.train(out, args, saved);
        }
        if (recipe != null) {
            List<String> args = TrainArgs.withRecipe(spec, Recipes.named(recipe), given);
            out.printf(Locale.ROOT, "recipe: %s (%s)%n", recipe, Recipes.named(recipe).commandLine());
            return reparse(args).train(out, args, null);
        }
        return train(out, given, null);
    }

    /**
     * The arguments given to this command: picocli keeps the whole command line, whose first token is
     * the subcommand's name when this runs under {@link Main} (which takes no options but help).
     */
    private List<String> ownArgs() {
        List<String> all = spec.commandLine().getParseResult().expandedArgs();
        int at = spec.parent() == null ? -1 : all.indexOf(spec.name());
        return all.subList(at + 1, all.size());
    }

    /** This command with {@code args} parsed afresh, later values of an option replacing earlier ones. */
    private static TrainCommand reparse(List<String> args) {
        TrainCommand command = new TrainCommand();
        new CommandLine(command).setOverwrittenOptionsAllowed(true).parseArgs(args.toArray(String[]::new));
        return command;
    }

    /** Trains with this command's options, which {@code args} spell out; continues {@code resumed} if given. */
    private int train(PrintWriter out, List<String> args, Checkpoint resumed) throws Exception {
        validate();
        List<OutputLock> claims = claimOutputs();
        try {
            return runtime.run(() -> trainClaimed(out, args, resumed));
        } finally {
            for (OutputLock claim : claims) {
                claim.close();
            }
        }
    }

    /** {@link #train} once the outputs are this run's. */
    private int trainClaimed(PrintWriter out, List<String> args, Checkpoint resumed) throws Exception {
        DataSplit split = data.resolve(out, pictures.preprocessing(), data.testSplit(null));
        Dataset trainSet = split.train();
        augmentation.checkFits(trainSet.height(), trainSet.width());
        if (trainSet.isClip()) {
            requirePictureOptionsUnused(split);
        }
        Dataset validationSet = null;
        if (validation != null) {
            ValidationSplit carved = carveValidation(trainSet);
            trainSet = carved.train();
            validationSet = carved.validation();
            out.printf(Locale.ROOT, "validation: %d of the %d training images held out%n", validationSet.size(), split.train().size());
        }

        Rng rng = new Rng(seed);
        Module net;
        if (initIsModel()) {
            net = ModelFile.read(init, allowNonFinite).model();
            ModelChoice.requireFits(net.config(), init.toString(), trainSet.itemShape(), trainSet.numClasses());
        } else {
            net = ModelChoice.build(model, modelConfig, trainSet.itemShape(), trainSet.numClasses(), Init.parse(weightInit), rng);
            if (init != null) {
                ModelFile.loadWeightsInto(init, net, allowNonFinite);
            }
        }
        if (init != null) {
            out.printf(Locale.ROOT, "weights: from %s%n", init);
        }
        Optimizer opt = optimizer.build(net.parameters(), lr);
        // The model must take these images, and a step at this batch size must fit in memory, before any step.
        ModelFootprint footprint = ModelFootprint.of(net, trainSet.itemShape());
        int stepBatch = Math.min(batchSize, trainSet.size());
        footprint.requireTrainingFits(stepBatch);
        // Evaluation runs while the training step's buffers are held: with large images a batch of
        // EVAL_BATCH could need more memory than the step itself.
        evalBatch = footprint.inferenceBatchWithin(MemoryBudget.available() - footprint.trainingBytes(stepBatch), EVAL_BATCH);
        checkRoomForOutputs(net);
        Rng loaderRng = rng.split();
        DataLoader loader = shardOrder ? DataLoader.sharded(trainSet, new ShardedOrder(trainSet.size(), accumulate, batchSize, seed))
                : new DataLoader(trainSet, batchSize, !noShuffle, false, loaderRng);
        Normalize normalize = augmentation.normalization(trainSet);
        Augmentation transforms = augmentation.build(rng.nextLong(), normalize);
        LrSchedule lrSchedule = schedule.build(lr, totalSteps(loader.batchesPerEpoch()), loader.batchesPerEpoch());
        if (checkpointed != null) {
            requireSameSchedule(lrSchedule, loader.batchesPerEpoch());
        }
        out.printf(Locale.ROOT, "model: %s, %,d parameters%n", modelLabel(), net.parameterCount());
        out.printf(Locale.ROOT, "training: %s, batch %d%s, %d epoch(s), seed %d, %d thread(s)%n",
                optimizer.describe(lr), batchSize, accumulate > 1 || shardOrder ? " (" + accumulate + " micro-batches" + (shardOrder ? ", one per shard)" : ")") : "", epochs, seed,
                runtime.threads);
        printIfAny(out, "schedule", ScheduleOptions.describe(lrSchedule));
        printIfAny(out, "augmentation", augmentation.describe(normalize));

        Trainer trainer = new Trainer(net, opt).labelSmoothing(labelSmoothing).schedule(lrSchedule)
                .clipGradientNorm(clipGradNorm).validation(validationSet).normalize(normalize)
                .earlyStopping(earlyStopping).keepBest(keepBest).evalBatchSize(evalBatch).accumulate(accumulate);
        if (maxSteps != null) {
            trainer.maxSteps(maxSteps);
        }
        if (checkpoint != null) {
            trainer.checkpoints(checkpoint, checkpointEvery,
                    Map.of(TrainArgs.METADATA_KEY, TrainArgs.toJson(TrainArgs.toSave(spec, args))));
        }
        BatchFeed feed = new BatchFeed(loader, transforms, prefetch);
        if (resumed != null) {
            restore(trainer, resumed, feed);
            out.printf(Locale.ROOT, "resumed: %s at step %d (epoch %d, %d of %d batches done)%n", resume,
                    trainer.steps(), resumed.progress().epoch(), resumed.data().position(), loader.batchesPerEpoch());
            noteCutEpoch(out, resumed, loader.batchesPerEpoch());
        }

        var progress = Progress.create(out, epochs);
        trainer.addListener(progress);
        MetricsFile metrics = metricsOut == null ? null : MetricsFile.open(metricsOut, resumed != null);
        if (metrics != null) {
            trainer.addListener(metrics);
        }
        if (plots != null) {
            trainer.addListener(new PlotFiles(plots, split.test().classNames()));
        }
        if (report != null) {
            trainer.addListener(new TrainingReport(report, net, split.test(), normalize,
                    reportFacts(args, split, trainSet, validationSet)));
        }
        List<EpochMetrics> history;
        try (var interruption = Interruption.install(trainer)) {
            // The bar is closed before anything else is printed, so that it ends its line.
            try (progress) {
                history = trainer.fit(feed, split.test(), epochs);
            } catch (StoppedException e) {
                return interrupted(out, e, net, split, normalize);
            } catch (DivergedException e) {
                throw save == null ? e : saveLastGood(e, net, split, normalize);
            }
        }
        double testAccuracy = report(out, net, trainer, history, split, normalize);
        double augmentedAccuracy = testTimeAccuracy(out, net, split, normalize);
        if (save != null) {
            Map<String, String> meta = metadata(split, trainer.steps(), testAccuracy, normalize);
            if (!Double.isNaN(augmentedAccuracy)) {
                meta.put("cnn4j.test_accuracy_tta", String.format(Locale.ROOT, "%.4f (%s)", augmentedAccuracy, testTime.build()));
            }
            ModelFile.save(save, net, meta);
            out.printf(Locale.ROOT, "saved: %s%n", save);
        }
        return 0;
    }

    /**
     * Saves the weights the diverged run was put back to, when they are trained and known good, and says
     * which step's they are; otherwise leaves --save's file as it was and says why. Good means that the
     * next batch's loss was finite and that the test set's is too: batch norm's running statistics can
     * make a model that trained on finite numbers give NaN in evaluation.
     */
    private IllegalStateException saveLastGood(DivergedException e, Module net, DataSplit split, Normalize normalize)
            throws IOException {
        long kept = e.keptStep().orElse(0);
        String unsaved = kept == 0 ? "no update left good weights"
                : Double.isFinite(Evaluator.evaluate(net, split.test(), evalBatch, normalize).loss()) ? null
                : "the weights of step " + kept + " give a test loss that is not finite";
        if (unsaved != null) {
            return new IllegalStateException(e.getMessage() + " Nothing was saved: " + unsaved + ", so " + save
                    + " is left as it was.", e);
        }
        ModelFile.save(save, net, metadata(split, kept, Double.NaN, normalize));
        return new IllegalStateException(e.getMessage() + " The weights of step " + kept + ", the last good ones, are"
                + " saved in " + save + ".", e);
    }

    /**
     * After Ctrl-C or SIGTERM stopped training (the trainer wrote the checkpoint, if any): saves the weights
     * so far to --save, marked as interrupted, and prints one line saying what was saved and how to go on.
     * Weights no step has trained are not saved, so as not to replace a file with them.
     */
    private int interrupted(PrintWriter out, StoppedException e, Module net, DataSplit split, Normalize normalize)
            throws IOException {
        boolean saved = save != null && e.step() > 0;
        if (saved) {
            Map<String, String> meta = metadata(split, e.step(), Double.NaN, normalize);
            meta.put(StopReport.INTERRUPTED_KEY, Long.toString(e.step()));
            ModelFile.save(save, net, meta);
        }
        out.println(StopReport.of(e).line(save, saved, metricsOut, plots, report));
        return Interruption.EXIT_CODE;
    }

    private void validate() {
        Bounds.between("--epochs", epochs, 1, MAX_EPOCHS);
        Bounds.between("--batch-size", batchSize, 1, Integer.MAX_VALUE);
        if (accumulate < 1 || accumulate > batchSize) {
            throw new IllegalArgumentException("--accumulate must be between 1 and the batch size (" + batchSize
                    + "), so that every micro-batch has an image, got " + accumulate);
        }
        if (shardOrder && noShuffle) {
            throw new IllegalArgumentException("--shard-order shuffles every shard each epoch, so it cannot go with --no-shuffle");
        }
        Bounds.between("--lr", lr, 0, Double.MAX_VALUE);
        optimizer.validate(schedule.cycleMomentum);
        Bounds.between("--label-smoothing", labelSmoothing, 0, 1);
        if (maxSteps != null) {
            Bounds.between("--max-steps", maxSteps, 1, Long.MAX_VALUE);
        }
        if (modelConfig != null && spec.commandLine().getParseResult().hasMatchedOption("--model")) {
            throw new IllegalArgumentException("--model " + model + " and --model-config " + modelConfig
                    + " both name the model to train; give one");
        }
        if (modelConfig == null && model.equals(Models.AUTOENCODER)) {
            throw new IllegalArgumentException("--model autoencoder reconstructs images, and cnn4j train trains classifiers"
                    + " (cross-entropy, accuracy): train it from Java with io.cnn4j.train.Reconstruction, as the example"
                    + " io.cnn4j.examples.Autoencoder does");
        }
        if (modelConfig == null && !Models.allNames().contains(model)) {
            throw new IllegalArgumentException("--model: unknown model '" + model + "'; built-in models: " + Models.allNames());
        }
        Bounds.between("--clip-grad-norm", clipGradNorm, 0, Double.MAX_VALUE);
        Bounds.between("--early-stopping", earlyStopping, 0, MAX_EPOCHS);
        if ((earlyStopping > 0 || keepBest) && validation == null) {
            throw new IllegalArgumentException((keepBest ? "--keep-best" : "--early-stopping")
                    + " judges epochs by validation accuracy: give --validation N (images) or a fraction such as 0.1");
        }
        Bounds.between("--checkpoint-every-steps", checkpointEvery, 0, Long.MAX_VALUE);
        if (checkpointEvery > 0 && checkpoint == null) {
            throw new IllegalArgumentException("--checkpoint-every-steps needs --checkpoint FILE to write to");
        }
        if (allowNonFinite && init == null) {
            throw new IllegalArgumentException("--allow-non-finite applies to the weights of --init FILE, and none is given");
        }
        Bounds.between("--prefetch", prefetch, 0, MAX_PREFETCH);
        runtime.validate();
        data.validate();
        pictures.preprocessing();
        schedule.validate();
        augmentation.validate();
        testTime.build();
    }

    /**
     * Makes the outputs this run's alone, so that a second run given one of them fails at its start
     * instead of the two replacing each other's files; each output needs a file of its own, in a folder
     * that exists (or is made now) and where a file can be created.
     */
    private List<OutputLock> claimOutputs() throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("--save", save);
        files.put("--checkpoint", checkpoint);
        files.put("--metrics-out", metricsOut);
        files.put("--report", report);
        files.values().removeIf(Objects::isNull);
        List<Map.Entry<String, Path>> outputs = new ArrayList<>(files.entrySet());
        if (plots != null) {
            PlotFiles.NAMES.forEach(name -> outputs.add(Map.entry("--plots", plots.resolve(name))));
        }
        for (int i = 0; i < outputs.size(); i++) {
            for (int j = i + 1; j < outputs.size(); j++) {
                Path a = outputs.get(i).getValue();
                if (a.toAbsolutePath().normalize().equals(outputs.get(j).getValue().toAbsolutePath().normalize())) {
                    throw new IllegalArgumentException(outputs.get(i).getKey() + " and " + outputs.get(j).getKey()
                            + " both name " + a + "; each output needs a file of its own");
                }
            }
        }
        List<OutputLock> claims = new ArrayList<>();
        try {
            for (var e : outputs) {
                OutputFiles.prepare(e.getValue(), e.getKey());
                claims.add(OutputLock.claim(e.getValue(), e.getKey()));
            }
        } catch (IOException | RuntimeException e) {
            for (OutputLock claim : claims) {
                claim.close();
            }
            throw e;
        }
        return claims;
    }

    /**
     * Checks, before the first step, that the disk has room for every output (their folders were made and
     * tried when they were claimed): a run must not train for an hour and then find the disk full. The
     * sizes are what the files will take: the model's tensors, and for a checkpoint also the optimizer's
     * buffers (at most two per parameter) and the best weights when they are kept.
     */
    private void checkRoomForOutputs(Module net) throws IOException {
        long modelBytes = 0;
        for (var t : net.stateDict().values()) {
            modelBytes += (long) t.size() * Float.BYTES;
        }
        long headerBytes = 1 << 20;
        if (save != null) {
            OutputFiles.requireSpace(save, modelBytes + headerBytes, "--save");
        }
        if (checkpoint != null) {
            OutputFiles.requireSpace(checkpoint, modelBytes * (keepBest ? 4 : 3) + headerBytes, "--checkpoint");
        }
        if (metricsOut != null) {
            OutputFiles.requireSpace(metricsOut, headerBytes, "--metrics-out");
        }
        if (report != null) {
            OutputFiles.requireSpace(report, 4 * headerBytes, "--report");
        }
        if (plots != null) {
            OutputFiles.requireSpace(plots.resolve(PlotFiles.NAMES.getFirst()), headerBytes, "--plots");
        }
    }

    /** Refuses, before training, the options that draw or transform pictures, which clips are not. */
    private void requirePictureOptionsUnused(DataSplit split) {
        if (report != null) {
            throw new IllegalArgumentException("--report draws the test pictures and what the model sees in them; it does"
                    + " not take clips (" + split.description() + ")");
        }
        if (testTime.build().views() > 1) {
            throw new IllegalArgumentException("--tta-shift and --tta-flip shift and mirror pictures; they do not take"
                    + " clips (" + split.description() + ")");
        }
    }

    /** What the report says of the run, before what it finds in the model and the test set. */
    private Map<String, String> reportFacts(List<String> args, DataSplit split, Dataset trainSet, Dataset validationSet) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("command line", String.join(" ", Stream.concat(Stream.of("cnn4j", "train"), args.stream())
                .map(StopReport::shellWord).toList()));
        facts.put("data", split.description());
        facts.put("images", String.format(Locale.ROOT, "%,d training, %s%,d test", trainSet.size(),
                validationSet == null ? "" : String.format(Locale.ROOT, "%,d validation, ", validationSet.size()), split.test().size()));
        facts.put("model", modelLabel());
        facts.put("training", String.format(Locale.ROOT, "%s, batch %d, %d epoch(s)%s", optimizer.describe(lr), batchSize, epochs,
                ", schedule " + schedule.name));
        facts.put("seed", Long.toString(seed));
        facts.put("machine", Machine.cpu() + ", " + runtime.threads + " thread(s)");
        facts.put("Java", System.getProperty("java.vm.vendor", "") + " " + Runtime.version());
        return facts;
    }

    /** The validation images, picked by a generator of their own seeded from --seed, and the rest. */
    private ValidationSplit carveValidation(Dataset train) {
        try {
            return ValidationSplit.carve(train, ValidationSplit.size(validation, train.size()), new Rng(seed).split().nextLong());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--validation: " + e.getMessage(), e);
        }
    }

    /** The optimizer steps this run's --epochs and --max-steps allow. */
    private long totalSteps(int batchesPerEpoch) {
        return Math.min((long) epochs * batchesPerEpoch, maxSteps == null ? Long.MAX_VALUE : maxSteps);
    }

    /**
     * Refuses a resumed run whose changed length would change its schedule: cosine and onecycle spread
     * their rates over the run's total steps, so with another total the steps already taken would have had
     * other rates, and no run of that length ends where this one would. Extending such a run means choosing
     * a new schedule for the steps to come, which a new run from the weights does openly.
     */
    private void requireSameSchedule(LrSchedule lrSchedule, int batchesPerEpoch) {
        long before = checkpointed.totalSteps(batchesPerEpoch);
        if (!Objects.equals(schedule.build(lr, before, batchesPerEpoch), lrSchedule)) {
            throw new IllegalArgumentException("--resume " + resume + " with " + totalSteps(batchesPerEpoch)
                    + " steps in all: the run's " + schedule.name + " schedule spans its " + before + " steps, and"
                    + " over another total it would have given other rates to the steps already taken, so it cannot be"
                    + " extended or shortened. To train further, save its weights with 'cnn4j train --resume " + resume
                    + " --save FILE' and start a new run from them with '--init FILE' and a schedule of its own, or"
                    + " train from the start with the length you want.");
        }
    }

    /**
     * Says so when a run that its step limit stopped inside an epoch is given more steps: the trainer counts
     * that epoch done and goes on with the next, so the result is not that of a run started with the new limit.
     */
    private void noteCutEpoch(PrintWriter out, Checkpoint resumed, int batchesPerEpoch) {
        var progress = resumed.progress();
        boolean cut = progress.epoch() > 0 && !progress.inEpoch() && resumed.data().position() < batchesPerEpoch;
        if (cut && progress.epoch() < epochs && progress.step() < totalSteps(batchesPerEpoch)) {
            out.printf(Locale.ROOT, "note: the checkpointed run stopped at its step limit inside epoch %d (%d of %d batches);"
                    + " it goes on with epoch %d, leaving the rest of epoch %d out%n", progress.epoch(),
                    resumed.data().position(), batchesPerEpoch, progress.epoch() + 1, progress.epoch());
        }
    }

    private void restore(Trainer trainer, Checkpoint checkpoint, BatchFeed feed) {
        if (checkpoint.progress().epoch() > epochs && epochs != checkpointed.epochs) {
            throw new IllegalArgumentException("--resume " + resume + ": the run already stands at epoch "
                    + checkpoint.progress().epoch() + ", beyond --epochs " + epochs + "; give at least --epochs "
                    + checkpoint.progress().epoch() + " to go on");
        }
        try {
            if (checkpoint.progress().epoch() > epochs) {
                throw new IllegalArgumentException("its progress is at epoch " + checkpoint.progress().epoch()
                        + " of a run of " + epochs);
            }
            trainer.restore(checkpoint, feed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--resume " + resume + ": the checkpoint does not fit the run its options"
                    + " describe (different data, or an edited file?): " + e.getMessage(), e);
        }
    }

    /** Prints the closing lines and returns the test accuracy of the final weights. */
    private double report(PrintWriter out, Module net, Trainer trainer, List<EpochMetrics> history, DataSplit split, Normalize normalize) {
        if (history.isEmpty()) {
            out.println("the checkpointed run had already finished");
        }
        if (trainer.stoppedEarly()) {
            out.printf(Locale.ROOT, "early stopping: validation accuracy did not improve for %d epoch(s)%n", earlyStopping);
        }
        double testAccuracy;
        if (keepBest && trainer.bestEpoch() > 0 || history.isEmpty()) {
            testAccuracy = Evaluator.evaluate(net, split.test(), evalBatch, normalize).accuracy();
        } else {
            testAccuracy = history.get(history.size() - 1).testAccuracy();
        }
        if (keepBest && trainer.bestEpoch() > 0) {
            out.printf(Locale.ROOT, "best epoch: %d (validation accuracy %.4f), its weights kept%n", trainer.bestEpoch(),
                    trainer.bestValidationAccuracy());
        }
        out.printf(Locale.ROOT, "test accuracy %.4f after %d step(s)%n", testAccuracy, trainer.steps());
        return testAccuracy;
    }

    /** The final weights' test accuracy under --tta-shift/--tta-flip, printed; NaN when those are off. */
    private double testTimeAccuracy(PrintWriter out, Module net, DataSplit split, Normalize normalize) {
        TestTimeAugmentation tta = testTime.build();
        if (tta.views() == 1) {
            return Double.NaN;
        }
        double accuracy = Evaluator.evaluate(net, split.test(), evalBatch, normalize, tta).accuracy();
        out.printf(Locale.ROOT, "test accuracy %.4f with test-time augmentation (%s)%n", accuracy, tta);
        return accuracy;
    }

    private static void printIfAny(PrintWriter out, String label, String line) {
        if (line != null) {
            out.printf(Locale.ROOT, "%s: %s%n", label, line);
        }
    }

    /** The model as output names it: the built-in model's name, the description's file, or the ONNX model's. */
    private String modelLabel() {
        return initIsModel() ? init.toString() : modelConfig == null ? model : modelConfig.toString();
    }

    /** Whether --init names an ONNX model whose graph is the model to train: neither --model nor --model-config names another. */
    private boolean initIsModel() {
        return init != null && modelConfig == null && !spec.commandLine().getParseResult().hasMatchedOption("--model")
                && ModelFile.isOnnx(init);
    }

    private Map<String, String> metadata(DataSplit split, long steps, double testAccuracy, Normalize normalize) {
        Map<String, String> meta = new LinkedHashMap<>();
        if (modelConfig == null && !initIsModel()) {
            meta.put(ModelFile.MODEL_NAME_KEY, model);
        }
        meta.put("cnn4j.trained_steps", Long.toString(steps));
        meta.put("cnn4j.data", split.description());
        if (!Double.isNaN(testAccuracy)) {
            meta.put("cnn4j.test_accuracy", String.format(Locale.ROOT, "%.4f", testAccuracy));
        }
        InputSpec.of(split.train().itemShape(), split.train().classNames(), pictures.preprocessing().resize(), normalize)
                .toMetadata(meta);
        meta.put(DataChoice.TEST_SPLIT_KEY, Double.toString(data.testSplit(null)));
        return meta;
    }
}
