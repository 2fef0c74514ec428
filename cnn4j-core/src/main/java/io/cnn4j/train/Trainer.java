package io.cnn4j.train;

import io.cnn4j.data.Batch;
import io.cnn4j.data.DataLoader;
import io.cnn4j.data.Dataset;
import io.cnn4j.loss.Losses;
import io.cnn4j.nn.Module;
import io.cnn4j.optim.Optimizer;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.Workspace;

import java.util.ArrayList;
import java.util.List;

/**
 * The common training loop: epochs of mini-batch steps (cross-entropy on logits, backpropagation,
 * one optimizer update per batch), an evaluation on held-out data after each epoch, and listeners
 * that see every step and epoch.
 *
 * {@snippet :
 * var trainer = new Trainer(model, new Adam(model.parameters(), 1e-3))
 *         .addListener(new TrainingListener() {
 *             public void onEpochEnd(EpochMetrics m) { System.out.println(m); }
 *         });
 * trainer.fit(DataLoader.shuffled(data.train(), 64, 0), data.test(), 5);
 * }
 *
 * <p>A loss or gradient that is not finite stops training with a {@link DivergedException} before the
 * bad update is applied.
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
    private long step;

    public Trainer(Module model, Optimizer optimizer) {
        this.model = model;
        this.optimizer = optimizer;
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

    /** Stops after this many optimizer steps in all, mid-epoch if need be (that epoch is still evaluated). */
    public Trainer maxSteps(long steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("max steps must be >= 1, got " + steps);
        }
        this.maxSteps = steps;
        return this;
    }

    public Trainer evalBatchSize(int size) {
        this.evalBatchSize = size;
        return this;
    }

    /** Optimizer steps taken so far. */
    public long steps() {
        return step;
    }

    /**
     * Trains for {@code epochs} epochs over {@code train}, evaluating on {@code test} after each (when
     * {@code test} is null, nothing is evaluated and the test metrics are NaN). Returns the metrics of
     * every epoch run.
     */
    public List<EpochMetrics> fit(DataLoader train, Dataset test, int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        List<EpochMetrics> history = new ArrayList<>();
        for (int epoch = 1; epoch <= epochs && step < maxSteps; epoch++) {
            history.add(runEpoch(epoch, train, test));
        }
        return history;
    }

    private EpochMetrics runEpoch(int epoch, DataLoader train, Dataset test) {
        int batches = train.batchesPerEpoch();
        listeners.forEach(l -> l.onEpochStart(epoch, batches));
        model.train(true);
        long start = System.nanoTime();
        double lossSum = 0;
        long correct = 0;
        long seen = 0;
        long firstStep = step;
        int index = 0;
        for (Batch batch : train.nextEpoch()) {
            if (step >= maxSteps) {
                break;
            }
            StepResult result = step(epoch, batch);
            index++;
            lossSum += (double) result.loss * batch.size();
            correct += result.correct;
            seen += batch.size();
            double elapsed = (System.nanoTime() - start) / 1e9;
            var metrics = new StepMetrics(epoch, step, index, batches, result.loss, lossSum / seen, (double) correct / seen,
                    seen / Math.max(elapsed, 1e-9));
            listeners.forEach(l -> l.onStep(metrics));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Evaluation eval = test == null ? null : Evaluator.evaluate(model, test, evalBatchSize);
        var metrics = new EpochMetrics(epoch, step - firstStep, lossSum / Math.max(seen, 1), (double) correct / Math.max(seen, 1),
                eval == null ? Double.NaN : eval.loss(), eval == null ? Double.NaN : eval.accuracy(), seconds,
                seen / Math.max(seconds, 1e-9));
        listeners.forEach(l -> l.onEpochEnd(metrics));
        return metrics;
    }

    private record StepResult(float loss, int correct) {
    }

    /** One optimizer step on one batch; nothing computed in it outlives it. */
    private StepResult step(int epoch, Batch batch) {
        try (var scope = workspace.open()) {
            return stepInWorkspace(epoch, batch);
        }
    }

    private StepResult stepInWorkspace(int epoch, Batch batch) {
        optimizer.zeroGrad();
        Tensor logits = model.forward(batch.images());
        Tensor loss = Losses.crossEntropy(logits, batch.labels(), labelSmoothing);
        float value = loss.item();
        long thisStep = step + 1;
        if (!Float.isFinite(value)) {
            throw new DivergedException(epoch, thisStep, "the loss became " + value);
        }
        int correct = Predictions.correct(logits, batch.labels());
        loss.backward();
        checkGradients(epoch, thisStep);
        optimizer.step();
        step = thisStep;
        return new StepResult(value, correct);
    }

    private void checkGradients(int epoch, long thisStep) {
        var named = model.namedParameters();
        for (var e : named.entrySet()) {
            Tensor g = e.getValue().grad();
            if (g == null) {
                continue;
            }
            for (float v : g.data()) {
                if (!Float.isFinite(v)) {
                    throw new DivergedException(epoch, thisStep, "the gradient of '" + e.getKey() + "' became " + v);
                }
            }
        }
    }
}
