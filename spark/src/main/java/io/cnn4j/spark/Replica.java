package io.cnn4j.spark;

import io.cnn4j.data.BatchFeed;
import io.cnn4j.data.DataLoader;
import io.cnn4j.kernel.Kernels;
import io.cnn4j.models.Models;
import io.cnn4j.nn.Init;
import io.cnn4j.nn.Module;
import io.cnn4j.optim.Adam;
import io.cnn4j.optim.Optimizer;
import io.cnn4j.optim.Sgd;
import io.cnn4j.tensor.Rng;
import io.cnn4j.train.Trainer;

/**
 * One copy of the training run a plan describes: the model, optimizer, batches and trainer, built from
 * the seed in the order {@code cnn4j train} builds them, so that every worker's copy starts equal to the
 * others' and to a single process's. The batches are a worker's shard's micro-batches ({@link
 * DataLoader#shard}), or one process's global batches in the same order ({@link DataLoader#sharded}).
 */
final class Replica {
    final Module model;
    final Optimizer optimizer;
    final BatchFeed feed;
    final Trainer trainer;

    Replica(TrainingPlan plan, DataLoader loader, Kernels kernels) {
        Rng rng = new Rng(plan.seed());
        model = Models.create(plan.model(), loader.dataset().imageShape(), loader.dataset().numClasses(), Init.PYTORCH, rng);
        optimizer = plan.optimizer().equals("sgd")
                ? new Sgd(model.parameters(), plan.lr(), plan.momentum(), 0, plan.weightDecay(), false)
                : new Adam(model.parameters(), plan.lr(), 0.9, 0.999, 1e-8, plan.weightDecay(), false);
        feed = new BatchFeed(loader, null, 2);
        trainer = new Trainer(model, optimizer).kernels(kernels);
        if (plan.maxSteps() > 0) {
            trainer.maxSteps(plan.maxSteps());
        }
    }
}
