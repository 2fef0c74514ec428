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
 * {@code label_smoothing=0.1}, and with logits of 1000), {@code F.mse_loss} (on rows and on images),
 * {@code F.binary_cross_entropy_with_logits} (with and without {@code pos_weight}, and with logits of
 * 100), {@code F.nll_loss}, {@code F.smooth_l1_loss} (beta 1, 0.5 and 0) and {@code F.huber_loss}: the
 * loss and its gradients, from {@code golden/ops_golden.json} (made by {@code golden/ops_golden.py} beside it).
 */
@OnEveryBackend
class LossGoldenTest {

    @TestFactory
    Stream<DynamicTest> matchesPyTorch() {
        return Golden.opCases("ops_golden.json", Set.of("crossEntropy", "mse", "bceWithLogits", "nll", "smoothL1", "huber"),
                LossGoldenTest::compute);
    }

    private static Tensor compute(JsonObject c, Map<String, Tensor> in) {
        JsonObject args = c.getAsJsonObject("args");
        return switch (c.get("op").getAsString()) {
            case "crossEntropy" -> Losses.crossEntropy(in.get("x"), Golden.ints(args.getAsJsonArray("labels")),
                    args.get("smoothing").getAsFloat());
            case "mse" -> Losses.mse(in.get("p"), in.get("t"));
            case "bceWithLogits" -> args.get("pos_weight").isJsonNull() ? Losses.bceWithLogits(in.get("x"), in.get("t"))
                    : Losses.bceWithLogits(in.get("x"), in.get("t"), Golden.floats(args.getAsJsonArray("pos_weight")));
            case "nll" -> Losses.nll(in.get("x"), Golden.ints(args.getAsJsonArray("labels")));
            case "smoothL1" -> Losses.smoothL1(in.get("p"), in.get("t"), args.get("beta").getAsFloat());
            case "huber" -> Losses.huber(in.get("p"), in.get("t"), args.get("delta").getAsFloat());
            default -> throw new IllegalArgumentException("no computation for op " + c.get("op"));
        };
    }
}
