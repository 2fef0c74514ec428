package io.cnn4j.nn;

/**
 * Settings of a {@link BatchNorm1d} or {@link BatchNorm2d} layer, validated once, with PyTorch's names and
 * defaults: {@code eps} 1e-5 (added to the variance), {@code momentum} 0.1 (the weight of each new batch
 * in the running statistics), {@code affine} (learn a per-channel weight and bias) and
 * {@code trackRunningStats} (keep running statistics and use them in evaluation mode; without them the
 * layer normalises by the batch's statistics in both modes). Start from {@link #of} and change what
 * differs.
 */
public record BatchNormConfig(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {

    public BatchNormConfig {
        if (numFeatures < 1) {
            throw new IllegalArgumentException("BatchNorm: num_features must be >= 1, got " + numFeatures);
        }
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("BatchNorm: eps must be a positive number, got " + eps);
        }
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("BatchNorm: momentum must be in [0, 1], got " + momentum);
        }
    }

    public static BatchNormConfig of(int numFeatures) {
        return new BatchNormConfig(numFeatures, 1e-5, 0.1, true, true);
    }

    public BatchNormConfig eps(double e) {
        return new BatchNormConfig(numFeatures, e, momentum, affine, trackRunningStats);
    }

    public BatchNormConfig momentum(double m) {
        return new BatchNormConfig(numFeatures, eps, m, affine, trackRunningStats);
    }

    public BatchNormConfig affine(boolean a) {
        return new BatchNormConfig(numFeatures, eps, momentum, a, trackRunningStats);
    }

    public BatchNormConfig trackRunningStats(boolean t) {
        return new BatchNormConfig(numFeatures, eps, momentum, affine, t);
    }
}
