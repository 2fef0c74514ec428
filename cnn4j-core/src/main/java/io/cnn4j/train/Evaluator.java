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

/**
 * Runs a classifier over a labelled set in evaluation mode, recording nothing for backward; it keeps each
 * image's prediction, confidence and loss as well ({@link Evaluation#images()}), a few bytes an image.
 */
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
        int n = data.size();
        ImageOutcomes images = new ImageOutcomes(new int[n], new float[n], new float[n]);
        int offset = 0;
        Workspace workspace = new Workspace();
        try (var ignored = GradMode.noGrad()) {
            for (Batch batch : DataLoader.sequential(data, batchSize).nextEpoch()) {
                Tensor averaged = tta.views() == 1 ? null : tta.logits(model, batch.images(), normalize, workspace);
                try (var scope = workspace.open()) {
                    Tensor logits = averaged != null ? averaged : model.forward(normalized(batch.images(), normalize));
                    lossSum += score(logits, batch.labels(), classes, confusion, images, offset);
                }
                offset += batch.size();
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
        return new Evaluation(n, lossSum / n, (double) correct / n, perClass, confusion, images);
    }

    /** {@code images}, normalised in place when {@code normalize} is not null. */
    private static Tensor normalized(Tensor images, Normalize normalize) {
        if (normalize != null) {
            normalize.apply(images);
        }
        return images;
    }

    /**
     * Adds one batch's predictions to the confusion matrix and its images' outcomes from {@code offset} on;
     * returns the batch's summed loss.
     */
    private static double score(Tensor logits, int[] labels, int classes, int[][] confusion, ImageOutcomes images,
                                int offset) {
        if (logits.rank() != 2 || logits.dim(1) != classes) {
            throw new IllegalArgumentException("the model gives outputs of shape " + logits.shape() + " but the data has "
                    + classes + " classes: expected [N, " + classes + "]");
        }
        int[] predicted = Predictions.argmax(logits);
        for (int i = 0; i < predicted.length; i++) {
            confusion[labels[i]][predicted[i]]++;
        }
        record(logits, labels, predicted, images, offset);
        return Losses.crossEntropy(logits, labels).item() * labels.length;
    }

    /** Each image's softmax probability of its predicted class and its cross-entropy (without label smoothing). */
    private static void record(Tensor logits, int[] labels, int[] predicted, ImageOutcomes images, int offset) {
        int classes = logits.dim(1);
        float[] v = logits.data();
        for (int i = 0; i < labels.length; i++) {
            int row = i * classes;
            int best = predicted[i];
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(v[row + c] - v[row + best]);
            }
            double logSum = Math.log(sum);
            images.predicted()[offset + i] = best;
            images.confidence()[offset + i] = (float) Math.exp(-logSum);
            images.loss()[offset + i] = (float) (logSum - (v[row + labels[i]] - v[row + best]));
        }
    }
}
