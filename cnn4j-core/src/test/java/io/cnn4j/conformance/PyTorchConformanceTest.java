package io.cnn4j.conformance;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.cnn4j.data.Dataset;
import io.cnn4j.data.Datasets;
import io.cnn4j.io.SafeTensors;
import io.cnn4j.io.TensorFile;
import io.cnn4j.kernel.CpuKernels;
import io.cnn4j.kernel.Kernels;
import io.cnn4j.kernel.ReferenceKernels;
import io.cnn4j.loss.Losses;
import io.cnn4j.models.Models;
import io.cnn4j.nn.Sequential;
import io.cnn4j.optim.Adam;
import io.cnn4j.optim.AdamW;
import io.cnn4j.optim.Optimizer;
import io.cnn4j.optim.Sgd;
import io.cnn4j.tensor.Execution;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * cnn4j's training steps against PyTorch's, to float32 rounding. The fixtures beside the test resources
 * ({@code io/cnn4j/conformance/MODEL.safetensors}, written by {@code make_fixtures.py} with torch 1.13.1 on the
 * CPU in float32; see the README there) hold, for the built-in models {@code seed} and {@code lenet5}: the
 * initial weights, three batches of 20 real Fashion-MNIST images (by index into the embedded subset), and for
 * four optimizer configurations (SGD lr 0.1; SGD lr 0.1 with Nesterov momentum 0.9 and weight decay 1e-4;
 * Adam lr 1e-3; AdamW lr 1e-3 with weight decay 0.01) the loss of every step, the gradients of the first
 * backward pass and the parameters after every step. For {@code bn} (batch norm in training mode, its dropout
 * in evaluation mode) the same for SGD and Adam, with its running statistics and batch counters after every
 * step, the first 8 rows only of its 3136x128 layer, and its large parameters after the last step only. Each configuration is replayed here with
 * {@link Losses#crossEntropy}, {@code backward()} and {@code Optimizer.step()} under {@link ReferenceKernels}
 * and under {@link CpuKernels} with 1 and 2 threads, and every value is compared.
 *
 * <h2>Tolerances</h2>
 * Neither side is exact: PyTorch runs the convolutions on oneDNN and the linear layers on OpenBLAS, cnn4j on
 * its own loops, and each sums in its own order. The fixture script measured how far PyTorch's float32
 * results are from the same steps run in float64 (metadata {@code float32_noise}): losses to 3.9e-7
 * absolute (1.6 ulps of 2.3), first gradients to 1.4e-6 of each tensor's largest magnitude, SGD parameters
 * to 1e-6. cnn4j's float32 error is of the same kind and size, so the two may differ by about the sum of
 * both. The bounds are 5 to 30 times the largest discrepancy observed between cnn4j and PyTorch (the
 * README has the numbers) and far below what a real mistake produces: ignoring Nesterov, coupling AdamW's
 * decay, putting eps inside Adam's square root or letting ReLU's backward pass through zeros each moved a
 * loss by 1e-4 to 2.6, tens to 400,000 times its bound, and even a tenfold eps was caught in the parameters.
 * <ul>
 *   <li><b>Losses</b>: {@value #LOSS_RTOL} relative (about 10 ulps of a loss near 2.3). The loss of step t
 *       is computed from the parameters after step t-1, so it also checks those through the whole forward
 *       pass.</li>
 *   <li><b>Gradients</b> (first backward): {@value #GRAD_RTOL} times the largest magnitude in the same
 *       tensor. An element-wise relative bound would be wrong: a gradient element is a sum of up to
 *       576 x 20 products of both signs; where it nearly cancels its relative error is unbounded while its
 *       absolute error stays at the scale of the terms, for which the tensor's maximum stands.</li>
 *   <li><b>SGD parameters</b>: {@value #PARAM_RTOL} of the tensor's largest parameter (a few ulps of the
 *       parameters themselves) plus {@value #SGD_UPDATE_RTOL} of the largest total change since the initial
 *       weights: SGD's update is linear in the gradient, so the gradient bound carries over to
 *       {@code lr * sum of gradients}, with a factor 2 for momentum and for the later steps' gradients,
 *       which also feel the earlier steps' differences.</li>
 *   <li><b>Adam and AdamW parameters</b>: the same few ulps plus, per element, a bound in units of lr.
 *       Adam's update {@code lr * mhat / (sqrt(vhat) + eps)} is about {@code lr * sign(g)} whatever the
 *       gradient's size, so its error is not proportional to anything in the parameter: a gradient error
 *       {@code d} changes it by at most about {@code lr * (1 + sqrt(t)) * d / (sqrt(vhat) + eps)} (mhat's
 *       error plus vhat's, for t steps with beta2 near 1), and never by more than 2 lr per step (two updates
 *       of at most lr each, opposite ways). Where the gradient is at the rounding-noise level (|g| near eps,
 *       a sum that cancels to +1e-9 in one summation order and -1e-9 in another) that is a visible fraction
 *       of lr, legitimately: lenet5's {@code 9.weight[12, 84]} has |g| = 1.5e-9 and its step-1 update differs
 *       by 6.6e-3 lr between PyTorch and cnn4j's reference kernels (and by 6.9e-3 lr between PyTorch's own
 *       float32 and float64 runs). Everywhere else the bound is tight. So each element's bound is lr times the
 *       sum over the steps so far of {@code min(}{@value #ADAM_MAX_STEP_DIFF}{@code ,}
 *       {@value #ADAM_SENSITIVITY}{@code  * tau / (sqrt(vhat) + eps)) + }{@value #ADAM_LR_FLOOR}, with tau
 *       the gradient bound above and vhat worked out in double from cnn4j's own gradients; the last term
 *       covers the half-dozen roundings of the update itself.</li>
 *   <li><b>Buffers</b> (running statistics, batch counters): {@value #BUFFER_RTOL} of the tensor's largest
 *       magnitude: they follow the batch statistics, which carry the activations' rounding.</li>
 *   <li><b>Rounding-noise gradients.</b> In {@code bn} each convolution's bias is followed by a batch norm, which
 *       cancels it: its true gradient is zero, and both libraries compute rounding noise (PyTorch's float32
 *       value is further from its float64 one than its own size; the fixture's {@code float32_noise} says so).
 *       Such a gradient is only checked to be noise-sized ({@value #NOISE_FACTOR} x PyTorch's largest). The
 *       parameter moves by noise too: under SGD cnn4j's movement is checked to be noise-sized, under Adam
 *       (which turns any noise into a step of about lr) the bound is the 2 lr per step two opposite steps
 *       make, which a 3-step run comes within 1% of, as PyTorch's own float32 and float64 runs do. The batch
 *       norm after such a bias does not cancel it in its running mean, which the two sides' bias differences
 *       move by {@code momentum x difference} per step; cnn4j's running mean is corrected by exactly that
 *       before it is compared, so what is compared is the batch statistics' rounding.</li>
 * </ul>
 * A failure lists, for every check out of bounds, its worst element: the tensor's name and step, the
 * element's index, PyTorch's value, cnn4j's value, the difference and the bound. With
 * {@code -Dcnn4j.conformance.report=true} the test prints the worst element of every check, in or out of
 * bounds (that is how the README's table was made); otherwise it prints nothing.
 *
 * <p>It also checks the determinism claim of {@link CpuKernels}: 1 and 2 threads give bitwise identical
 * losses, gradients and parameters at every step (batches of 20 images, so the weight gradients are split
 * into tasks of 8, 8 and 4 images).
 */
class PyTorchConformanceTest {
    static final double LOSS_RTOL = 1e-6;
    static final double GRAD_RTOL = 1e-5;
    static final double PARAM_RTOL = 1e-6;
    static final double SGD_UPDATE_RTOL = 2e-5;
    static final double ADAM_SENSITIVITY = 4;
    static final double ADAM_MAX_STEP_DIFF = 2;
    static final double ADAM_LR_FLOOR = 1e-5;

    static final double BUFFER_RTOL = 1e-5;
    static final double NOISE_FACTOR = 100;
    /** The momentum of bn's batch norms, PyTorch's default. */
    static final double BN_MOMENTUM = 0.1;

    private static final List<String> MODELS = List.of("seed", "lenet5", "bn");
    private static final boolean REPORT = Boolean.getBoolean("cnn4j.conformance.report");
    private static final Map<String, Fixture> FIXTURES = new ConcurrentHashMap<>();
    private static volatile Dataset trainSet;

    /** The kernels to replay with; each is created fresh for one run and closed after it. */
    private enum KernelChoice {
        REFERENCE("reference", ReferenceKernels::new),
        CPU_1("cpu-1-thread", () -> new CpuKernels(1)),
        CPU_2("cpu-2-threads", () -> new CpuKernels(2));

        final String label;
        final Supplier<Kernels> factory;

        KernelChoice(String label, Supplier<Kernels> factory) {
            this.label = label;
            this.factory = factory;
        }
    }

    @TestFactory
    Stream<DynamicTest> trainingStepsMatchPyTorch() {
        return MODELS.stream().flatMap(model -> configs(model).flatMap(config -> Arrays.stream(KernelChoice.values())
                .map(kernels -> DynamicTest.dynamicTest(model + " " + config + " " + kernels.label,
                        () -> assertMatchesPyTorch(fixture(model), config, kernels)))));
    }

    @TestFactory
    Stream<DynamicTest> cpuKernelsAreBitwiseIdenticalForOneAndTwoThreads() {
        return MODELS.stream().flatMap(model -> configs(model).map(config -> DynamicTest.dynamicTest(model + " " + config,
                () -> {
                    Fixture f = fixture(model);
                    Run one = replay(f, config, KernelChoice.CPU_1);
                    Run two = replay(f, config, KernelChoice.CPU_2);
                    String what = model + " " + config + ", 1 vs 2 threads: ";
                    assertArrayEquals(bits(one.losses), bits(two.losses), what + "losses");
                    for (int t = 0; t < one.grads.size(); t++) {
                        int step = t + 1;
                        one.grads.get(t).forEach((name, g) -> assertArrayEquals(bits(g),
                                bits(two.grads.get(step - 1).get(name)), what + "gradient of " + name + " in step " + step));
                    }
                    for (int t = 0; t < one.params.size(); t++) {
                        int step = t + 1;
                        one.params.get(t).forEach((name, p) -> assertArrayEquals(bits(p),
                                bits(two.params.get(step - 1).get(name)), what + name + " after step " + step));
                    }
                })));
    }

    /** The optimizer configurations a model's fixture was made with. */
    private static Stream<String> configs(String model) {
        return fixture(model).configs.keySet().stream();
    }

    // ---------------------------------------------------------------- the comparison

    private static void assertMatchesPyTorch(Fixture f, String config, KernelChoice kernels) {
        Run run = replay(f, config, kernels);
        JsonObject cfg = f.configs.getAsJsonObject(config);
        boolean adam = cfg.get("optimizer").getAsString().startsWith("Adam");
        double lr = cfg.get("lr").getAsDouble();
        String where = f.model + " " + config + " " + kernels.label;
        List<Worst> worst = new ArrayList<>();

        float[] expectedLosses = f.tensor(config + "/loss").data();
        assertEquals(f.steps, expectedLosses.length, where + ": losses in the fixture");
        for (int t = 0; t < f.steps; t++) {
            worst.add(Worst.of("loss of step " + (t + 1), new int[0], new float[] {expectedLosses[t]},
                    new float[] {run.losses[t]}, same(1, LOSS_RTOL * Math.abs(expectedLosses[t])), "rel " + LOSS_RTOL, 0));
        }
        for (var e : run.firstGrads().entrySet()) {
            String name = e.getKey();
            Tensor expected = f.tensor("grad/" + name);
            float[] actual = f.kept(name, e.getValue());
            if (f.isNoise(name)) {
                worst.add(Worst.of("grad " + name + " (rounding noise in PyTorch too)", expected.dims(), expected.data(), actual,
                        same(expected.size(), NOISE_FACTOR * maxAbs(expected.data())), NOISE_FACTOR + " x max|grad|", 0));
            } else {
                worst.add(Worst.of("grad " + name, expected.dims(), expected.data(), actual,
                        same(expected.size(), GRAD_RTOL * maxAbs(expected.data())), GRAD_RTOL + " x max|grad|", 0));
            }
        }
        String first = run.params.get(0).keySet().iterator().next();
        assertTrue(f.file.tensors().containsKey(config + "/step" + f.steps + "/" + first),
                where + ": the fixture must hold the last step's parameters");
        for (String name : run.params.get(0).keySet()) {
            boolean buffer = !run.firstGrads().containsKey(name);
            double[][] adamBounds = adam && !buffer ? adamBounds(cfg, name, f, run) : null;
            float[] initial = f.tensor("init/" + name).data();
            for (int t = 1; t <= f.steps; t++) {
                String key = config + "/step" + t + "/" + name;
                if (!f.file.tensors().containsKey(key)) {
                    continue; // a fixture that records fewer steps; the losses still cover every step
                }
                Tensor expected = f.tensor(key);
                double[] bound;
                String rule;
                float[] actual = run.params.get(t - 1).get(name);
                if (buffer) {
                    // Running statistics follow the batch statistics, which carry the activations' rounding.
                    actual = bufferAsCompared(f, config, run, name, t);
                    bound = same(expected.size(), BUFFER_RTOL * maxAbs(expected.data()));
                    rule = BUFFER_RTOL + " x max|buffer|";
                } else if (f.isNoise(name) && !adam) {
                    // Both sides move it by lr times rounding noise: only the size of cnn4j's movement is checked.
                    bound = same(expected.size(), PARAM_RTOL * maxAbs(expected.data())
                            + (1 + NOISE_FACTOR) * maxAbsDiff(expected.data(), initial));
                    rule = PARAM_RTOL + " x max|p| + " + (1 + NOISE_FACTOR) + " x max|p - p0| (a noise gradient)";
                } else if (adam) {
                    bound = adamBounds[t - 1];
                    double ulps = PARAM_RTOL * maxAbs(expected.data());
                    for (int i = 0; i < bound.length; i++) {
                        bound[i] += ulps;
                    }
                    rule = PARAM_RTOL + " x max|p| + lr x Adam sensitivity";
                } else {
                    bound = same(expected.size(), PARAM_RTOL * maxAbs(expected.data())
                            + SGD_UPDATE_RTOL * maxAbsDiff(expected.data(), initial));
                    rule = PARAM_RTOL + " x max|p| + " + SGD_UPDATE_RTOL + " x max|p - p0|";
                }
                worst.add(Worst.of(name + " after step " + t, expected.dims(), expected.data(), f.kept(name, actual),
                        Arrays.copyOf(bound, expected.size()), rule, adam && !buffer ? lr : 0));
            }
        }

        if (REPORT) {
            StringBuilder sb = new StringBuilder("[conformance] ").append(where).append('\n');
            worst.forEach(w -> sb.append("    ").append(w).append('\n'));
            System.out.print(sb);
        }
        List<Worst> failed = worst.stream().filter(w -> !w.ok()).toList();
        if (!failed.isEmpty()) {
            StringBuilder sb = new StringBuilder(where + ": " + failed.size() + " of " + worst.size()
                    + " checks differ from PyTorch by more than float32 rounding (the worst element of each):\n");
            failed.forEach(w -> sb.append("  ").append(w).append('\n'));
            throw new AssertionError(sb.toString());
        }
    }

    /**
     * The part of the bound on each parameter after each Adam step that comes from the update (see the class
     * comment): lr x the sum over the steps so far of
     * {@code min(ADAM_MAX_STEP_DIFF, ADAM_SENSITIVITY * tau / (sqrt(vhat) + eps)) + ADAM_LR_FLOOR}, where tau
     * is the gradient bound of that step ({@value #GRAD_RTOL} x the largest gradient magnitude of the tensor)
     * and vhat the bias-corrected second moment, worked out here in double from cnn4j's gradients.
     */
    private static double[][] adamBounds(JsonObject cfg, String name, Fixture f, Run run) {
        double lr = cfg.get("lr").getAsDouble();
        double beta2 = cfg.getAsJsonArray("betas").get(1).getAsDouble();
        double eps = cfg.get("eps").getAsDouble();
        boolean decoupled = cfg.get("optimizer").getAsString().equals("AdamW");
        double weightDecay = decoupled || !cfg.has("weight_decay") ? 0 : cfg.get("weight_decay").getAsDouble();
        int n = f.tensor("init/" + name).size();
        double[] v = new double[n];
        double[] sum = new double[n];
        double[][] bounds = new double[f.steps][n];
        for (int t = 1; t <= f.steps; t++) {
            float[] g = run.grads.get(t - 1).get(name);
            float[] before = t == 1 ? f.tensor("init/" + name).data() : run.params.get(t - 2).get(name);
            // A gradient that is rounding noise (a bias batch norm cancels) is uncertain by its whole size.
            double tau = f.isNoise(name) ? maxAbs(g) : GRAD_RTOL * maxAbs(g);
            double correction = 1 - Math.pow(beta2, t);
            for (int i = 0; i < n; i++) {
                double gi = g[i] + weightDecay * before[i];
                v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
                double denominator = Math.sqrt(v[i] / correction) + eps;
                sum[i] += Math.min(ADAM_MAX_STEP_DIFF, ADAM_SENSITIVITY * tau / denominator) + ADAM_LR_FLOOR;
                bounds[t - 1][i] = lr * sum[i];
            }
        }
        return bounds;
    }

    /**
     * cnn4j's value of a buffer after step {@code t}, made comparable. The running mean of a batch norm that follows a
     * bias whose gradient is rounding noise (a convolution's bias, which the norm cancels in its output but not in
     * its mean) differs between the two sides by what their differences in that bias moved it: per channel,
     * {@code sum over steps s <= t of momentum (1 - momentum)^(t-s) (pytorch's - cnn4j's bias before step s)}. That
     * is added to cnn4j's value, so what remains to compare is the batch statistics' rounding.
     */
    private static float[] bufferAsCompared(Fixture f, String config, Run run, String name, int t) {
        float[] actual = run.params.get(t - 1).get(name).clone();
        String layer = name.substring(0, name.indexOf('.'));
        String bias = layer.matches("\\d+") ? (Integer.parseInt(layer) - 1) + ".bias" : "";
        if (!name.endsWith(".running_mean") || !f.isNoise(bias)) {
            return actual;
        }
        for (int s = 2; s <= t; s++) {
            float[] pytorch = f.tensor(config + "/step" + (s - 1) + "/" + bias).data();
            float[] cnn4j = run.params.get(s - 2).get(bias);
            double weight = BN_MOMENTUM * Math.pow(1 - BN_MOMENTUM, t - s);
            for (int c = 0; c < actual.length; c++) {
                actual[c] += (float) (weight * ((double) pytorch[c] - cnn4j[c]));
            }
        }
        return actual;
    }

    private static double[] same(int n, double value) {
        double[] a = new double[n];
        Arrays.fill(a, value);
        return a;
    }

    /** The element of one tensor that is furthest out of (or, when all are in, closest to) its bound. */
    private record Worst(String name, int[] dims, int index, float expected, float actual, double bound, String rule,
                         double lr, int largestIndex, double largestDiff) {
        static Worst of(String name, int[] dims, float[] expected, float[] actual, double[] bounds, String rule, double lr) {
            if (expected.length != actual.length) {
                throw new AssertionError(name + ": PyTorch has " + expected.length + " elements, cnn4j " + actual.length);
            }
            int worst = 0;
            double worstRatio = -1;
            int largest = 0;
            double largestDiff = -1;
            for (int i = 0; i < expected.length; i++) {
                double d = diff(expected[i], actual[i]);
                double ratio = d == 0 ? 0 : d / bounds[i];
                if (ratio > worstRatio) {
                    worstRatio = ratio;
                    worst = i;
                }
                if (d > largestDiff) {
                    largestDiff = d;
                    largest = i;
                }
            }
            return new Worst(name, dims, worst, expected[worst], actual[worst], bounds[worst], rule, lr, largest,
                    largestDiff);
        }

        private static double diff(float expected, float actual) {
            double d = Math.abs((double) expected - actual);
            return Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
        }

        boolean ok() {
            return diff(expected, actual) <= bound;
        }

        /** A flat index as a multi-index of the tensor's shape. */
        private String at(int flat) {
            if (dims.length == 0) {
                return "";
            }
            int[] idx = new int[dims.length];
            int rest = flat;
            for (int d = dims.length - 1; d >= 0; d--) {
                idx[d] = rest % dims[d];
                rest /= dims[d];
            }
            return " " + Arrays.toString(idx);
        }

        @Override
        public String toString() {
            double d = diff(expected, actual);
            String text = String.format(Locale.ROOT,
                    "%s%s: pytorch %s, cnn4j %s, |diff| %.3g%s, bound %.3g (%s), %.3f of the bound",
                    name, at(index), Float.toString(expected), Float.toString(actual), d, inLr(d), bound, rule, d / bound);
            return largestIndex == index ? text : text + String.format(Locale.ROOT, "; largest |diff| %.3g%s at%s",
                    largestDiff, inLr(largestDiff), at(largestIndex));
        }

        private String inLr(double d) {
            return lr > 0 ? String.format(Locale.ROOT, " = %.3g lr", d / lr) : "";
        }
    }

    // ---------------------------------------------------------------- the replay

    /** What cnn4j computed: the loss of, the gradients of and the parameters after each step. */
    private record Run(float[] losses, List<Map<String, float[]>> grads, List<Map<String, float[]>> params) {
        Map<String, float[]> firstGrads() {
            return grads.get(0);
        }
    }

    private static Run replay(Fixture f, String config, KernelChoice choice) {
        Kernels kernels = choice.factory.get();
        try {
            return Execution.call(kernels, () -> replayOn(f, config));
        } finally {
            if (kernels instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static Run replayOn(Fixture f, String config) {
        Sequential model = Models.create(f.model);
        f.evalLayers.forEach(i -> model.get(i).eval());
        model.loadStateDict(f.withPrefix("init/"));
        Map<String, Tensor> named = model.namedParameters();
        Optimizer optimizer = optimizer(f.configs.getAsJsonObject(config), model.parameters());
        Dataset data = trainSet();
        float[] losses = new float[f.steps];
        List<Map<String, float[]>> grads = new ArrayList<>();
        List<Map<String, float[]>> params = new ArrayList<>();
        for (int t = 0; t < f.steps; t++) {
            int[] indices = f.batchIndices[t];
            int[] labels = new int[indices.length];
            for (int i = 0; i < indices.length; i++) {
                labels[i] = data.label(indices[i]);
            }
            assertArrayEquals(f.batchLabels[t], labels, f.model + ": labels of batch " + t + " in the embedded subset");
            optimizer.zeroGrad();
            Tensor loss = Losses.crossEntropy(model.forward(data.batch(indices)), labels);
            losses[t] = loss.item();
            loss.backward();
            Map<String, float[]> g = new LinkedHashMap<>();
            named.forEach((name, p) -> g.put(name, p.grad().toArray()));
            grads.add(g);
            optimizer.step();
            Map<String, float[]> after = new LinkedHashMap<>();
            model.stateDict().forEach((name, p) -> after.put(name, p.toArray()));
            params.add(after);
        }
        return new Run(losses, grads, params);
    }

    private static Optimizer optimizer(JsonObject c, List<Tensor> params) {
        double lr = c.get("lr").getAsDouble();
        double weightDecay = c.has("weight_decay") ? c.get("weight_decay").getAsDouble() : 0;
        return switch (c.get("optimizer").getAsString()) {
            case "SGD" -> new Sgd(params, lr, num(c, "momentum"), num(c, "dampening"), weightDecay,
                    c.has("nesterov") && c.get("nesterov").getAsBoolean());
            case "Adam", "AdamW" -> {
                JsonArray betas = c.getAsJsonArray("betas");
                double b1 = betas.get(0).getAsDouble();
                double b2 = betas.get(1).getAsDouble();
                double eps = c.get("eps").getAsDouble();
                yield c.get("optimizer").getAsString().equals("Adam")
                        ? new Adam(params, lr, b1, b2, eps, weightDecay)
                        : new AdamW(params, lr, b1, b2, eps, weightDecay);
            }
            default -> throw new IllegalArgumentException("unknown optimizer in the fixture: " + c);
        };
    }

    private static double num(JsonObject c, String key) {
        return c.has(key) ? c.get(key).getAsDouble() : 0;
    }

    // ---------------------------------------------------------------- fixtures

    /**
     * One fixture file. {@code rowsKept}: tensors of which only the first rows are stored (in {@code grad/} and
     * {@code CONFIG/stepT/}); {@code evalLayers}: layers run in evaluation mode; {@code gradNoise}: PyTorch's own
     * float32 error of each first gradient relative to its size (from {@code float32_noise}).
     */
    private record Fixture(String model, TensorFile file, int steps, int[][] batchIndices, int[][] batchLabels,
                           JsonObject configs, Map<String, Integer> rowsKept, List<Integer> evalLayers,
                           Map<String, Double> gradNoise) {
        /** The part of {@code values} the fixture stores: all, or the first rows of a tensor it keeps rows of. */
        float[] kept(String name, float[] values) {
            Integer rows = rowsKept.get(name);
            if (rows == null) {
                return values;
            }
            int rowSize = tensor("init/" + name).shape().sizeFrom(1);
            return Arrays.copyOf(values, rows * rowSize);
        }

        /**
         * Whether PyTorch's own float32 gradient of {@code name} is rounding noise: further from its float64 value
         * than that value's size, as for the bias of a convolution that a batch norm follows (its true gradient
         * is zero). Only its size can then be compared.
         */
        boolean isNoise(String name) {
            return gradNoise.getOrDefault(name, 0.0) > 1;
        }

        Tensor tensor(String name) {
            Tensor t = file.tensors().get(name);
            if (t == null) {
                throw new AssertionError(model + ".safetensors has no tensor " + name);
            }
            return t;
        }

        Map<String, Tensor> withPrefix(String prefix) {
            Map<String, Tensor> out = new LinkedHashMap<>();
            file.tensors().forEach((name, t) -> {
                if (name.startsWith(prefix)) {
                    out.put(name.substring(prefix.length()), t);
                }
            });
            return out;
        }
    }

    private static Fixture fixture(String model) {
        return FIXTURES.computeIfAbsent(model, m -> {
            URL url = PyTorchConformanceTest.class.getResource(m + ".safetensors");
            if (url == null) {
                throw new AssertionError("missing test resource io/cnn4j/conformance/" + m + ".safetensors");
            }
            try {
                TensorFile file = SafeTensors.read(Path.of(url.toURI()));
                Map<String, String> meta = file.metadata();
                int steps = Integer.parseInt(meta.get("steps"));
                int[][] indices = intRows(meta.get("batch_indices"));
                int[][] labels = intRows(meta.get("batch_labels"));
                assertEquals(steps, indices.length, m + ": one batch per step");
                JsonObject configs = JsonParser.parseString(meta.get("configs")).getAsJsonObject();
                Map<String, Integer> rowsKept = new LinkedHashMap<>();
                if (meta.containsKey("rows_kept")) {
                    JsonParser.parseString(meta.get("rows_kept")).getAsJsonObject().entrySet()
                            .forEach(e -> rowsKept.put(e.getKey(), e.getValue().getAsInt()));
                }
                List<Integer> evalLayers = meta.containsKey("eval_layers") ? Arrays.stream(intRows("[" + meta.get("eval_layers")
                        + "]")[0]).boxed().toList() : List.of();
                Map<String, Double> gradNoise = new LinkedHashMap<>();
                JsonParser.parseString(meta.get("float32_noise")).getAsJsonObject().getAsJsonObject("grad").entrySet()
                        .forEach(e -> gradNoise.put(e.getKey(), e.getValue().getAsDouble()));
                return new Fixture(m, file, steps, indices, labels, configs, rowsKept, evalLayers, gradNoise);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static Dataset trainSet() {
        if (trainSet == null) {
            try {
                trainSet = Datasets.embedded().train();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return trainSet;
    }

    private static int[][] intRows(String json) {
        JsonArray rows = JsonParser.parseString(json).getAsJsonArray();
        int[][] out = new int[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            JsonArray row = rows.get(i).getAsJsonArray();
            out[i] = new int[row.size()];
            int j = 0;
            for (JsonElement e : row) {
                out[i][j++] = e.getAsInt();
            }
        }
        return out;
    }

    private static double maxAbs(float[] a) {
        double m = 0;
        for (float v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }

    private static int[] bits(float[] a) {
        int[] out = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = Float.floatToRawIntBits(a[i]);
        }
        return out;
    }
}
