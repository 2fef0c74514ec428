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
        return perSet(new LineChart("Loss", "epoch", "mean cross-entropy"), history, EpochMetrics::trainLoss,
                EpochMetrics::validationLoss, EpochMetrics::testLoss);
    }

    /** The accuracy per epoch for training, validation and test. */
    static String accuracy(List<EpochMetrics> history) {
        return perSet(new LineChart("Accuracy", "epoch", "accuracy"), history, EpochMetrics::trainAccuracy,
                EpochMetrics::validationAccuracy, EpochMetrics::testAccuracy);
    }

    private static String perSet(LineChart chart, List<EpochMetrics> history, ToDoubleFunction<EpochMetrics> train,
                                 ToDoubleFunction<EpochMetrics> validation, ToDoubleFunction<EpochMetrics> test) {
        double[] epochs = column(history, EpochMetrics::epoch);
        return chart.series("train", epochs, column(history, train)).series("validation", epochs, column(history, validation))
                .series("test", epochs, column(history, test)).toSvg();
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
