package io.cnn4j.train;

import io.cnn4j.data.Batch;
import io.cnn4j.data.DataLoader;
import io.cnn4j.data.Dataset;
import io.cnn4j.loss.Losses;
import io.cnn4j.nn.Module;
import io.cnn4j.optim.Optimizer;
import io.cnn4j.tensor.Execution;
import io.cnn4j.tensor.GradMode;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.Workspace;

/**
 * Training and measuring a model that reconstructs its input, such as {@code Models.autoencoder()}: the loss
 * is the mean squared error between the model's output and the images it was given, labels unused. The
 * {@link Trainer} is for classifiers; this is the same loop with that loss and that one figure.
 *
 * {@snippet :
 * Module model = Models.autoencoder().initialize(new Rng(0));
 * Optimizer adam = new Adam(model.parameters(), 1e-3);
 * DataLoader loader = DataLoader.shuffled(data.train(), 128, 0);
 * for (int epoch = 1; epoch <= 5; epoch++) {
 *     Reconstruction.trainEpoch(model, loader, adam);
 * }
 * double testMse = Reconstruction.meanSquaredError(model, data.test(), 256);
 * }
 */
public final class Reconstruction {
    private Reconstruction() {
    }

    /**
     * One epoch of {@code loader}'s batches, in training mode: each batch through the model, its MSE to the
     * batch's images, backward, an optimizer step. Returns the epoch's mean training MSE per pixel, each
     * batch weighed by its images.
     */
    public static double trainEpoch(Module model, DataLoader loader, Optimizer optimizer) {
        return Execution.call(model.kernels(), () -> {
            model.train(true);
            Workspace workspace = new Workspace();
            double sum = 0;
            int images = 0;
            for (Batch batch : loader.nextEpoch()) {
                try (var step = workspace.open()) {
                    optimizer.zeroGrad();
                    Tensor loss = Losses.mse(model.forward(batch.images()), batch.images());
                    loss.backward();
                    optimizer.step();
                    sum += (double) loss.item() * batch.size();
                    images += batch.size();
                }
            }
            return sum / images;
        });
    }

    /**
     * The mean squared error per pixel between the model's reconstructions of {@code data}'s images and the
     * images, in evaluation mode and without recording gradients; the model's mode is restored after.
     */
    public static double meanSquaredError(Module model, Dataset data, int batchSize) {
        if (data.size() == 0) {
            throw new IllegalArgumentException("nothing to evaluate: dataset '" + data.description() + "' has no images");
        }
        return Execution.call(model.kernels(), () -> {
            boolean wasTraining = model.isTraining();
            model.eval();
            Workspace workspace = new Workspace();
            double sum = 0;
            try (var ignored = GradMode.noGrad()) {
                for (Batch batch : DataLoader.sequential(data, batchSize).nextEpoch()) {
                    try (var scope = workspace.open()) {
                        sum += (double) Losses.mse(model.forward(batch.images()), batch.images()).item() * batch.size();
                    }
                }
            } finally {
                model.train(wasTraining);
            }
            return sum / data.size();
        });
    }
}
