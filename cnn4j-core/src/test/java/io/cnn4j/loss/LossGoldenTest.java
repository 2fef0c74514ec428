package io.cnn4j.loss;

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
 * {@link Losses} against PyTorch 1.13's {@code F.cross_entropy} (with and without
 * {@code label_smoothing=0.1}, and with logits of 1000) and {@code F.mse_loss}: the loss and its
 * gradients, from {@code golden/ops_golden.json} (made by {@code golden/ops_golden.py} beside it).
 */
@OnEveryBackend
class LossGoldenTest {

    @TestFactory
    Stream<DynamicTest> matchesPyTorch() {
        return Golden.opCases("ops_golden.json", Set.of("crossEntropy", "mse"), LossGoldenTest::compute);
    }

    private static Tensor compute(JsonObject c, Map<String, Tensor> in) {
        JsonObject args = c.getAsJsonObject("args");
        return switch (c.get("op").getAsString()) {
            case "crossEntropy" -> Losses.crossEntropy(in.get("x"), Golden.ints(args.getAsJsonArray("labels")),
                    args.get("smoothing").getAsFloat());
            case "mse" -> Losses.mse(in.get("p"), in.get("t"));
            default -> throw new IllegalArgumentException("no computation for op " + c.get("op"));
        };
    }
}
