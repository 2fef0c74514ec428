package io.cnn4j.conformance;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.cnn4j.io.ModelDescription;
import io.cnn4j.kernel.CpuKernels;
import io.cnn4j.kernel.Kernels;
import io.cnn4j.kernel.ReferenceKernels;
import io.cnn4j.loss.Losses;
import io.cnn4j.nn.Module;
import io.cnn4j.optim.Adagrad;
import io.cnn4j.optim.Adam;
import io.cnn4j.optim.AdamW;
import io.cnn4j.optim.Optimizer;
import io.cnn4j.optim.RmsProp;
import io.cnn4j.optim.Sgd;
import io.cnn4j.tensor.Execution;
import io.cnn4j.tensor.Golden;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.TestTensors;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training steps of a model described in JSON with every newer layer, against PyTorch's from the same weights:
 * rectangular, dilated and grouped convolutions in 1, 2 and 3 dimensions and transposed, ceil-mode and
 * adaptive pooling in 1, 2 and 3 dimensions, Upsample both ways, Unflatten and Flatten between them, GroupNorm,
 * InstanceNorm2d, LayerNorm, a batch norm with a cumulative average, GELU both ways, SiLU, ELU and Hardswish;
 * each run with a newer optimizer setting (SGD with dampening, Adam and AdamW with amsgrad, centred RMSprop
 * with momentum, Adagrad with lr decay).
 *
 * <p>The fixtures lie in {@code io/cnn4j/conformance/vocabulary}: each {@code MODEL.json} is read here by
 * {@link ModelDescription} and by {@code make_steps.py}, which builds the same {@code torch.nn} modules by
 * class name and wrote {@code steps.json}: every step's loss and the state after the last step. The weights
 * and the batch are hashed values both sides compute bit for bit. The convolutions before an instance or
 * batch norm have no bias: a bias such a norm cancels has a gradient of pure rounding noise, which Adam and
 * RMSprop turn into steps of a full learning rate in either direction.
 *
 * <p>Tolerances: PyTorch's own float32 run lies from its float64 run (the fixture records it) by up to 2.2e-7
 * in a loss and 6.2e-5 of a tensor's largest magnitude in a parameter (RMSprop; SGD and Adagrad 2.8e-7).
 * cnn4j sums in other orders and differs from PyTorch by less: one or two ulps of a loss and 4.4e-6 of a
 * tensor's largest magnitude. The bounds, {@value #LOSS_TOL} and {@value #PARAM_RTOL}, are far below a real
 * mistake: SGD's dampening ignored moves the last loss by 4.2e-5.
 */
class VocabularyStepsTest {
    private static final double LOSS_TOL = 1e-6;
    private static final double PARAM_RTOL = 1e-4;
    private static final String DIR = "/io/cnn4j/conformance/vocabulary/";

    private record Choice(String label, Supplier<Kernels> kernels) {
    }

    private static final List<Choice> KERNELS = List.of(
            new Choice("reference", ReferenceKernels::new), new Choice("cpu-2-threads", () -> new CpuKernels(2)));

