package io.cnn4j.cli;

import io.cnn4j.optim.Adagrad;
import io.cnn4j.optim.Adam;
import io.cnn4j.optim.AdamW;
import io.cnn4j.optim.Optimizer;
import io.cnn4j.optim.RmsProp;
import io.cnn4j.optim.Sgd;
import io.cnn4j.tensor.Tensor;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code cnn4j train}'s optimizer and its settings, with PyTorch's names and defaults. A setting the chosen
 * optimizer does not have is refused rather than ignored, so that a typo in a run's recipe shows.
 */
final class OptimizerOptions {
    private static final List<String> NAMES = List.of("sgd", "adam", "adamw", "rmsprop", "adagrad");

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "adam",
            description = "sgd, adam, adamw, rmsprop or adagrad (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--momentum", paramLabel = "X", description = "Momentum of sgd and rmsprop (default: 0).")
    Double momentum;

    @Option(names = "--nesterov", negatable = true, description = "Nesterov momentum for sgd.")
    Boolean nesterov;

    @Option(names = "--dampening", paramLabel = "X", description = "sgd: dampening of the momentum (default: 0).")
    Double dampening;

    @Option(names = "--weight-decay", paramLabel = "X",
            description = "L2 weight decay (sgd, adam, rmsprop, adagrad) or decoupled decay (adamw). Default: 0, or 0.01 for"
                    + " adamw as in PyTorch.")
    Double weightDecay;

    @Option(names = "--betas", paramLabel = "B1,B2", split = ",", hideParamSyntax = true,
            description = "adam, adamw: decay rates of the two moments (default: 0.9,0.999).")
    double[] betas;

    @Option(names = "--eps", paramLabel = "E",
            description = "adam, adamw, rmsprop, adagrad: term added to the denominator (default: 1e-8; adagrad 1e-10).")
    Double eps;

    @Option(names = "--amsgrad", negatable = true, description = "adam, adamw: the AMSGrad variant.")
    Boolean amsgrad;

    @Option(names = "--alpha", paramLabel = "A", description = "rmsprop: smoothing of the squared gradients (default: 0.99).")
    Double alpha;

    @Option(names = "--centered", negatable = true, description = "rmsprop: divide by the gradient's estimated variance.")
    Boolean centered;

    /** Checks the values, and that each setting given belongs to the chosen optimizer, before any data is read. */
    void validate(boolean cycleMomentum) {
        String opt = name();
        if (!NAMES.contains(opt)) {
            throw new IllegalArgumentException("--optimizer must be " + String.join(", ", NAMES.subList(0, NAMES.size() - 1))
                    + " or " + NAMES.getLast() + ", got '" + name + "'");
        }
        only("--momentum", momentum, "sgd", "rmsprop");
        only("--nesterov", nesterov, "sgd");
        only("--dampening", dampening, "sgd");
        only("--betas", betas, "adam", "adamw");
        only("--amsgrad", amsgrad, "adam", "adamw");
        only("--eps", eps, "adam", "adamw", "rmsprop", "adagrad");
        only("--alpha", alpha, "rmsprop");
        only("--centered", centered, "rmsprop");
        if (momentum != null) {
            Bounds.between("--momentum", momentum, 0, 1);
        }
        if (dampening != null) {
            Bounds.between("--dampening", dampening, 0, 1);
        }
        if (weightDecay != null) {
            Bounds.between("--weight-decay", weightDecay, 0, Double.MAX_VALUE);
        }
        if (betas != null) {
            if (betas.length != 2) {
                throw new IllegalArgumentException("--betas takes two numbers, B1,B2 (such as 0.9,0.999), got " + betas.length);
            }
            Bounds.between("--betas' first value", betas[0], 0, 0.999999999);
            Bounds.between("--betas' second value", betas[1], 0, 0.999999999);
        }
        if (eps != null) {
            Bounds.between("--eps", eps, 0, Double.MAX_VALUE);
        }
        if (alpha != null) {
            Bounds.between("--alpha", alpha, 0, 1);
        }
        if (Boolean.TRUE.equals(nesterov) && (momentum == null || momentum == 0 || dampening != null && dampening != 0)) {
            throw new IllegalArgumentException("--nesterov needs --momentum above 0 and no --dampening");
        }
        if (cycleMomentum && opt.equals("adagrad")) {
            throw new IllegalArgumentException("--cycle-momentum moves the optimizer's momentum, and adagrad has none");
        }
    }

    private void only(String option, Object value, String... optimizers) {
        if (value != null && !List.of(optimizers).contains(name())) {
            throw new IllegalArgumentException(option + " applies to --optimizer " + String.join(" or ", optimizers)
                    + ", not " + name());
        }
    }

    private String name() {
        return name.toLowerCase(Locale.ROOT);
    }

    /** The weight decay: as given, else PyTorch's default (0.01 for AdamW, 0 for the others). */
    double weightDecay() {
        return weightDecay != null ? weightDecay : name().equals("adamw") ? 0.01 : 0.0;
    }

    Optimizer build(List<Tensor> params, double lr) {
        double m = momentum == null ? 0 : momentum;
        double b1 = betas == null ? 0.9 : betas[0];
        double b2 = betas == null ? 0.999 : betas[1];
        boolean ams = Boolean.TRUE.equals(amsgrad);
        return switch (name()) {
            case "sgd" -> new Sgd(params, lr, m, dampening == null ? 0 : dampening, weightDecay(), Boolean.TRUE.equals(nesterov));
            case "adam" -> new Adam(params, lr, b1, b2, eps == null ? 1e-8 : eps, weightDecay(), ams);
            case "adamw" -> new AdamW(params, lr, b1, b2, eps == null ? 1e-8 : eps, weightDecay(), ams);
            case "rmsprop" -> new RmsProp(params, lr, alpha == null ? 0.99 : alpha, eps == null ? 1e-8 : eps, weightDecay(), m,
                    Boolean.TRUE.equals(centered));
            case "adagrad" -> new Adagrad(params, lr, 0, weightDecay(), 0, eps == null ? 1e-10 : eps);
            default -> throw new IllegalStateException("validate() lets only " + NAMES + " through");
        };
    }

    /** The optimizer as the run's header line shows it: {@code "rmsprop lr 0.01 momentum 0.9 centered"}. */
    String describe(double lr) {
        List<String> parts = new ArrayList<>(List.of(name(), "lr " + lr));
        if (momentum != null && momentum != 0) {
            parts.add("momentum " + momentum + (Boolean.TRUE.equals(nesterov) ? " (Nesterov)" : ""));
        }
        if (dampening != null && dampening != 0) {
            parts.add("dampening " + dampening);
        }
        if (betas != null) {
            parts.add("betas " + betas[0] + "," + betas[1]);
        }
        if (eps != null) {
            parts.add("eps " + eps);
        }
        if (alpha != null) {
            parts.add("alpha " + alpha);
        }
        if (Boolean.TRUE.equals(amsgrad)) {
            parts.add("amsgrad");
        }
        if (Boolean.TRUE.equals(centered)) {
            parts.add("centered");
        }
        if (weightDecay() != 0) {
            parts.add("weight decay " + weightDecay());
        }
        return String.join(" ", parts);
    }
}
