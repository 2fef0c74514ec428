package io.cnn4j.train;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Training stopped because {@link Trainer#requestStop()} asked it to: the step under way was finished,
 * and when {@link Trainer#checkpoints checkpoints} are on, one was written where the run stood, from which
 * {@link Trainer#restore} goes on exactly as if it had never stopped. The model holds its weights after
 * {@link #step()}.
 */
public final class StoppedException extends RuntimeException {
    private final int epoch;
    private final long step;
    private final int batch;
    private final int batchesPerEpoch;
    private final transient Path checkpoint;

    StoppedException(int epoch, long step, int batch, int batchesPerEpoch, Path checkpoint) {
        super("training stopped on request " + (step == 0 ? "before its first step" : "after step " + step + " (epoch "
                + epoch + ", batch " + batch + " of " + batchesPerEpoch + ")")
                + (checkpoint == null ? "" : "; checkpoint written to " + checkpoint));
        this.epoch = epoch;
        this.step = step;
        this.batch = batch;
        this.batchesPerEpoch = batchesPerEpoch;
        this.checkpoint = checkpoint;
    }

    /** The epoch training was in (from 1), or the last one done when it stopped between two; 0 before the first. */
    public int epoch() {
        return epoch;
    }

    /** Optimizer steps done in all: the model holds the weights of this step. */
    public long step() {
        return step;
    }

    /** The batches of {@link #epoch()} done. */
    public int batch() {
        return batch;
    }

    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** The checkpoint written where training stopped; empty when checkpoints are off. */
    public Optional<Path> checkpoint() {
        return Optional.ofNullable(checkpoint);
    }
}
