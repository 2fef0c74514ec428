package io.cnn4j.nn;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.cnn4j.autograd.Functional;
import io.cnn4j.kernel.ConvAlgorithm;
import io.cnn4j.kernel.CpuKernels;
import io.cnn4j.kernel.Kernels;
import io.cnn4j.kernel.ReferenceKernels;
import io.cnn4j.loss.Losses;
import io.cnn4j.models.Models;
import io.cnn4j.tensor.Execution;
import io.cnn4j.tensor.GradMode;
import io.cnn4j.tensor.Golden;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.TensorAssert;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The new layers against PyTorch 1.13, from {@code golden/layers_golden.json} (made by
 * {@code golden/layers_golden.py} beside it, with the PyTorch modules of {@code cnn4j_modules.py}):
 * {@link BatchNorm1d} and {@link BatchNorm2d} in training and evaluation mode, with and without affine
 * parameters and running statistics, fused with a ReLU (output, gradients and the running statistics
 * after the pass); {@link Conv2d} with groups; {@link ConvTranspose2d} as a decoder uses it and with groups; {@link AdaptiveAvgPool2d}; {@link Functional#concat}; the
 * state dicts of the models {@code bn} and {@code resnet}; and a whole training-mode pass of
 * {@code resnet}.
 */
class LayersGoldenTest {
    private static final String FILE = "layers_golden.json";
    /**
     * Tolerance of the whole resnet, per tensor: {@value} of the tensor's largest magnitude. Seven convolutions
     * and seven batch norms deep, whose backward pass subtracts nearly equal terms (the batch's mean gradient
     * and its projection on the normalised input, over as few as 98 values per channel), float32 rounding
     * compounds; an element-wise relative bound means nothing where such sums cancel. A wrong gradient is off
     * by its own magnitude. The weights and images are hashed values, not the sin formula of the other cases:
     * on the formula's patterns some pre-activations sat so near a ReLU's kink that a change of summation
     * order (a faster kernel) flipped them and moved the stem's gradient by 2% of its scale. Every
     * convolution path now passes.
     */
    private static final double MODEL_SCALE_TOLERANCE = 2e-4;

    @TestFactory
    Stream<DynamicTest> layersMatchPyTorch() {
        return Golden.opCases(FILE, Set.of("batchNorm", "conv2d", "adaptiveAvgPool2d", "concat",
                "convTranspose2d"), LayersGoldenTest::compute);
    }

    /**
     * Builds the layer for the case, loads the case's parameters and statistics into it and runs it; the layer's
     * own parameters then stand for {@code w} and {@code b}, so their gradients are compared.
     */
    private static Tensor compute(JsonObject c, Map<String, Tensor> in) {
        JsonObject args = c.getAsJsonObject("args");
        return switch (c.get("op").getAsString()) {
            case "batchNorm" -> batchNorm(c, args, in);
            case "conv2d" -> {
                Tensor w = in.get("w");
                Conv2d conv = new Conv2d(Conv2dConfig.of(in.get("x").dim(1), w.dim(0), w.dim(2))
                        .stride(Golden.intArg(args, "stride")).padding(Golden.intArg(args, "padding"))
                        .groups(Golden.intArg(args, "groups")).bias(in.containsKey("b")));
                Map<String, Tensor> state = new LinkedHashMap<>();
                state.put("weight", w);
                if (in.containsKey("b")) {
                    state.put("bias", in.get("b"));
                }
                conv.loadStateDict(state);
                in.put("w", conv.weight());
                in.computeIfPresent("b", (k, v) -> conv.bias());
                yield conv.forward(in.get("x"));
            }
            case "convTranspose2d" -> {
                Tensor w = in.get("w");
                int groups = Golden.intArg(args, "groups");
                ConvTranspose2d layer = new ConvTranspose2d(ConvTranspose2dConfig.of(w.dim(0), w.dim(1) * groups, w.dim(2), w.dim(3))
                        .stride(Golden.intArg(args, "stride")).padding(Golden.intArg(args, "padding"))
                        .outputPadding(Golden.intArg(args, "output_padding")).groups(groups)
                        .dilation(Golden.intArg(args, "dilation")).bias(in.containsKey("b")));
                Map<String, Tensor> state = new LinkedHashMap<>();
                state.put("weight", w);
                if (in.containsKey("b")) {
                    state.put("bias", in.get("b"));
                }
                layer.loadStateDict(state);
                in.put("w", layer.weight());
                in.computeIfPresent("b", (k, v) -> layer.bias());
                yield layer.forward(in.get("x"));
            }
            case "adaptiveAvgPool2d" -> new AdaptiveAvgPool2d(Golden.intArg(args, "output_size")).forward(in.get("x"));
            case "concat" -> Functional.concat(new ArrayList<>(in.values()));
            default -> throw new IllegalArgumentException("no computation for op " + c.get("op"));
        };
    }

    private static Tensor batchNorm(JsonObject c, JsonObject args, Map<String, Tensor> in) {
        Tensor x = in.get("x");
        BatchNormConfig config = BatchNormConfig.of(x.dim(1)).momentum(args.get("momentum").getAsDouble())
                .eps(args.get("eps").getAsDouble()).affine(in.containsKey("w")).trackRunningStats(in.containsKey("running_mean"));
        BatchNorm bn = x.rank() == 4 ? new BatchNorm2d(config) : new BatchNorm1d(config);
        Map<String, Tensor> state = new LinkedHashMap<>();
        if (config.affine()) {
            state.put("weight", in.get("w"));
            state.put("bias", in.get("b"));
        }
        if (config.trackRunningStats()) {
            state.put("running_mean", in.get("running_mean"));
            state.put("running_var", in.get("running_var"));
            state.put("num_batches_tracked", Tensor.scalar(0f));
        }
        bn.loadStateDict(state);
        in.computeIfPresent("w", (k, v) -> bn.weight());
        in.computeIfPresent("b", (k, v) -> bn.bias());
        Module layer = args.get("relu").getAsBoolean() ? new Sequential(bn, new ReLU()) : bn;
        layer.train(args.get("training").getAsBoolean());
        Tensor y = layer.forward(x);
        String name = c.get("name").getAsString();
        JsonObject expected = c.getAsJsonObject("expected");
        if (config.trackRunningStats()) {
            for (String stat : List.of("running_mean", "running_var")) {
                Tensor t = bn.stateDict().get(stat);
                TensorAssert.assertClose(name + ": " + stat, t.shape(), Golden.floats(expected.getAsJsonArray(stat)), t.data(),
                        Golden.ATOL, Golden.RTOL);
            }
            assertEquals(layer.isTraining() ? 1 : 0, bn.numBatchesTracked(), name + ": num_batches_tracked");
        }
        return y;
    }

    /**
     * {@code momentum=None}: four training-mode passes move the running statistics to the plain average of the
     * four batches', PyTorch's after each pass, and evaluation mode normalises by them.
     */
    @ParameterizedTest
    @ValueSource(strings = {"BatchNorm1d", "BatchNorm2d"})
    void cumulativeRunningStatisticsAreThoseOfPyTorch(String type) {
        JsonObject golden = Golden.load(FILE).getAsJsonObject("cumulative_batch_norm").getAsJsonObject(type);
        var steps = golden.getAsJsonArray("steps");
        int features = Golden.tensor(steps.get(0).getAsJsonObject().getAsJsonObject("x")).dim(1);
        BatchNormConfig config = BatchNormConfig.of(features).cumulativeAverage();
        BatchNorm bn = type.equals("BatchNorm1d") ? new BatchNorm1d(config) : new BatchNorm2d(config);
        Tensor x = null;
        for (int i = 0; i < steps.size(); i++) {
            JsonObject step = steps.get(i).getAsJsonObject();
            x = Golden.tensor(step.getAsJsonObject("x"));
            try (var ignored = GradMode.noGrad()) {
                bn.forward(x);
            }
            for (String stat : List.of("running_mean", "running_var")) {
                Tensor t = bn.stateDict().get(stat);
                TensorAssert.assertClose(type + " step " + (i + 1) + ": " + stat, t.shape(), Golden.floats(step.getAsJsonArray(stat)),
                        t.data(), Golden.ATOL, Golden.RTOL);
            }
        }
        assertEquals(golden.get("num_batches_tracked").getAsLong(), bn.numBatchesTracked());
        bn.eval();
        Tensor out = bn.forward(x);
        TensorAssert.assertClose(type + " in evaluation mode", out.shape(), Golden.floats(golden.getAsJsonArray("eval_out")),
                out.data(), Golden.ATOL, Golden.RTOL);
        assertEquals(type + "(" + features + ", momentum=None)", bn.toString());
    }

    /** Every tensor of {@code bn} and {@code resnet} with PyTorch's name, shape and order, counters as int64. */
    @ParameterizedTest
    @ValueSource(strings = {"bn", "resnet"})
    void stateDictsAreThoseOfPyTorch(String name) {
        List<String> expected = new ArrayList<>();
        for (JsonElement e : Golden.load(FILE).getAsJsonObject("models").getAsJsonArray(name)) {
            JsonObject t = e.getAsJsonObject();
            expected.add(t.get("name").getAsString() + " " + t.get("shape") + " " + t.get("dtype").getAsString());
        }
        Module model = Models.create(name);
        Set<String> counters = model.countBufferNames();
        List<String> actual = new ArrayList<>();
        model.stateDict().forEach((key, t) -> actual.add(key + " " + Arrays.toString(t.dims()).replace(" ", "") + " "
                + (counters.contains(key) ? "int64" : "float32")));
        assertEquals(expected, actual);
    }

    /** Every convolution path, each summing in its own order: the golden values must not hang on one order. */
    @ParameterizedTest
    @ValueSource(strings = {"reference", "AUTO", "IM2COL", "DIRECT", "WINOGRAD"})
    void resnetMatchesPyTorch(String kernels) throws Exception {
        Kernels k = kernels.equals("reference") ? new ReferenceKernels() : new CpuKernels(2, ConvAlgorithm.valueOf(kernels));
        try {
            Execution.run(k, LayersGoldenTest::checkResnet);
        } finally {
            if (k instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }

    private static void checkResnet() {
        JsonObject golden = Golden.load(FILE).getAsJsonObject("resnet");
        Sequential model = Models.create("resnet", new Rng(0));  // the weights are the golden ones, set below
        Map<String, Tensor> params = model.namedParameters();
        List<JsonObject> specs = golden.getAsJsonArray("params").asList().stream().map(JsonElement::getAsJsonObject).toList();
        assertEquals(specs.stream().map(p -> p.get("name").getAsString()).toList(), List.copyOf(params.keySet()));
        for (JsonObject p : specs) {
            Tensor t = params.get(p.get("name").getAsString());
            System.arraycopy(Golden.formulaTensor(p).data(), 0, t.data(), 0, t.size());
        }
        Tensor images = Golden.formulaTensor(golden.getAsJsonObject("images"));
        int[] labels = Golden.ints(golden.getAsJsonArray("labels"));

        Tensor logits = model.forward(images);
        assertNearScale("logits", Golden.floats(golden.getAsJsonArray("logits")), logits.data());
        Tensor loss = Losses.crossEntropy(logits, labels);
        assertNearScale("loss", new float[] {golden.get("loss").getAsFloat()}, new float[] {loss.item()});
        loss.backward();
        for (JsonObject p : specs) {
            String name = p.get("name").getAsString();
            int stride = p.get("grad_stride").getAsInt();
            float[] sampled = Golden.everyNth(params.get(name).grad().data(), stride);
            assertNearScale("gradient of " + name + (stride == 1 ? "" : " (every " + stride + "th element)"),
                    Golden.floats(p.getAsJsonArray("grad")), sampled);
        }
        Map<String, Tensor> state = model.stateDict();
        for (var e : golden.getAsJsonObject("buffers").entrySet()) {
            assertNearScale(e.getKey() + " after the pass", Golden.floats(e.getValue().getAsJsonArray()),
                    state.get(e.getKey()).data());
        }
        model.eval();
        try (var _ = GradMode.noGrad()) {
            assertNearScale("logits in evaluation mode", Golden.floats(golden.getAsJsonArray("eval_logits")),
                    model.forward(images).data());
        }
    }

    /** Every element within {@link #MODEL_SCALE_TOLERANCE} of the largest magnitude in {@code expected}. */
    private static void assertNearScale(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 0;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        double bound = MODEL_SCALE_TOLERANCE * scale;
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs((double) expected[i] - actual[i]);
            if (!(diff <= bound)) {
                throw new AssertionError(String.format(Locale.ROOT, "%s: element %d is %s in PyTorch but %s here; |diff| %.3g,"
                        + " %.2g of the largest magnitude %.3g (allowed %.0e)", what, i, expected[i], actual[i], diff,
                        diff / scale, scale, MODEL_SCALE_TOLERANCE));
            }
        }
    }
}
