package io.cnn4j.train;

/**
 * One optimizer step as a progress display sees it: position in the epoch, this batch's loss, the
 * running means of loss and accuracy since the epoch began, the throughput so far and the learning rate
 * the step used.
 */
public record StepMetrics(int epoch, long step, int batch, int batchesInEpoch, double loss,
                          double runningLoss, double runningAccuracy, double imagesPerSecond, double learningRate) {
}
