package io.cnn4j.optim;

/**
 * A linear warm-up followed by cosine annealing, as PyTorch's
 * {@code SequentialLR([LinearLR(start_factor, total_iters=W), CosineAnnealingLR(T_max=T-W, eta_min)],
 * milestones=[W])}. For update {@code t} of {@code T}:
 * <pre>
 * t &lt; W:   lr * (s + (1 - s) * t / W)                                  s = warmupStartFactor
 * t &gt;= W:  minLr + (lr - minLr) * (1 + cos(pi * (t - W) / (T - W))) / 2
 * </pre>
 * Past {@code T} the rate stays at {@code minLr} (PyTorch's cosine would climb again). With {@code W = 0}
 * it is plain {@code CosineAnnealingLR(T_max=T)}.
 */
public record CosineLr(double lr, long totalSteps, long warmupSteps, double warmupStartFactor, double minLr)
        implements LrSchedule {
    public CosineLr {
        String name = "cosine schedule";
        LrSchedule.check(lr >= 0, name, "learning rate must be >= 0", lr);
        LrSchedule.check(totalSteps >= 1, name, "total updates must be >= 1", totalSteps);
        LrSchedule.check(warmupSteps >= 0 && warmupSteps < totalSteps, name,
                "warm-up must be >= 0 updates and shorter than the " + totalSteps + " in all", warmupSteps);
        LrSchedule.check(warmupStartFactor > 0 && warmupStartFactor <= 1, name, "warm-up start factor must be in (0, 1]",
                warmupStartFactor);
        LrSchedule.check(minLr >= 0 && minLr <= lr, name, "minimum learning rate must be in [0, lr]", minLr);
    }

    /** Cosine annealing over {@code totalSteps} without warm-up, down to 0. */
    public static CosineLr of(double lr, long totalSteps) {
        return new CosineLr(lr, totalSteps, 0, 1, 0);
    }

    @Override
    public double learningRate(long step) {
        if (step < warmupSteps) {
            return lr * (warmupStartFactor + (1 - warmupStartFactor) * step / warmupSteps);
        }
        long t = Math.min(step, totalSteps) - warmupSteps;
        return minLr + (lr - minLr) * (1 + Math.cos(Math.PI * t / (totalSteps - warmupSteps))) / 2;
    }
}
