package io.cnn4j.train;

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
}
