package io.cnn4j.nn;

import com.google.gson.JsonObject;
import io.cnn4j.io.ModelDescription;
import io.cnn4j.kernel.ReferenceKernels;
import io.cnn4j.tensor.Execution;
import io.cnn4j.tensor.Golden;
import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The 1-D and 3-D layers against PyTorch 1.13, from {@code golden/convnd_golden.json} (made by
 * {@code golden/convnd_golden.py} beside it): each case a layer as a model description gives it, built from
 * that description, its weight and bias loaded, forward and backward compared. Run on the fast kernels and on
 * the reference ones.
 */
class ConvNdGoldenTest {
    private static final String FILE = "convnd_golden.json";

    @TestFactory
    Stream<DynamicTest> layersMatchPyTorch() {
        return Golden.opCases(FILE, Set.of("layer"), ConvNdGoldenTest::compute);
    }

    @TestFactory
    Stream<DynamicTest> layersMatchPyTorchOnTheReferenceKernels() {
        ReferenceKernels reference = new ReferenceKernels();
        return Golden.opCases(FILE, Set.of("layer"), ConvNdGoldenTest::compute)
                .map(t -> DynamicTest.dynamicTest(t.getDisplayName() + " (reference)", () -> Execution.run(reference, () -> {
                    try {
                        t.getExecutable().execute();
                    } catch (Throwable e) {
                        throw e instanceof AssertionError a ? a : new AssertionError(e);
                    }
                })));
    }

    /** Builds the described layer, loads the case's weight and bias into it, whose gradients are then compared. */
    private static Tensor compute(JsonObject c, Map<String, Tensor> in) {
        Module layer = LayerRegistry.builtIn().build(ModelDescription.parse(c.getAsJsonObject("args").toString()));
        if (in.containsKey("w")) {
            Map<String, Tensor> state = new LinkedHashMap<>();
            state.put("weight", in.get("w"));
            if (in.containsKey("b")) {
                state.put("bias", in.get("b"));
            }
            layer.loadStateDict(state);
            in.put("w", layer.namedParameters().get("weight"));
            in.computeIfPresent("b", (k, v) -> layer.namedParameters().get("bias"));
        }
        return layer.forward(in.get("x"));
    }
}
