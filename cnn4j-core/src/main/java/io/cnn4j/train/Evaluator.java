package io.cnn4j.train;

import io.cnn4j.data.Batch;
import io.cnn4j.data.DataLoader;
import io.cnn4j.data.Dataset;
import io.cnn4j.data.Normalize;
import io.cnn4j.loss.Losses;
import io.cnn4j.nn.Module;
import io.cnn4j.tensor.GradMode;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.Workspace;

/** Runs a classifier over a labelled set in evaluation mode, recording nothing for backward. */
public final class Evaluator {
    private Evaluator() {
    }

    public static Evaluation evaluate(Module model, Dataset data, int batchSize) {
        return evaluate(model, data, batchSize, null);
    }

    /**
     * Like {@link #evaluate(Module, Dataset, int)}, with the images normalised first as in training
     * ({@code normalize} null: used as they are).
     */
    public static Evaluation evaluate(Module model, Dataset data, int batchSize, Normalize normalize) {
        boolean wasTraining = model.isTraining();
        model.eval();
        int classes = data.numClasses();
        int[][] confusion = new int[classes][classes];
        double lossSum = 0;
        Workspace workspace = new Workspace();
        try (var ignored = GradMode.noGrad()) {
            for (Batch batch : DataLoader.sequential(data, batchSize).nextEpoch()) {
                if (normalize != null) {
                    normalize.apply(batch.images());
                }
                try (var scope = workspace.open()) {
                    lossSum += evaluateBatch(model, batch, classes, confusion);
                }
            }
        } finally {
            model.train(wasTraining);
        }
        int correct = 0;
        double[] perClass = new double[classes];
        for (int c = 0; c < classes; c++) {
            int support = 0;
            for (int p = 0; p < classes; p++) {
                support += confusion[c][p];
            }
            correct += confusion[c][c];
            perClass[c] = support == 0 ? Double.NaN : (double) confusion[c][c] / support;
        }
        int n = data.size();
        return new Evaluation(n, n == 0 ? Double.NaN : lossSum / n, n == 0 ? Double.NaN : (double) correct / n, perClass, confusion);
    }

    /** Adds one batch to the confusion matrix; returns the batch's summed loss. */
    private static double evaluateBatch(Module model, Batch batch, int classes, int[][] confusion) {
        Tensor logits = model.forward(batch.images());
        if (logits.rank() != 2 || logits.dim(1) != classes) {
            throw new IllegalArgumentException("the model gives outputs of shape " + logits.shape() + " but the data has "
                    + classes + " classes: expected [N, " + classes + "]");
        }
        int[] predicted = Predictions.argmax(logits);
        for (int i = 0; i < predicted.length; i++) {
            confusion[batch.labels()[i]][predicted[i]]++;
        }
        return Losses.crossEntropy(logits, batch.labels()).item() * batch.size();
    }
}
