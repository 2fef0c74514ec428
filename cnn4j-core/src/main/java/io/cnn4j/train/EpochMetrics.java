package io.cnn4j.train;

/**
 * What one epoch of training gave: mean training loss and accuracy over the batches it ran (with the
 * weights as they were at each batch), the held-out loss and accuracy after it, the training time
 * (evaluation excluded) and the training throughput.
 */
public record EpochMetrics(int epoch, long steps, double trainLoss, double trainAccuracy,
                           double testLoss, double testAccuracy, double seconds, double imagesPerSecond) {
}