    @TestFactory
    Stream<DynamicTest> stepsMatchPyTorch() {
        JsonObject fixture = json("steps.json");
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, JsonElement> model : fixture.getAsJsonObject("models").entrySet()) {
            JsonObject entry = model.getValue().getAsJsonObject();
            for (Map.Entry<String, JsonElement> run : entry.getAsJsonObject("runs").entrySet()) {
                JsonObject settings = fixture.getAsJsonObject("optimizers").getAsJsonObject(run.getKey());
                for (Choice choice : KERNELS) {
                    tests.add(DynamicTest.dynamicTest(model.getKey() + " " + run.getKey() + " " + choice.label(),
                            () -> replay(model.getKey(), fixture, entry, run.getKey(), settings,
                                    run.getValue().getAsJsonObject(), choice)));
                }
            }
        }
        return tests.stream();
    }

    private static void replay(String model, JsonObject fixture, JsonObject entry, String optimizer, JsonObject settings,
                               JsonObject expected, Choice choice) throws Exception {
        Kernels kernels = choice.kernels().get();
        try {
            Execution.call(kernels, () -> {
                check(model, fixture, entry, optimizer, settings, expected, kernels);
                return null;
            });
        } finally {
            if (kernels instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }

    private static void check(String model, JsonObject fixture, JsonObject entry, String optimizer, JsonObject settings,
                              JsonObject expected, Kernels kernels) {
        // Drawn, then overwritten: the draw only allocates the tensors.
        Module net = ModelDescription.build(ModelDescription.parse(text(model + ".json"))).initialize(new Rng(0)).to(kernels);
        List<Map.Entry<String, Tensor>> params = List.copyOf(net.namedParameters().entrySet());
        for (int k = 0; k < params.size(); k++) {
            Tensor p = params.get(k).getValue();
            double scale = p.shape().rank() > 1 ? 1 / Math.sqrt(p.shape().sizeFrom(1)) : 0.1;
            System.arraycopy(TestTensors.hashed(k + 1, scale, p.dims()).data(), 0, p.data(), 0, p.size());
        }
        int batch = fixture.get("batch").getAsInt();
        int classes = fixture.get("classes").getAsInt();
        Tensor x = TestTensors.hashed(entry.get("input_seed").getAsLong(), 1.0, Golden.ints(entry.getAsJsonArray("input")));
        int[] labels = IntStream.range(0, batch).map(i -> i % classes).toArray();
        Optimizer opt = optimizer(optimizer, settings, net.parameters());
        net.train(true);
        float[] losses = new float[fixture.get("steps").getAsInt()];
        for (int step = 0; step < losses.length; step++) {
            opt.zeroGrad();
            Tensor loss = Losses.crossEntropy(net.forward(x), labels);
            losses[step] = loss.item();
            loss.backward();
            opt.step();
        }
        float[] torchLosses = Golden.floats(expected.getAsJsonArray("losses"));
        for (int step = 0; step < losses.length; step++) {
            double diff = Math.abs(losses[step] - torchLosses[step]);
            assertTrue(diff <= LOSS_TOL, "loss of step " + (step + 1) + ": PyTorch " + torchLosses[step] + ", cnn4j "
                    + losses[step] + " (difference " + diff + ", bound " + LOSS_TOL + ")");
        }
        Map<String, Tensor> state = net.stateDict();
        for (JsonElement e : expected.getAsJsonArray("state")) {
            JsonObject t = e.getAsJsonObject();
            String name = t.get("name").getAsString();
            Tensor ours = state.get(name);
            assertNotNull(ours, "cnn4j's model has no tensor " + name);
            if (t.has("count")) {
                assertEquals(t.get("count").getAsLong(), (long) ours.data()[0], name);
                continue;
            }
            float[] theirs = Golden.floats(t.getAsJsonArray("values"));
            float[] sampled = Golden.everyNth(ours.data(), t.get("stride").getAsInt());
            assertEquals(theirs.length, sampled.length, name + " size");
            double largest = 0;
            for (float v : theirs) {
                largest = Math.max(largest, Math.abs(v));
            }
            double bound = PARAM_RTOL * largest;
            for (int i = 0; i < theirs.length; i++) {
                double diff = Math.abs(theirs[i] - sampled[i]);
                int index = i * t.get("stride").getAsInt();
                assertTrue(diff <= bound, name + "[" + index + "] after " + losses.length + " steps: PyTorch " + theirs[i]
                        + ", cnn4j " + sampled[i] + " (difference " + diff + ", bound " + bound + ")");
            }
        }
    }

    /** The cnn4j optimizer make_steps.py's configuration stands for. */
    private static Optimizer optimizer(String name, JsonObject s, List<Tensor> params) {
        double lr = s.get("lr").getAsDouble();
        return switch (name) {
            case "sgd" -> new Sgd(params, lr, num(s, "momentum"), num(s, "dampening"), num(s, "weight_decay"), false);
            case "adam_amsgrad" -> new Adam(params, lr, s.getAsJsonArray("betas").get(0).getAsDouble(),
                    s.getAsJsonArray("betas").get(1).getAsDouble(), num(s, "eps"), 0, s.get("amsgrad").getAsBoolean());
            case "adamw_amsgrad" -> new AdamW(params, lr, 0.9, 0.999, 1e-8, num(s, "weight_decay"),
                    s.get("amsgrad").getAsBoolean());
            case "rmsprop" -> new RmsProp(params, lr, num(s, "alpha"), 1e-8, 0, num(s, "momentum"),
                    s.get("centered").getAsBoolean());
            case "adagrad" -> new Adagrad(params, lr, num(s, "lr_decay"), 0, num(s, "initial_accumulator_value"), 1e-10);
            default -> throw new AssertionError("no cnn4j optimizer for fixture configuration " + name);
        };
    }

    private static double num(JsonObject s, String key) {
        return s.get(key).getAsDouble();
    }

    private static JsonObject json(String name) {
        return JsonParser.parseString(text(name)).getAsJsonObject();
    }

    private static String text(String name) {
        try (InputStream in = VocabularyStepsTest.class.getResourceAsStream(DIR + name)) {
            assertNotNull(in, "missing test resource " + DIR + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
