package io.cnn4j.optim;

/** The same learning rate for every update: what training without a schedule does. */
public record ConstantLr(double lr) implements LrSchedule {
    public ConstantLr {
        LrSchedule.check(lr >= 0, "constant schedule", "learning rate must be >= 0", lr);
    }

    @Override
    public double learningRate(long step) {
        return lr;
    }
}
