package io.cnn4j.train;

import io.cnn4j.data.Batch;
import io.cnn4j.data.BatchFeed;
import io.cnn4j.data.DataLoader;
import io.cnn4j.data.Dataset;
import io.cnn4j.data.Normalize;
import io.cnn4j.data.ShardedOrder;
import io.cnn4j.kernel.Kernels;
import io.cnn4j.loss.Losses;
import io.cnn4j.nn.Module;
import io.cnn4j.optim.GradientClipping;
import io.cnn4j.optim.LrSchedule;
import io.cnn4j.optim.Optimizer;
import io.cnn4j.tensor.Execution;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.Workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The common training loop: epochs of mini-batch steps (cross-entropy on logits, backpropagation,
 * optional gradient clipping, one optimizer update per batch at the rate a schedule gives), evaluation on
 * validation and test data after each epoch, and listeners that see every step and epoch.
 *
 * {@snippet :
 * var trainer = new Trainer(model, new Adam(model.parameters(), 1e-3))
 *         .addListener(new TrainingListener() {
 *             public void onEpochEnd(EpochMetrics m) { System.out.println(m); }
 *         });
 * trainer.fit(DataLoader.shuffled(data.train(), 64, 0), data.test(), 5);
 * }
 *
 * <p>With a validation set it keeps the best epoch by validation accuracy: {@link #earlyStopping(int)}
 * ends training when that has not improved for a number of epochs, and {@link #keepBest(boolean)} puts
 * the best epoch's weights back at the end. {@link #checkpoints} saves everything a run needs to go on
 * ({@link Checkpoint}); {@link #restore} continues from one exactly as if the run had never stopped.
 *
 * <p>A loss, gradient, parameter or buffer that stops being finite ends training with a
 * {@link DivergedException}, the model put back to its last good state (a copy kept for that); so does
 * an evaluation loss that is not finite. Empty training, validation or test sets are refused.
 *
 * <p>{@link #requestStop()}, from any thread, ends training after the step under way with a
 * {@link StoppedException} and, when checkpoints are on, a checkpoint to go on from: how a program stops
 * a run cleanly on Ctrl-C.
 */
public final class Trainer {
    private final Module model;
    private final Optimizer optimizer;
    private final List<TrainingListener> listeners = new ArrayList<>();
    /** Holds each step's intermediate tensors for the next step to reuse. */
    private final Workspace workspace = new Workspace();
    private float labelSmoothing;
    private long maxSteps = Long.MAX_VALUE;
    private int evalBatchSize = 256;
    private LrSchedule schedule;
    private double clipNorm;
    private Dataset validation;
    private Normalize normalize;
    private int patience;
    private boolean keepBest;
    private Path checkpointFile;
    private long checkpointEvery;
    private Map<String, String> checkpointMetadata = Map.of();
    private Kernels kernels;
    private int microBatches = 1;
    /** The micro-batch this worker computes, when {@link #gradientSum} adds the others'. */
    private int rank;
    private GradientSum gradientSum;
    /**
     * The global batch when each batch fed is this worker's micro-batch alone (a {@link DataLoader#shard}'s),
     * 0 when each batch fed is a whole global batch.
     */
    private int globalBatch;
    /** A micro-batched step's gradients, loss and correct count, added up; reused from step to step. */
    private float[] summed;
    /** Set by {@link #requestStop()} from any thread; read between steps. */
    private volatile boolean stopRequested;

    // Where training stands: all of it goes into a checkpoint (TrainingProgress and the best weights).
    private long step;
    private int epoch;
    private boolean inEpoch;
    private long epochFirstStep;
    private double lossSum;
    private long correct;
    private long seen;
    private int bestEpoch;
    private double bestAccuracy = Double.NaN;
    private int epochsWithoutImprovement;
    private boolean stoppedEarly;
    private Map<String, Tensor> bestWeights = Map.of();
    /** The model's last good state, to go back to when a step diverges; copied anew when {@link #fit} begins. */
    private LastFiniteState lastFinite;

    public Trainer(Module model, Optimizer optimizer) {
        this.model = Objects.requireNonNull(model, "model");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
    }

    public Trainer addListener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    /** Label smoothing of the cross-entropy (0 by default). */
    public Trainer labelSmoothing(float eps) {
        this.labelSmoothing = eps;
        return this;
    }

    /**
     * Stops after this many optimizer steps in all, mid-epoch if need be (that epoch is still evaluated,
     * and counts as done: a run restored and given more steps begins a new epoch).
     */
    public Trainer maxSteps(long steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("max steps must be >= 1, got " + steps);
        }
        this.maxSteps = steps;
        return this;
    }

    /**
     * Runs training (forward and backward passes, the optimizer's updates, evaluation) on {@code kernels};
     * by default on the model's ({@link Module#kernels()}).
     */
    public Trainer kernels(Kernels kernels) {
        this.kernels = Objects.requireNonNull(kernels, "kernels");
        return this;
    }

    /**
     * Cuts every batch into {@code n} micro-batches ({@link MicroBatches}: in order, sizes differing by at
     * most one) and takes one optimizer step on the sum of their gradients, each micro-batch's mean-loss
     * gradient weighted by its share of the batch, added in micro-batch order: the same floats as
     * {@code n} data-parallel workers ({@link #dataParallel}) compute from the same batches. Batch norm
     * normalises each micro-batch by its own statistics, as it does each worker's (PyTorch's
     * DistributedDataParallel likewise), and its running statistics follow every micro-batch in turn.
     * 1 (the default) is the plain step on the whole batch.
     */
    public Trainer accumulate(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("gradient accumulation needs at least 1 micro-batch per step, got " + n);
        }
        this.microBatches = n;
        return this;
    }

    /**
     * Makes this trainer worker {@code rank} of {@code workers} in synchronous data parallelism: every
     * worker is fed the same batches, computes the gradients of micro-batch {@code rank} of each (as
     * {@link #accumulate} cuts it), and {@code sum} adds every worker's, in rank order, before the same
     * optimizer step everywhere. The weights stay equal, bit for bit, on every worker and to those of one
     * process accumulating {@code workers} micro-batches; batch norm's running statistics and dropout's
     * random masks are each worker's own.
     */
    public Trainer dataParallel(int rank, int workers, GradientSum sum) {
        Objects.checkIndex(rank, workers);
        this.microBatches = workers;
        this.rank = rank;
        this.gradientSum = Objects.requireNonNull(sum, "sum");
        return this;
    }

    public Trainer evalBatchSize(int size) {
        this.evalBatchSize = size;
        return this;
    }

    /** Sets the optimizer's learning rate (and momentum) before every update; null leaves them alone. */
    public Trainer schedule(LrSchedule schedule) {
        this.schedule = schedule;
        return this;
    }

    /** Clips the gradients to this global L2 norm before every update; 0 (the default) does not clip. */
    public Trainer clipGradientNorm(double maxNorm) {
        if (!(maxNorm >= 0)) {
            throw new IllegalArgumentException("gradient clipping norm must be >= 0 (0: off), got " + maxNorm);
        }
        this.clipNorm = maxNorm;
        return this;
    }

    /** Data held out of training to evaluate on after every epoch, choosing the best epoch. */
    public Trainer validation(Dataset data) {
        this.validation = data;
        return this;
    }

    /**
     * The normalisation the training batches get, applied to validation and test images as well (the
     * training batches themselves are normalised by their {@link BatchFeed}'s augmentation).
     */
    public Trainer normalize(Normalize normalize) {
        this.normalize = normalize;
        return this;
    }

    /** Stops when validation accuracy has not improved for {@code epochs} epochs; 0 (the default) never stops early. */
    public Trainer earlyStopping(int epochs) {
        if (epochs < 0) {
            throw new IllegalArgumentException("early-stopping patience must be >= 0 epochs (0: off), got " + epochs);
        }
        this.patience = epochs;
        return this;
    }

    /** At the end of {@link #fit}, puts back the weights of the epoch with the best validation accuracy. */
    public Trainer keepBest(boolean keep) {
        this.keepBest = keep;
        return this;
    }

    /**
     * Writes a {@link Checkpoint} to {@code file} (atomically) at the end of every epoch and, when
     * {@code everySteps > 0}, after every that many steps; {@code metadata} goes into it as well.
     */
    public Trainer checkpoints(Path file, long everySteps, Map<String, String> metadata) {
        if (everySteps < 0) {
            throw new IllegalArgumentException("checkpoint interval must be >= 0 steps (0: epoch ends only), got " + everySteps);
        }
        this.checkpointFile = Objects.requireNonNull(file, "file");
        this.checkpointEvery = everySteps;
        this.checkpointMetadata = Map.copyOf(metadata);
        return this;
    }

    /**
     * Asks training to stop once the step under way is done: the running {@link #fit} (or, when none runs,
     * the next) writes a checkpoint if {@link #checkpoints} are on and throws a {@link StoppedException}.
     * Safe to call from any thread, such as a signal handler's; the request is used up by the stop.
     */
    public void requestStop() {
        stopRequested = true;
    }

    /** Optimizer steps taken so far. */
    public long steps() {
        return step;
    }

    /** The epoch with the best validation accuracy so far (from 1), or 0 when none was validated. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** The best validation accuracy so far, NaN when none was measured. */
    public double bestValidationAccuracy() {
        return bestAccuracy;
    }

    /** Whether {@link #earlyStopping} ended training. */
    public boolean stoppedEarly() {
        return stoppedEarly;
    }

    /** {@link #fit(BatchFeed, Dataset, int)} on the loader's batches as they are. */
    public List<EpochMetrics> fit(DataLoader train, Dataset test, int epochs) {
        return fit(BatchFeed.of(train), test, epochs);
    }

    /**
     * Trains until {@code epochs} epochs are done (counting those before a {@link #restore}), the step
     * limit is reached or early stopping ends it, evaluating after each epoch on the validation set and
     * on {@code test} (either may be null: its metrics are NaN). A restored run first finishes the epoch
     * it stopped in. Returns the metrics of every epoch run by this call; stops the feed's background
     * thread before returning. A data set without images, or a restored run already past {@code epochs},
     * is refused; a number that stops being finite ends the run with a {@link DivergedException}, and
     * {@link #requestStop()} with a {@link StoppedException}.
     */
    public List<EpochMetrics> fit(BatchFeed train, Dataset test, int epochs) {
        return Execution.call(kernels != null ? kernels : model.kernels(), () -> fitHere(train, test, epochs));
    }

    private List<EpochMetrics> fitHere(BatchFeed train, Dataset test, int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        requireImages(train.loader().dataset(), "training");
        requireImages(validation, "validation");
        requireImages(test, "test");
        globalBatch = globalBatchOfShard(train.loader());
        if (epoch > epochs) {
            throw new IllegalArgumentException("training already stands at epoch " + epoch + " (restored from a"
                    + " checkpoint?), beyond the " + epochs + " epoch(s) asked for");
        }
        List<EpochMetrics> history = new ArrayList<>();
        lastFinite = new LastFiniteState(model, step);
        try (train) {
            boolean resume = inEpoch;
            while (resume || epoch < epochs && step < maxSteps && !stoppedEarly) {
                stopIfRequested(train);
                if (resume) {
                    train.resumeEpoch();
                    resume = false;
                } else {
                    beginEpoch(train);
                }
                history.add(runEpoch(train, test));
            }
        }
        if (keepBest && !bestWeights.isEmpty()) {
            model.loadStateDict(bestWeights);
        }
        return history;
    }

    /**
     * A sharded order must be cut into as many micro-batches as it has shards; a shard's loader serves only
     * the data-parallel worker of the same rank, whose batches are then micro-batches of a larger global
     * batch, returned (0 for any other loader).
     */
    private int globalBatchOfShard(DataLoader loader) {
        ShardedOrder order = loader.sharding();
        if (order == null) {
            return 0;
        }
        if (order.shards() != microBatches) {
            throw new IllegalArgumentException("the training batches follow a sharded order of " + order.shards()
                    + " shards, but each step has " + microBatches + " micro-batch(es): accumulate one per shard");
        }
        if (loader.shard() < 0) {
            return 0;
        }
        if (gradientSum == null || loader.shard() != rank) {
            throw new IllegalArgumentException("the training batches are shard " + loader.shard() + "'s micro-batches"
                    + " alone, which only data-parallel worker " + loader.shard() + " of " + order.shards() + " trains on");
        }
        return order.batchSize();
    }

    private static void requireImages(Dataset data, String role) {
        if (data != null && data.size() == 0) {
            throw new IllegalArgumentException("the " + role + " set '" + data.description() + "' has no images");
        }
    }

    private void beginEpoch(BatchFeed train) {
        epoch++;
        inEpoch = true;
        epochFirstStep = step;
        lossSum = 0;
        correct = 0;
        seen = 0;
        train.startEpoch();
    }

    private EpochMetrics runEpoch(BatchFeed train, Dataset test) {
        int batches = train.batchesPerEpoch();
        listeners.forEach(l -> l.onEpochStart(epoch, batches));
        model.train(true);
        long start = System.nanoTime();
        long seenBefore = seen;
        double waitBefore = train.waitSeconds();
        while (step < maxSteps && train.hasNext()) {
            Batch batch = train.next();
            StepResult result = step(batch);
            int images = globalBatch > 0 ? globalBatch : batch.size();
            lossSum += (double) result.loss * images;
            correct += result.correct;
            seen += images;
            double elapsed = (System.nanoTime() - start) / 1e9;
            var metrics = new StepMetrics(epoch, step, train.state().position(), batches, result.loss, lossSum / seen,
                    (double) correct / seen, (seen - seenBefore) / Math.max(elapsed, 1e-9), optimizer.learningRate());
            listeners.forEach(l -> l.onStep(metrics));
            if (checkpointFile != null && checkpointEvery > 0 && step % checkpointEvery == 0) {
                writeCheckpoint(train);
            }
            stopIfRequested(train);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Evaluation val = validation == null ? null : Evaluator.evaluate(model, validation, evalBatchSize, normalize);
        Evaluation eval = test == null ? null : Evaluator.evaluate(model, test, evalBatchSize, normalize);
        requireFinite(val, "validation");
        requireFinite(eval, "test");
        if (val != null) {
            track(val.accuracy());
        }
        // Over, with its batches or the step limit used up: a resumed run does not come back to it.
        inEpoch = false;
        var metrics = new EpochMetrics(epoch, step - epochFirstStep, lossSum / Math.max(seen, 1),
                (double) correct / Math.max(seen, 1), val == null ? Double.NaN : val.loss(),
                val == null ? Double.NaN : val.accuracy(), eval == null ? Double.NaN : eval.loss(),
                eval == null ? Double.NaN : eval.accuracy(), optimizer.learningRate(), train.waitSeconds() - waitBefore,
                seconds, (seen - seenBefore) / Math.max(seconds, 1e-9));
        listeners.forEach(l -> l.onEvaluation(metrics.epoch(), val, eval));
        listeners.forEach(l -> l.onEpochEnd(metrics));
        if (checkpointFile != null) {
            writeCheckpoint(train);
        }
        return metrics;
    }

    /**
     * Between two steps, or two epochs: ends training here when a stop was requested, leaving a checkpoint
     * that continues from this very point (mid-epoch, or before the evaluation of an epoch whose batches are done).
     */
    private void stopIfRequested(BatchFeed train) {
        if (!stopRequested) {
            return;
        }
        stopRequested = false;
        if (checkpointFile != null) {
            writeCheckpoint(train);
        }
        int batches = train.batchesPerEpoch();
        throw new StoppedException(epoch, step, inEpoch ? train.state().position() : batches, batches, checkpointFile);
    }

    private void requireFinite(Evaluation evaluation, String set) {
        if (evaluation != null && !Double.isFinite(evaluation.loss())) {
            throw DivergedException.inEvaluation(epoch, step, set, evaluation.loss());
        }
    }

    /** Records a validation result: a new best (copying its weights if they are kept), or one more epoch without. */
    private void track(double accuracy) {
        if (bestEpoch == 0 || accuracy > bestAccuracy) {
            bestEpoch = epoch;
            bestAccuracy = accuracy;
            epochsWithoutImprovement = 0;
            if (keepBest) {
                Map<String, Tensor> copy = new LinkedHashMap<>();
                model.stateDict().forEach((name, t) -> copy.put(name, t.copy()));
                bestWeights = copy;
            }
        } else {
            epochsWithoutImprovement++;
        }
        if (patience > 0 && epochsWithoutImprovement >= patience) {
            stoppedEarly = true;
        }
    }

    private record StepResult(float loss, int correct) {
    }

    /** One optimizer step on one batch; nothing computed in it outlives it. */
    private StepResult step(Batch batch) {
        try (var scope = workspace.open()) {
            return stepInWorkspace(batch);
        }
    }

    private StepResult stepInWorkspace(Batch batch) {
        long thisStep = step + 1;
        if (schedule != null) {
            schedule.apply(optimizer, step);
        }
        StepResult result = microBatches == 1 && gradientSum == null ? wholeBatch(batch, thisStep)
                : microBatchSum(batch, thisStep);
        checkGradients(thisStep);
        if (clipNorm > 0) {
            GradientClipping.clipByGlobalNorm(optimizer.parameters(), clipNorm);
        }
        optimizer.step();
        String notFinite = lastFinite.stage(thisStep);
        if (notFinite != null) {
            throw diverged(thisStep, notFinite);
        }
        step = thisStep;
        return result;
    }

    private StepResult wholeBatch(Batch batch, long thisStep) {
        optimizer.zeroGrad();
        Tensor logits = model.forward(batch.images());
        Tensor loss = Losses.crossEntropy(logits, batch.labels(), labelSmoothing);
        float value = loss.item();
        requireFiniteLoss(thisStep, value);
        int correct = Predictions.correct(logits, batch.labels());
        loss.backward();
        return new StepResult(value, correct);
    }

    /**
     * The gradients of this process's micro-batches (all of them when accumulating, its rank's in data
     * parallel), scaled and added in order into one array, then summed with the other workers' when there
     * are any, and put in the parameters' gradients. The array ends with the weighted loss and the count
     * of correct predictions, so that every worker sees the whole batch's.
     */
    private StepResult microBatchSum(Batch batch, long thisStep) {
        List<Tensor> params = optimizer.parameters();
        int values = params.stream().mapToInt(Tensor::size).sum();
        if (summed == null || summed.length != values + 2) {
            summed = new float[values + 2];
        }
        int first = gradientSum == null ? 0 : rank;
        int last = gradientSum == null ? microBatches : rank + 1;
        for (int k = first; k < last; k++) {
            addMicroBatch(batch, k, k == first);
        }
        if (gradientSum != null) {
            gradientSum.sumInPlace(summed);
        }
        float loss = summed[values];
        requireFiniteLoss(thisStep, loss);
        int offset = 0;
        for (Tensor p : params) {
            if (p.grad() == null) {
                p.setGrad(Tensor.zeros(p.shape()));
            }
            System.arraycopy(summed, offset, p.grad().data(), 0, p.size());
            offset += p.size();
        }
        return new StepResult(loss, Math.round(summed[values + 1]));
    }

    /**
     * Micro-batch {@code k}'s gradients times its weight, then its weighted loss and correct count, written
     * into {@link #summed} when it is the first, added to it otherwise. An empty one (a batch smaller than
     * the number of micro-batches) adds zeros. A batch that is a shard's micro-batch alone is micro-batch
     * {@code k} as a whole.
     */
    private void addMicroBatch(Batch batch, int k, boolean first) {
        int size = globalBatch > 0 ? globalBatch : batch.size();
        int from = globalBatch > 0 ? 0 : MicroBatches.from(k, microBatches, size);
        int to = globalBatch > 0 ? batch.size() : MicroBatches.to(k, microBatches, size);
        float weight = MicroBatches.weight(k, microBatches, size);
        float loss = 0;
        int correct = 0;
        optimizer.zeroGrad();
        if (to > from) {
            Batch micro = batch.slice(from, to);
            Tensor logits = model.forward(micro.images());
            Tensor lossTensor = Losses.crossEntropy(logits, micro.labels(), labelSmoothing);
            loss = lossTensor.item();
            correct = Predictions.correct(logits, micro.labels());
            lossTensor.backward();
        }
        int offset = 0;
        for (Tensor p : optimizer.parameters()) {
            float[] g = p.grad() == null ? null : p.grad().data();
            for (int i = 0; i < p.size(); i++) {
                float c = g == null ? 0f : g[i] * weight;
                summed[offset + i] = first ? c : summed[offset + i] + c;
            }
            offset += p.size();
        }
        summed[offset] = first ? loss * weight : summed[offset] + loss * weight;
        summed[offset + 1] = first ? correct : summed[offset + 1] + correct;
    }

    private void requireFiniteLoss(long thisStep, float loss) {
        if (!Float.isFinite(loss)) {
            throw diverged(thisStep, "the loss became " + loss);
        }
        lastFinite.confirm();
    }

    private void checkGradients(long thisStep) {
        var named = model.namedParameters();
        for (var e : named.entrySet()) {
            Tensor g = e.getValue().grad();
            if (g == null) {
                continue;
            }
            float[] values = g.data();
            if (Execution.kernels().allFinite(values, values.length)) {
                continue;
            }
            for (float v : values) {
                if (!Float.isFinite(v)) {
                    throw diverged(thisStep, "the gradient of '" + e.getKey() + "' became " + v);
                }
            }
        }
    }

    /**
     * Puts the model back to its last good state, batch norm's running statistics (moved by the forward
     * pass) included, and says so.
     */
    private DivergedException diverged(long thisStep, String what) {
        return DivergedException.inStep(epoch, thisStep, what, lastFinite.restore());
    }

    /** Everything needed to continue this run later, as it stands between steps. */
    public Checkpoint checkpoint(BatchFeed train) {
        return new Checkpoint(model.stateDict(), optimizer.state(), train.state(), Generators.states(model),
                new TrainingProgress(step, epoch, inEpoch, epochFirstStep, lossSum, correct, seen, bestEpoch, bestAccuracy,
                        epochsWithoutImprovement, stoppedEarly), bestWeights, checkpointMetadata);
    }

    /**
     * Continues from {@code checkpoint}: the model's weights, the optimizer's state, where the data stands,
     * every random generator and the trainer's counters. The model, optimizer and feed must be built as the
     * run that wrote it built them; the next {@link #fit} then goes on exactly where that run was.
     */
    public void restore(Checkpoint checkpoint, BatchFeed train) {
        model.loadStateDict(checkpoint.model());
        optimizer.restore(checkpoint.optimizer());
        train.restore(checkpoint.data());
        Generators.restore(model, checkpoint.generators());
        TrainingProgress p = checkpoint.progress();
        step = p.step();
        epoch = p.epoch();
        inEpoch = p.inEpoch();
        epochFirstStep = p.epochFirstStep();
        lossSum = p.lossSum();
        correct = p.correct();
        seen = p.seen();
        bestEpoch = p.bestEpoch();
        bestAccuracy = p.bestAccuracy();
        epochsWithoutImprovement = p.epochsWithoutImprovement();
        stoppedEarly = p.stoppedEarly();
        bestWeights = checkpoint.bestWeights();
    }

    private void writeCheckpoint(BatchFeed train) {
        try {
            checkpoint(train).write(checkpointFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint " + checkpointFile + ": " + e.getMessage(), e);
        }
    }
}
