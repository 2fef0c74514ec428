package io.cnn4j.train;

import io.cnn4j.data.Batch;
import io.cnn4j.data.DataLoader;
import io.cnn4j.data.Dataset;
import io.cnn4j.data.Normalize;
import io.cnn4j.loss.Losses;
import io.cnn4j.nn.Module;
import io.cnn4j.tensor.Execution;
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
        return evaluate(model, data, batchSize, normalize, TestTimeAugmentation.NONE);
    }

    /**
     * Like {@link #evaluate(Module, Dataset, int, Normalize)}, each image's logits averaged over the views of
     * {@code tta}; the loss is the cross-entropy of the averaged logits. It all runs on the model's kernels
     * ({@link Module#kernels()}).
     */
    public static Evaluation evaluate(Module model, Dataset data, int batchSize, Normalize normalize,
                                      TestTimeAugmentation tta) {
        return Execution.call(model.kernels(), () -> evaluateHere(model, data, batchSize, normalize, tta));
    }

    private static Evaluation evaluateHere(Module model, Dataset data, int batchSize, Normalize normalize,
                                           TestTimeAugmentation tta) {
        if (data.size() == 0) {
            throw new IllegalArgumentException("nothing to evaluate: dataset '" + data.description() + "' has no images");
        }
        boolean wasTraining = model.isTraining();
        model.eval();
        int classes = data.numClasses();
        int[][] confusion = new int[classes][classes];
        double lossSum = 0;
        Workspace workspace = new Workspace();
        try (var ignored = GradMode.noGrad()) {
            for (Batch batch : DataLoader.sequential(data, batchSize).nextEpoch()) {
                Tensor averaged = tta.views() == 1 ? null : tta.logits(model, batch.images(), normalize, workspace);
                try (var scope = workspace.open()) {
                    Tensor logits = averaged != null ? averaged : model.forward(normalized(batch.images(), normalize));
                    lossSum += score(logits, batch.labels(), classes, confusion);
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
        return new Evaluation(n, lossSum / n, (double) correct / n, perClass, confusion);
    }

    /** {@code images}, normalised in place when {@code normalize} is not null. */
    private static Tensor normalized(Tensor images, Normalize normalize) {
        if (normalize != null) {
            normalize.apply(images);
        }
        return images;
    }

    /** Adds one batch's predictions to the confusion matrix; returns the batch's summed loss. */
    private static double score(Tensor logits, int[] labels, int classes, int[][] confusion) {
        if (logits.rank() != 2 || logits.dim(1) != classes) {
            throw new IllegalArgumentException("the model gives outputs of shape " + logits.shape() + " but the data has "
                    + classes + " classes: expected [N, " + classes + "]");
        }
        int[] predicted = Predictions.argmax(logits);
        for (int i = 0; i < predicted.length; i++) {
            confusion[labels[i]][predicted[i]]++;
        }
        return Losses.crossEntropy(logits, labels).item() * labels.length;
    }
}
