package io.cnn4j.train;

import java.util.Locale;

/**
 * What one epoch of training gave: mean training loss and accuracy over the batches it ran (with the
 * weights as they were at each batch), the validation and test loss and accuracy after it (NaN where
 * there is no such set), the learning rate of its last update, the seconds the trainer waited for data
 * (near zero when batches are prepared ahead), the training time (evaluation excluded) and the training
 * throughput.
 */
public record EpochMetrics(int epoch, long steps, double trainLoss, double trainAccuracy,
                           double validationLoss, double validationAccuracy, double testLoss, double testAccuracy,
                           double learningRate, double dataWaitSeconds, double seconds, double imagesPerSecond) {

    /**
     * This epoch as one line of JSON (with its newline), the form of a metrics file: validation metrics only
     * where there is a validation set, and null for a number that is not finite (JSON has no NaN).
     */
    public String jsonLine() {
        String validation = Double.isNaN(validationAccuracy) ? "" : String.format(Locale.ROOT,
                "\"validation_loss\":%s,\"validation_accuracy\":%s,", num(validationLoss), num(validationAccuracy));
        return String.format(Locale.ROOT,
                "{\"epoch\":%d,\"steps\":%d,\"train_loss\":%s,\"train_accuracy\":%s,%s\"test_loss\":%s,\"test_accuracy\":%s,"
                        + "\"learning_rate\":%s,\"data_wait_seconds\":%s,\"seconds\":%s,\"images_per_second\":%s}%n",
                epoch, steps, num(trainLoss), num(trainAccuracy), validation, num(testLoss), num(testAccuracy),
                num(learningRate), num(dataWaitSeconds), num(seconds), num(imagesPerSecond));
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "null";
    }
}
