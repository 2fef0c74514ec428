package io.cnn4j.optim;

/**
 * Decays the learning rate by {@code gamma} every {@code stepSize} updates, as
 * {@code torch.optim.lr_scheduler.StepLR}: {@code lr * gamma^floor(t / stepSize)} for update {@code t}.
 * A trainer that counts in epochs passes {@code stepSize = epochs * batchesPerEpoch}.
 */
public record StepLr(double lr, long stepSize, double gamma) implements LrSchedule {
    public StepLr {
        LrSchedule.check(lr >= 0, "step schedule", "learning rate must be >= 0", lr);
        LrSchedule.check(stepSize >= 1, "step schedule", "step size must be >= 1 update", stepSize);
        LrSchedule.check(gamma > 0 && gamma <= 1, "step schedule", "gamma must be in (0, 1]", gamma);
    }

    @Override
    public double learningRate(long step) {
        return lr * Math.pow(gamma, step / stepSize);
    }
}
