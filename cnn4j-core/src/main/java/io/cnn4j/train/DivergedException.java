package io.cnn4j.train;

import java.util.OptionalLong;

/**
 * Training stopped because a number stopped being finite: the loss, a gradient, a parameter after the
 * update, a buffer such as batch norm's running variance, or the loss of an evaluation. When a step went
 * wrong the model is put back to its last good state: its parameters and buffers after the last step that
 * left them finite and whose loss on the next batch was finite ({@link #keptStep()}), or the ones training
 * started from when no step got that far. The optimizer's own state (momentum, moments) is not put back,
 * so build a new optimizer before training on.
 */
public final class DivergedException extends RuntimeException {
    private final int epoch;
    private final long step;
    private final long keptStep;

    private DivergedException(int epoch, long step, long keptStep, String message) {
        super(message);
        this.epoch = epoch;
        this.step = step;
        this.keptStep = keptStep;
    }

    /**
     * Step {@code step} made {@code what} (e.g. "the loss became NaN"); the model was put back to its state
     * after step {@code keptStep}, or to the one training started from when that is -1.
     */
    static DivergedException inStep(int epoch, long step, String what, long keptStep) {
        return new DivergedException(epoch, step, keptStep, what + " at step " + step + " (epoch " + epoch + ");"
                + " training stopped and the model was put back to " + (keptStep > 0 ? "its weights after step "
                + keptStep + ", the last that gave a finite loss" : "the weights it started with")
                + ". Try a lower learning rate.");
    }

    /** The evaluation after epoch {@code epoch}, which ended at step {@code step}, gave a loss that is not finite. */
    static DivergedException inEvaluation(int epoch, long step, String set, double loss) {
        return new DivergedException(epoch, step, -1, "the " + set + " loss became " + loss + " in the evaluation after"
                + " epoch " + epoch + " (step " + step + "): the model's weights are finite but its outputs are not;"
                + " training stopped. Try a lower learning rate.");
    }

    public int epoch() {
        return epoch;
    }

    /** The optimizer step (counting from 1) that went wrong, or the last one before an evaluation that did. */
    public long step() {
        return step;
    }

    /**
     * The step whose parameters and buffers the model was put back to (0: the ones a new run started
     * with), known good because the next batch's loss was finite. Empty when no state is known good: the
     * model then holds the weights this training started from, or, when an evaluation went wrong, the last
     * step's weights, which are finite but give outputs that are not.
     */
    public OptionalLong keptStep() {
        return keptStep < 0 ? OptionalLong.empty() : OptionalLong.of(keptStep);
    }
}
