package io.cnn4j.spark;

import io.cnn4j.data.ShardedOrder;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;

/**
 * What a Spark training run does, sent to every worker: the model (a built-in one, its weights drawn from
 * the seed), the optimizer, the global batch, the epochs, and where rank 0 writes checkpoints and the
 * trained model. Every worker builds the same model, optimizer and batch order from it.
 */
public final class TrainingPlan implements Serializable {
    private static final long serialVersionUID = 1L;

    private String model = "small";
    private long seed;
    private String optimizer = "adam";
    private double lr = 1e-3;
    private double momentum;
    private double weightDecay;
    private int batchSize = 64;
    private int epochs = 1;
    private long maxSteps;
    private int workers;
    private int threads;
    private String checkpoint;
    private long checkpointEvery;
    private String save;
    private int timeoutSeconds = 120;

    /** A built-in model's name ({@link io.cnn4j.models.Models#names()}); default {@code small}. */
    public TrainingPlan model(String name) {
        this.model = Objects.requireNonNull(name, "model");
        return this;
    }

    /** Draws the initial weights and the batch order, as {@code cnn4j train --seed --shard-order} does. */
    public TrainingPlan seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** {@code sgd} (with {@code momentum}) or {@code adam}, with this learning rate and L2 weight decay. */
    public TrainingPlan optimizer(String name, double lr, double momentum, double weightDecay) {
        String n = name.toLowerCase(Locale.ROOT);
        if (!n.equals("sgd") && !n.equals("adam")) {
            throw new IllegalArgumentException("the optimizer on Spark must be sgd or adam, got '" + name + "'");
        }
        if (!(lr >= 0) || !(momentum >= 0 && momentum <= 1) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("learning rate " + lr + ", momentum " + momentum + " and weight decay "
                    + weightDecay + ": each must be >= 0, and momentum <= 1");
        }
        this.optimizer = n;
        this.lr = lr;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        return this;
    }

    /** The global batch: images per optimizer step over all workers together. */
    public TrainingPlan batchSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("the batch size must be >= 1, got " + size);
        }
        this.batchSize = size;
        return this;
    }

    public TrainingPlan epochs(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        this.epochs = epochs;
        return this;
    }

    /** Stops after this many optimizer steps in all; 0 (the default) runs every epoch to its end. */
    public TrainingPlan maxSteps(long steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("max steps must be >= 0 (0: no limit), got " + steps);
        }
        this.maxSteps = steps;
        return this;
    }

    /** The number of workers, one Spark task each; 0 (the default): one per executor, or per local core. */
    public TrainingPlan workers(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("workers must be >= 0 (0: one per executor), got " + n);
        }
        this.workers = n;
        return this;
    }

    /** Kernel threads per worker; 0 (the default): the task's CPUs ({@code spark.task.cpus}). */
    public TrainingPlan threads(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("threads must be >= 0 (0: spark.task.cpus), got " + n);
        }
        this.threads = n;
        return this;
    }

    /**
     * Rank 0 writes a checkpoint to {@code file} (on storage every executor reads: a retried stage resumes
     * from it) at every epoch's end and every {@code everySteps} steps (0: epoch ends only).
     */
    public TrainingPlan checkpoint(String file, long everySteps) {
        if (everySteps < 0) {
            throw new IllegalArgumentException("checkpoint interval must be >= 0 steps, got " + everySteps);
        }
        this.checkpoint = file;
        this.checkpointEvery = everySteps;
        return this;
    }

    /** Rank 0 writes the trained model (safetensors, as {@code cnn4j train --save}) to this file. */
    public TrainingPlan save(String file) {
        this.save = file;
        return this;
    }

    /**
     * How long a worker waits for a peer before failing (default 120 s): a step must take less, and so must
     * rank 0's evaluation of the test set after an epoch, which the others wait for in their next step.
     */
    public TrainingPlan timeoutSeconds(int seconds) {
        if (seconds < 1) {
            throw new IllegalArgumentException("the peer timeout must be >= 1 s, got " + seconds);
        }
        this.timeoutSeconds = seconds;
        return this;
    }

    /** The order {@code workers} workers visit a training set of {@code items} in, drawn from the seed. */
    ShardedOrder order(int items, int workers) {
        return new ShardedOrder(items, workers, batchSize, seed);
    }

    public String model() {
        return model;
    }

    public long seed() {
        return seed;
    }

    public String optimizer() {
        return optimizer;
    }

    public double lr() {
        return lr;
    }

    public double momentum() {
        return momentum;
    }

    public double weightDecay() {
        return weightDecay;
    }

    public int batchSize() {
        return batchSize;
    }

    public int epochs() {
        return epochs;
    }

    public long maxSteps() {
        return maxSteps;
    }

    public int workers() {
        return workers;
    }

    public int threads() {
        return threads;
    }

    public String checkpoint() {
        return checkpoint;
    }

    public long checkpointEvery() {
        return checkpointEvery;
    }

    public String save() {
        return save;
    }

    public int timeoutSeconds() {
        return timeoutSeconds;
    }
}
