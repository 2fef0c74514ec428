package io.cnn4j.cli;

import io.cnn4j.optim.CosineLr;
import io.cnn4j.optim.LrSchedule;
import io.cnn4j.optim.OneCycleLr;
import io.cnn4j.optim.StepLr;
import picocli.CommandLine.Option;

import java.util.Locale;

/** {@code cnn4j train}'s learning-rate schedule options; the schedule sets the rate before every update. */
final class ScheduleOptions {
    /** Cosine warm-up starts at this fraction of the rate (PyTorch LinearLR's start_factor). */
    static final double WARMUP_START_FACTOR = 0.01;

    @Option(names = "--schedule", paramLabel = "NAME", defaultValue = "constant",
            description = "Learning-rate schedule, applied at every step: constant, step (times --gamma every --step-epochs),"
                    + " cosine (to --min-lr, after --warmup-epochs of linear warm-up) or onecycle (PyTorch's OneCycleLR;"
                    + " --lr is the peak) (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--step-epochs", paramLabel = "X", description = "step schedule: epochs between decays (may be fractional).")
    Double stepEpochs;

    @Option(names = "--gamma", paramLabel = "X", defaultValue = "0.1", description = "step schedule: decay factor (default: ${DEFAULT-VALUE}).")
    double gamma;

    @Option(names = "--warmup-epochs", paramLabel = "X", defaultValue = "0",
            description = "cosine schedule: epochs of linear warm-up from 1%% of --lr (default: ${DEFAULT-VALUE}).")
    double warmupEpochs;

    @Option(names = "--min-lr", paramLabel = "X", defaultValue = "0", description = "cosine schedule: final learning rate (default: ${DEFAULT-VALUE}).")
    double minLr;

    @Option(names = "--pct-start", paramLabel = "X", defaultValue = "0.3",
            description = "onecycle: fraction of the steps spent raising the rate (default: ${DEFAULT-VALUE}).")
    double pctStart;

    @Option(names = "--div-factor", paramLabel = "X", defaultValue = "25",
            description = "onecycle: the rate starts at --lr / X (default: ${DEFAULT-VALUE}).")
    double divFactor;

    @Option(names = "--final-div-factor", paramLabel = "X", defaultValue = "1e4",
            description = "onecycle: the rate ends at the starting rate / X (default: ${DEFAULT-VALUE}).")
    double finalDivFactor;

    @Option(names = "--cycle-momentum", negatable = true,
            description = "onecycle: move the momentum (sgd, rmsprop) or beta1 (adam, adamw) from 0.95 down to 0.85 and back,"
                    + " against the rate.")
    boolean cycleMomentum;

    /** Checks the values before any data is read; the schedules check how they fit together. */
    void validate() {
        if (stepEpochs != null) {
            Bounds.above("--step-epochs", stepEpochs, 0);
        }
        Bounds.between("--gamma", gamma, 0, Double.MAX_VALUE);
        Bounds.between("--warmup-epochs", warmupEpochs, 0, Double.MAX_VALUE);
        Bounds.between("--min-lr", minLr, 0, Double.MAX_VALUE);
        Bounds.between("--pct-start", pctStart, 0, 1);
        Bounds.between("--div-factor", divFactor, 0, Double.MAX_VALUE);
        Bounds.between("--final-div-factor", finalDivFactor, 0, Double.MAX_VALUE);
    }

    /**
     * The schedule for {@code totalSteps} updates of {@code batchesPerEpoch} per epoch, peaking at {@code lr};
     * null for a constant rate (the optimizer's own).
     */
    LrSchedule build(double lr, long totalSteps, int batchesPerEpoch) {
        try {
            return switch (name) {
                case "constant" -> null;
                case "step" -> {
                    if (stepEpochs == null) {
                        throw new IllegalArgumentException("needs --step-epochs X, the epochs between decays");
                    }
                    yield new StepLr(lr, Math.max(1, Math.round(stepEpochs * batchesPerEpoch)), gamma);
                }
                case "cosine" -> new CosineLr(lr, totalSteps, Math.round(warmupEpochs * batchesPerEpoch), WARMUP_START_FACTOR, minLr);
                case "onecycle" -> new OneCycleLr(lr, totalSteps, pctStart, divFactor, finalDivFactor, cycleMomentum);
                default -> throw new IllegalArgumentException("must be constant, step, cosine or onecycle");
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--schedule " + name + ": " + e.getMessage(), e);
        }
    }

    /** One line for the run's header, or null for a constant rate. */
    static String describe(LrSchedule schedule) {
        if (schedule == null) {
            return null;
        }
        return switch (schedule) {
            case StepLr s -> String.format(Locale.ROOT, "step: lr %s times %s every %d steps", s.lr(), s.gamma(), s.stepSize());
            case CosineLr c -> String.format(Locale.ROOT, "cosine: lr %s to %s over %d steps, the first %d warming up", c.lr(),
                    c.minLr(), c.totalSteps(), c.warmupSteps());
            case OneCycleLr o -> String.format(Locale.ROOT, "onecycle: lr %s up to %s in %d of %d steps, then down to %s%s",
                    o.maxLr() / o.divFactor(), o.maxLr(), Math.round(o.pctStart() * o.totalSteps()), o.totalSteps(),
                    o.maxLr() / o.divFactor() / o.finalDivFactor(), o.cycleMomentum() ? ", momentum 0.95-0.85-0.95" : "");
            default -> schedule.toString();
        };
    }
}
