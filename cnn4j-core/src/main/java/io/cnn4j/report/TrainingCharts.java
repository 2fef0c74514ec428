package io.cnn4j.report;

import io.cnn4j.train.EpochMetrics;
import io.cnn4j.train.Evaluation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The charts of a training run so far: loss, accuracy and learning rate per epoch, and the test set's
 * confusion matrix after the last epoch, each as SVG under a file name ({@code loss.svg},
 * {@code accuracy.svg}, {@code learning-rate.svg}, {@code confusion.svg}).
 */
public final class TrainingCharts {
    private TrainingCharts() {
    }

    /**
     * The charts for {@code history} (oldest epoch first), with the confusion chart when {@code test}
     * is not null; its matrix is indexed by {@code classNames}.
     */
    public static Map<String, String> of(List<EpochMetrics> history, Evaluation test, List<String> classNames) {
        Map<String, String> charts = new LinkedHashMap<>();
        charts.put("loss.svg", loss(history));
        charts.put("accuracy.svg", accuracy(history));
        charts.put("learning-rate.svg", new LineChart("Learning rate", "epoch", "learning rate at the epoch's end")
                .series("learning rate", column(history, EpochMetrics::epoch), column(history, EpochMetrics::learningRate)).toSvg());
        if (test != null) {
            String after = history.isEmpty() ? "" : ", epoch " + history.getLast().epoch();
            charts.put("confusion.svg", new ConfusionChart("Test set confusion" + after + " (" + test.count() + " images)",
                    test.confusion(), classNames, false).toSvg());
        }
        return charts;
    }

    /** The loss per epoch for training, validation and test. */
    static String loss(List<EpochMetrics> history) {
        double[] epochs = column(history, EpochMetrics::epoch);
        return new LineChart("Loss", "epoch", "mean cross-entropy")
                .series("train", epochs, column(history, EpochMetrics::trainLoss))
                .series("validation", epochs, column(history, EpochMetrics::validationLoss))
                .series("test", epochs, column(history, EpochMetrics::testLoss)).toSvg();
    }

    /** The accuracy per epoch for training, validation and test. */
    static String accuracy(List<EpochMetrics> history) {
        double[] epochs = column(history, EpochMetrics::epoch);
        return new LineChart("Accuracy", "epoch", "accuracy")
                .series("train", epochs, column(history, EpochMetrics::trainAccuracy))
                .series("validation", epochs, column(history, EpochMetrics::validationAccuracy))
                .series("test", epochs, column(history, EpochMetrics::testAccuracy)).toSvg();
    }

    private static double[] column(List<EpochMetrics> history, ToDoubleFunction<EpochMetrics> value) {
        double[] out = new double[history.size()];
        for (int i = 0; i < out.length; i++) {
            double v = value.applyAsDouble(history.get(i));
            out[i] = Double.isInfinite(v) ? Double.NaN : v;
        }
        return out;
    }
}
