package io.cnn4j.train;

/**
 * Training stopped because the loss or a gradient stopped being a finite number. It is thrown before
 * the optimizer applies the bad step, so the model still holds the last good weights.
 */
public final class DivergedException extends RuntimeException {
    private final int epoch;
    private final long step;

    DivergedException(int epoch, long step, String what) {
        super(what + " at step " + step + " (epoch " + epoch + "); training stopped before applying it, so the"
                + " model keeps the weights of step " + (step - 1) + ". Try a lower learning rate.");
        this.epoch = epoch;
        this.step = step;
    }

    public int epoch() {
        return epoch;
    }

    /** The optimizer step (counting from 1) whose loss or gradient was not finite. */
    public long step() {
        return step;
    }
}
