package io.cnn4j.train;

/**
 * One optimizer step as a progress display sees it: position in the epoch, this batch's loss, and the
 * running means of loss and accuracy since the epoch began, with the throughput so far.
 */
public record StepMetrics(int epoch, long step, int batch, int batchesInEpoch, double loss,
                          double runningLoss, double runningAccuracy, double imagesPerSecond) {
}
