package io.cnn4j.optim;

/**
 * The one-cycle policy (Smith and Topin, 2017) exactly as {@code torch.optim.lr_scheduler.OneCycleLR}
 * with its defaults ({@code anneal_strategy='cos'}, two phases): the rate climbs by a half cosine from
 * {@code maxLr / divFactor} to {@code maxLr} over the first {@code pctStart} of the updates, then falls
 * by a half cosine to {@code maxLr / divFactor / finalDivFactor} at the last one.
 * <pre>
 * phase 1 ends at update e1 = pctStart * T - 1,   phase 2 at e2 = T - 1
 * anneal(a, b, x) = b + (a - b) * (1 + cos(pi * x)) / 2
 * t &lt;= e1:  anneal(initial, max, t / e1)        else  anneal(max, min, (t - e1) / (e2 - e1))
 * </pre>
 * With {@code cycleMomentum} the momentum (SGD) or beta1 (Adam) moves the opposite way, from
 * {@code maxMomentum} down to {@code baseMomentum} and back (PyTorch's defaults 0.95 and 0.85). Updates
 * past {@code T} keep the final rate, where PyTorch would refuse to step.
 */
public record OneCycleLr(double maxLr, long totalSteps, double pctStart, double divFactor, double finalDivFactor,
                         boolean cycleMomentum, double baseMomentum, double maxMomentum) implements LrSchedule {
    public OneCycleLr {
        String name = "one-cycle schedule";
        LrSchedule.check(maxLr >= 0, name, "maximum learning rate must be >= 0", maxLr);
        LrSchedule.check(totalSteps >= 2, name, "total updates must be >= 2", totalSteps);
        LrSchedule.check(pctStart > 0 && pctStart < 1, name, "pct_start must be in (0, 1)", pctStart);
        // PyTorch divides by e1 and by e2 - e1: both phases need at least one update.
        double e1 = pctStart * totalSteps - 1;
        LrSchedule.check(e1 > 0 && e1 < totalSteps - 1, name, "pct_start * total updates must leave both phases at"
                + " least one update (" + totalSteps + " updates)", pctStart);
        LrSchedule.check(divFactor >= 1, name, "div_factor must be >= 1", divFactor);
        LrSchedule.check(finalDivFactor >= 1, name, "final_div_factor must be >= 1", finalDivFactor);
        LrSchedule.check(baseMomentum >= 0 && baseMomentum <= maxMomentum && maxMomentum < 1, name,
                "momenta must satisfy 0 <= base <= max < 1", baseMomentum + ", " + maxMomentum);
    }

    /** PyTorch's momenta (0.85 to 0.95) when {@code cycleMomentum} is set. */
    public OneCycleLr(double maxLr, long totalSteps, double pctStart, double divFactor, double finalDivFactor,
                      boolean cycleMomentum) {
        this(maxLr, totalSteps, pctStart, divFactor, finalDivFactor, cycleMomentum, 0.85, 0.95);
    }

    /** PyTorch's defaults: pct_start 0.3, div_factor 25, final_div_factor 1e4, no momentum cycling. */
    public static OneCycleLr of(double maxLr, long totalSteps) {
        return new OneCycleLr(maxLr, totalSteps, 0.3, 25, 1e4, false);
    }

    @Override
    public double learningRate(long step) {
        double initial = maxLr / divFactor;
        return phase(step, initial, maxLr, maxLr, initial / finalDivFactor);
    }

    @Override
    public double momentum(long step) {
        return cycleMomentum ? phase(step, maxMomentum, baseMomentum, baseMomentum, maxMomentum) : Double.NaN;
    }

    /** Anneals from {@code a1} to {@code b1} in phase 1 and from {@code a2} to {@code b2} in phase 2. */
    private double phase(long step, double a1, double b1, double a2, double b2) {
        double t = Math.min(step, totalSteps - 1);
        double end1 = pctStart * totalSteps - 1;
        double end2 = totalSteps - 1;
        return t <= end1 ? anneal(a1, b1, t / end1) : anneal(a2, b2, (t - end1) / (end2 - end1));
    }

    private static double anneal(double start, double end, double pct) {
        return end + (start - end) / 2 * (Math.cos(Math.PI * pct) + 1);
    }
}
