package io.cnn4j.optim;

/**
 * The learning rate (and, for some schedules, the momentum) of every optimizer update, as a pure
 * function of how many updates came before it. This is what PyTorch's {@code torch.optim.lr_scheduler}
 * classes give when {@code scheduler.step()} is called once after each {@code optimizer.step()}: update
 * 0 runs at the scheduler's initial value, update {@code t} at its value after {@code t} calls.
 *
 * <p>Because the value depends on nothing but the step count, a run resumed from a checkpoint needs only
 * that count to stand exactly where it stood; a schedule has no state of its own.
 *
 * {@snippet :
 * LrSchedule schedule = new OneCycleLr(0.01, totalSteps, 0.3, 25, 1e4, false);
 * for (long t = 0; t < totalSteps; t++) {
 *     schedule.apply(optimizer, t);      // before the update that follows t updates
 *     optimizer.step();
 * }
 * }
 */
public interface LrSchedule {

    /** The learning rate of the update that follows {@code step} earlier updates ({@code step >= 0}). */
    double learningRate(long step);

    /**
     * The momentum of that update (SGD's momentum, Adam's beta1), or NaN when the schedule leaves the
     * optimizer's own momentum alone, as all but a momentum-cycling one-cycle schedule do.
     */
    default double momentum(long step) {
        return Double.NaN;
    }

    /** Sets the optimizer up for the update that follows {@code step} earlier updates. */
    default void apply(Optimizer optimizer, long step) {
        if (step < 0) {
            throw new IllegalArgumentException("schedule step must be >= 0, got " + step);
        }
        optimizer.setLearningRate(learningRate(step));
        double momentum = momentum(step);
        if (!Double.isNaN(momentum)) {
            optimizer.setMomentum(momentum);
        }
    }

    /** Checks a schedule parameter, naming the schedule, the parameter and the value. */
    static void check(boolean ok, String schedule, String what, Object value) {
        if (!ok) {
            throw new IllegalArgumentException(schedule + ": " + what + ", got " + value);
        }
    }
}
