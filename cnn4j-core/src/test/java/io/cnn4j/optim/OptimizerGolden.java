package io.cnn4j.optim;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.cnn4j.tensor.Golden;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.TensorAssert;
import io.cnn4j.tensor.TestTensors;
import org.junit.jupiter.api.DynamicTest;

import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Replays the cases of {@code golden/optim_golden.json} (made by {@code golden/optim_golden.py} beside
 * it): two parameters, hand-set gradients before each of five steps, and torch.optim's parameters after
 * each step.
 *
 * <p>Tolerance {@code 1e-6 + 1e-6 * |expected|}: both sides update in float32 but round differently
 * (PyTorch's {@code add_(alpha)}, {@code addcmul_} and {@code addcdiv_} fuse or order the products
 * differently). Over these five steps the largest difference measured is about 6e-8 (one ulp of values
 * near 0.9), inside {@code 1e-7 + 2.5e-7 * |expected|}; the tolerance leaves a margin of four or more,
 * while a wrong rule (bias correction, dampening, where the weight decay enters) is off by 1e-3 or more.
 */
final class OptimizerGolden {
    static final double ATOL = 1e-6;
    static final double RTOL = 1e-6;

    private OptimizerGolden() {
    }

    /** One dynamic test per case of the given kinds; {@code make} builds the optimizer from the case's options. */
    static Stream<DynamicTest> cases(List<String> kinds, BiFunction<JsonObject, List<Tensor>, Optimizer> make) {
        List<JsonObject> cases = Golden.load("optim_golden.json").getAsJsonArray("cases").asList().stream()
                .map(JsonElement::getAsJsonObject)
                .filter(c -> kinds.contains(c.get("kind").getAsString()))
                .toList();
        assertFalse(cases.isEmpty(), "no optimizer case of kinds " + kinds);
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.get("name").getAsString(), () -> replay(c, make)));
    }

    private static void replay(JsonObject c, BiFunction<JsonObject, List<Tensor>, Optimizer> make) {
        String name = c.get("name").getAsString();
        Tensor p0 = TestTensors.formula(0.1, 1.0, 2, 3).requiresGrad(true);
        Tensor p1 = TestTensors.formula(1.3, 0.5, 4).requiresGrad(true);
        JsonObject initial = c.getAsJsonObject("initial");
        TensorAssert.assertExactly(name + ": initial p0", p0.shape(), Golden.floats(initial.getAsJsonArray("p0")), p0.data());
        TensorAssert.assertExactly(name + ": initial p1", p1.shape(), Golden.floats(initial.getAsJsonArray("p1")), p1.data());
        Optimizer opt = make.apply(c.getAsJsonObject("options"), List.of(p0, p1));
        int t = 0;
        for (JsonElement e : c.getAsJsonArray("steps")) {
            t++;
            JsonObject step = e.getAsJsonObject();
            p0.setGrad(TestTensors.formula(0.3 * t, 0.8, 2, 3));
            TensorAssert.assertExactly(name + ": gradient of p0 before step " + t, p0.shape(),
                    Golden.floats(step.getAsJsonArray("grad_p0")), p0.grad().data());
            if (step.get("grad_p1").isJsonNull()) {
                p1.setGrad(null);
            } else {
                p1.setGrad(TestTensors.formula(0.3 * t + 0.7, 0.8, 4));
                TensorAssert.assertExactly(name + ": gradient of p1 before step " + t, p1.shape(),
                        Golden.floats(step.getAsJsonArray("grad_p1")), p1.grad().data());
            }
            opt.step();
            TensorAssert.assertClose(name + ": p0 after step " + t, p0.shape(), Golden.floats(step.getAsJsonArray("p0")),
                    p0.data(), ATOL, RTOL);
            TensorAssert.assertClose(name + ": p1 after step " + t, p1.shape(), Golden.floats(step.getAsJsonArray("p1")),
                    p1.data(), ATOL, RTOL);
        }
    }

    /** Whether a case turns the switch {@code name} on (PyTorch's default is off). */
    static boolean flag(JsonObject options, String name) {
        return options.has(name) && options.get(name).getAsBoolean();
    }

    /** The option {@code name} of a case, or {@code otherwise} when the case leaves it at PyTorch's default. */
    static double option(JsonObject options, String name, double otherwise) {
        return options.has(name) ? options.get(name).getAsDouble() : otherwise;
    }
}
