package io.cnn4j.autograd;

import io.cnn4j.tensor.GradMode;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Finite-difference gradient check: compares the gradient that {@link Tensor#backward(Tensor)}
 * computes with central differences of the same function. It is how cnn4j tests its own operations and
 * layers, and how a new operation or layer is tested: a layer as a whole with
 * {@code io.cnn4j.nn.ModuleGradCheck.check(layer, inputShape)}, a function of tensors with
 * {@link #check(Fn, Tensor...)}. A failed check throws an {@link AssertionError} (so a test framework
 * reports it as a failure) that names the worst element of each failing tensor, its analytic and
 * numeric values; {@link #report} gives the same findings as a value.
 *
 * {@snippet :
 * Tensor x = Tensor.of(new float[] {0.3f, -0.7f, 1.1f}, 3).requiresGrad(true);
 * GradCheck.check(in -> Functional.tanh(in[0]), x);
 * }
 *
 * <p>The function's output {@code y} is reduced to the scalar {@code L = sum(y * R)} with {@code R} a
 * fixed random tensor in {@code [-1, 1)} of the output's shape, so every output element (and a wrong
 * sign or a swapped index in any of them) shows in the gradient. The analytic gradient is
 * {@code y.backward(R)}; the numeric one perturbs each input element {@code x} to {@code x + eps} and
 * {@code x - eps}, recomputes {@code L} (without recording a graph) and divides by the difference of
 * the two float values actually stored, {@code (L+ - L-) / (x+ - x-)}. {@code L} is summed in double.
 * The function must compute the same thing every call: a stochastic one (dropout while training) is
 * refused, and is checked in evaluation mode.
 *
 * <p><b>Step and tolerances.</b> The operations compute in float32 (24-bit mantissa, relative rounding
 * about 6e-8), which rules out the tiny steps of a float64 gradcheck. Two errors pull in opposite
 * directions:
 * <ul>
 * <li>truncation: the central difference is off by {@code eps^2/6 * f'''}, about 2e-5 for
 *     {@code eps = 1e-2} and smooth functions such as tanh, sigmoid and exp ({@code |f'''| <= 2}); zero
 *     for the operations that are linear in each input (convolution, linear, pooling, add, sum);</li>
 * <li>rounding: each output the step touches carries a float32 error of a few 1e-7 (more for long
 *     dot products), and {@code L+ - L-} is divided by {@code 2*eps}: about 1e-5 to 1e-4 for
 *     {@code eps = 1e-2}, ten times more for {@code eps = 1e-3}.</li>
 * </ul>
 * With inputs of magnitude about 1, {@code eps = 1e-2} balances the two. An element passes when
 * {@code |analytic - numeric| <= atol + rtol * max(|analytic|, |numeric|)}. The largest differences
 * measured over cnn4j's own checks are about 2e-5 absolute (long convolution sums) and 1.2e-4 on a
 * gradient of 1 (truncation through tanh of a square); the defaults {@code atol = 1e-4},
 * {@code rtol = 2e-3} leave a margin of five or more over both, while a real mistake (a wrong index,
 * a missing term, an off-by-one divisor, a wrong sign) is off by 10% or far more.
 *
 * <p><b>Kinks.</b> Finite differences are wrong across a kink (ReLU at 0, a max-pooling window whose
 * maximum changes). Check a single operation on inputs that keep every kink farther than {@code eps}
 * from the point. A whole network has thousands of ReLUs and pooling windows, and a step in one early
 * weight moves all of them: some always cross. For that case {@link #relativeToRms(double)} adds a
 * share of the tensor's root-mean-square analytic gradient to the tolerance, so an element passes when
 * it is within that share of the tensor's typical gradient.
 *
 * <p>Inputs that do not require a gradient are constants: the check requires that they receive none.
 */
public record GradCheck(double eps, double atol, double rtol, double rmsShare, int maxElements) {
    /** Step 1e-2, tolerance 1e-4 + 2e-3 relative, every element checked. */
    public static final GradCheck DEFAULT = new GradCheck(1e-2, 1e-4, 2e-3, 0, Integer.MAX_VALUE);

    private static final long SEED = 0x6C0FFEEL;

    /** A function of the positional inputs it is checked against. */
    @FunctionalInterface
    public interface Fn {
        Tensor apply(Tensor[] inputs);
    }

    /**
     * What the check found for one tensor: its name and shape, and either a {@code problem} (it received
     * no gradient, or one it should not have) or how many of its elements were checked and failed, with
     * the worst one's coordinates, analytic and numeric values and its error as a multiple of the
     * tolerance ({@code ratio}, at most 1 when it passes).
     */
    public record Result(String name, Shape shape, String problem, int checked, int failed, int[] worstAt,
                         double analytic, double numeric, double ratio) {

        public boolean passed() {
            return problem == null && failed == 0;
        }

        @Override
        public String toString() {
            if (problem != null) {
                return name + " " + problem;
            }
            return String.format(Locale.ROOT, "%s: %d of %d checked elements out of tolerance; worst at %s: analytic %.7g,"
                    + " numeric %.7g (%.1fx the tolerance)", name, failed, checked, Arrays.toString(worstAt), analytic,
                    numeric, ratio);
        }
    }

    /** The findings of a check: one {@link Result} per tensor, in the order they were given. */
    public record Report(GradCheck settings, List<Result> results) {
        public Report {
            results = List.copyOf(results);
        }

        public boolean passed() {
            return results.stream().allMatch(Result::passed);
        }

        /** The tensor whose worst element is farthest out of tolerance (a tensor with a problem first). */
        public Optional<Result> worst() {
            return results.stream().max(Comparator.comparingDouble(r -> r.problem() != null ? Double.POSITIVE_INFINITY : r.ratio()));
        }

        /** Returns this report when every tensor passed; otherwise throws an AssertionError saying what failed. */
        public Report requirePassed() {
            if (!passed()) {
                throw new AssertionError(toString());
            }
            return this;
        }

        @Override
        public String toString() {
            List<String> lines = results.stream().filter(r -> !r.passed()).map(Result::toString).toList();
            String allowed = String.format(Locale.ROOT, "eps %s, allowed |analytic - numeric| <= %s + %s * max(|analytic|,"
                    + " |numeric|)%s", settings.eps, settings.atol, settings.rtol,
                    settings.rmsShare > 0 ? " + " + settings.rmsShare + " * the tensor's RMS gradient" : "");
            return lines.isEmpty()
                    ? "gradient check passed (" + allowed + "); worst: " + worst().map(Result::toString).orElse("none")
                    : "gradient check failed (" + allowed + "):\n  " + String.join("\n  ", lines);
        }
    }

    /** Checks {@code f} with the {@link #DEFAULT} settings; throws an AssertionError if it fails. */
    public static void check(Fn f, Tensor... inputs) {
        DEFAULT.verify(f, inputs);
    }

    public GradCheck withEps(double newEps) {
        return new GradCheck(newEps, atol, rtol, rmsShare, maxElements);
    }

    public GradCheck withTolerance(double newAtol, double newRtol) {
        return new GradCheck(eps, newAtol, newRtol, rmsShare, maxElements);
    }

    /** Adds {@code share} times the root-mean-square of each input's analytic gradient to its tolerance. */
    public GradCheck relativeToRms(double share) {
        return new GradCheck(eps, atol, rtol, share, maxElements);
    }

    /** Checks at most {@code n} elements of each input, a fixed random sample (for large parameters). */
    public GradCheck sampling(int n) {
        return new GradCheck(eps, atol, rtol, rmsShare, n);
    }

    /** Checks the gradient of {@code f} with respect to each input that requires one; throws an AssertionError if it fails. */
    public void verify(Fn f, Tensor... inputs) {
        Map<String, Tensor> named = new LinkedHashMap<>();
        for (int i = 0; i < inputs.length; i++) {
            named.put("input " + i + " " + inputs[i].shape(), inputs[i]);
        }
        verify(named, () -> f.apply(inputs));
    }

    /**
     * Checks the gradient of {@code f} with respect to named tensors it reads (for example a model's
     * parameters, which the model reads itself); throws an AssertionError if it fails.
     */
    public void verify(Map<String, Tensor> inputs, Supplier<Tensor> f) {
        report(inputs, f).requirePassed();
    }

    /**
     * Checks the gradient of {@code f} with respect to named tensors it reads, and says what it found. The
     * tensors' values are left as they were; their gradients are those of one backward pass of {@code f}.
     * Throws IllegalArgumentException when {@code f} records no graph or gives different results for the
     * same inputs.
     */
    public Report report(Map<String, Tensor> inputs, Supplier<Tensor> f) {
        for (Tensor t : inputs.values()) {
            t.setGrad(null);
        }
        Tensor out = f.get();
        if (!out.requiresGrad()) {
            throw new IllegalArgumentException("gradient check: the output does not require a gradient, so no input was"
                    + " recorded (give a parameter or an input with requiresGrad(true))");
        }
        float[] r = weights(out.size());
        double once = weightedSum(f, r);
        if (Double.compare(once, weightedSum(f, r)) != 0) {
            throw new IllegalArgumentException("gradient check: the function gave two different results for the same"
                    + " inputs; a stochastic one (dropout while training) is checked in evaluation mode");
        }
        out.backward(Tensor.of(r.clone(), out.shape()));

        List<Result> results = new ArrayList<>();
        for (var e : inputs.entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            if (!t.requiresGrad()) {
                if (t.grad() != null) {
                    results.add(problem(name, t, "does not require a gradient but received one"));
                }
                continue;
            }
            if (t.grad() == null) {
                results.add(problem(name, t, "requires a gradient but backward() gave it none"));
                continue;
            }
            results.add(compare(name, t, t.grad().toArray(), r, f));
        }
        return new Report(this, results);
    }

    private static Result problem(String name, Tensor t, String problem) {
        return new Result(name, t.shape(), problem, 0, 0, new int[0], Double.NaN, Double.NaN, Double.POSITIVE_INFINITY);
    }

    /** The comparison of input {@code t}'s analytic gradient with central differences, element by element. */
    private Result compare(String name, Tensor t, float[] analytic, float[] r, Supplier<Tensor> f) {
        float[] x = t.data();
        double floor = atol + rmsShare * rms(analytic);
        int worst = -1;
        double worstRatio = -1;
        double worstNumeric = 0;
        int failed = 0;
        int[] elements = elements(x.length);
        for (int i : elements) {
            float original = x[i];
            x[i] = (float) (original + eps);
            float up = x[i];
            double lossUp = weightedSum(f, r);
            x[i] = (float) (original - eps);
            float down = x[i];
            double lossDown = weightedSum(f, r);
            x[i] = original;
            double numeric = (lossUp - lossDown) / ((double) up - down);
            double err = Math.abs(analytic[i] - numeric);
            double ratio = err / (floor + rtol * Math.max(Math.abs(analytic[i]), Math.abs(numeric)));
            if (Double.isNaN(ratio)) {
                ratio = Double.POSITIVE_INFINITY;
            }
            if (ratio > 1) {
                failed++;
            }
            if (ratio > worstRatio) {
                worstRatio = ratio;
                worst = i;
                worstNumeric = numeric;
            }
        }
        if (worst < 0) {
            return new Result(name, t.shape(), null, 0, 0, new int[0], 0, 0, 0);
        }
        return new Result(name, t.shape(), null, elements.length, failed, t.shape().coordinates(worst), analytic[worst],
                worstNumeric, worstRatio);
    }

    private static double rms(float[] a) {
        double s = 0;
        for (float v : a) {
            s += (double) v * v;
        }
        return Math.sqrt(s / a.length);
    }

    private static double weightedSum(Supplier<Tensor> f, float[] r) {
        try (var _ = GradMode.noGrad()) {
            float[] y = f.get().data();
            double s = 0;
            for (int k = 0; k < y.length; k++) {
                s += (double) y[k] * r[k];
            }
            return s;
        }
    }

    /** The fixed weights {@code R}: uniform in [-1, 1), the same for every check of the same output size. */
    private static float[] weights(int n) {
        Rng rng = new Rng(SEED);
        float[] r = new float[n];
        for (int i = 0; i < n; i++) {
            r[i] = rng.uniform(-1, 1);
        }
        return r;
    }

    /** Indices to check: all of them, or a fixed sorted random sample of {@link #maxElements}. */
    private int[] elements(int size) {
        if (size <= maxElements) {
            int[] all = new int[size];
            Arrays.setAll(all, i -> i);
            return all;
        }
        int[] sample = Arrays.copyOf(new Rng(SEED + size).permutation(size), maxElements);
        Arrays.sort(sample);
        return sample;
    }
}
