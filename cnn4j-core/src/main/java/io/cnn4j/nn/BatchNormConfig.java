package io.cnn4j.nn;

import java.util.OptionalDouble;

/**
 * Settings of a {@link BatchNorm1d} or {@link BatchNorm2d} layer, validated once, with PyTorch's names and
 * defaults: {@code eps} 1e-5 (added to the variance), {@code momentum} 0.1 (the weight of each new batch
 * in the running statistics; empty for PyTorch's {@code momentum=None}, a cumulative average in which the
 * n-th batch weighs 1/n, see {@link #cumulativeAverage}), {@code affine} (learn a per-channel weight and bias)
 * and {@code trackRunningStats} (keep running statistics and use them in evaluation mode; without them the
 * layer normalises by the batch's statistics in both modes). Start from {@link #of} and change what
 * differs.
 */
public record BatchNormConfig(int numFeatures, double eps, OptionalDouble momentum, boolean affine, boolean trackRunningStats) {

    public BatchNormConfig {
        if (numFeatures < 1) {
            throw new IllegalArgumentException("BatchNorm: num_features must be >= 1, got " + numFeatures);
        }
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("BatchNorm: eps must be a positive number, got " + eps);
        }
        if (momentum.isPresent() && !(momentum.getAsDouble() >= 0 && momentum.getAsDouble() <= 1)) {
            throw new IllegalArgumentException("BatchNorm: momentum must be in [0, 1], got " + momentum.getAsDouble());
        }
    }

    public static BatchNormConfig of(int numFeatures) {
        return new BatchNormConfig(numFeatures, 1e-5, OptionalDouble.of(0.1), true, true);
    }

    public BatchNormConfig eps(double e) {
        return new BatchNormConfig(numFeatures, e, momentum, affine, trackRunningStats);
    }

    public BatchNormConfig momentum(double m) {
        return new BatchNormConfig(numFeatures, eps, OptionalDouble.of(m), affine, trackRunningStats);
    }

    /**
     * These settings with PyTorch's {@code momentum=None}: the running statistics are the plain average of
     * every training batch's since they were reset, the n-th batch (counted by {@code num_batches_tracked})
     * weighing 1/n.
     */
    public BatchNormConfig cumulativeAverage() {
        return new BatchNormConfig(numFeatures, eps, OptionalDouble.empty(), affine, trackRunningStats);
    }

    public BatchNormConfig affine(boolean a) {
        return new BatchNormConfig(numFeatures, eps, momentum, a, trackRunningStats);
    }

    public BatchNormConfig trackRunningStats(boolean t) {
        return new BatchNormConfig(numFeatures, eps, momentum, affine, t);
    }
}
