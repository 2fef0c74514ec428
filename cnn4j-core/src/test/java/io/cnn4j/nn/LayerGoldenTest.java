package io.cnn4j.nn;

import com.google.gson.JsonObject;
import io.cnn4j.tensor.Golden;
import io.cnn4j.tensor.OnEveryBackend;
import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@link Conv2d} with {@code Padding.same()} and an even kernel against PyTorch's {@code padding='same'},
 * which puts the extra row and column at the bottom and right: output and input, weight and bias
 * gradients, from {@code golden/ops_golden.json} (made by {@code golden/ops_golden.py} beside it).
 */
@OnEveryBackend
class LayerGoldenTest {

    @TestFactory
    Stream<DynamicTest> sameConvolutionMatchesPyTorch() {
        return Golden.opCases("ops_golden.json", Set.of("conv2dSameLayer"), LayerGoldenTest::compute);
    }

    /**
     * Builds the layer, loads the case's weight and bias into it and runs it on the case's input; the
     * layer's own parameters then stand for {@code w} and {@code b}, so their gradients are compared.
     */
    private static Tensor compute(JsonObject c, Map<String, Tensor> in) {
        Tensor w = in.get("w");
        Conv2d conv = new Conv2d(Conv2dConfig.of(w.dim(1), w.dim(0), Golden.intArg(c.getAsJsonObject("args"), "kernel"))
                .padding(Padding.same()));
        conv.loadStateDict(Map.of("weight", w, "bias", in.get("b")));
        in.put("w", conv.weight());
        in.put("b", conv.bias());
        return conv.forward(in.get("x"));
    }
}
