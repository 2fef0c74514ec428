package io.cnn4j.nn;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.cnn4j.loss.Losses;
import io.cnn4j.models.Models;
import io.cnn4j.tensor.Golden;
import io.cnn4j.tensor.OnEveryBackend;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.TensorAssert;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The whole of {@code Models.lenet5()} against the same {@code nn.Sequential} in PyTorch 1.13: logits,
 * cross-entropy loss and the gradient of every parameter, from {@code golden/model_golden.json} (made by
 * {@code golden/model_golden.py} beside it, which also says how weights and images are built).
 *
 * <p>Tolerance {@code 1e-6 + 1e-5 * |expected|}: the rounding of 150- to 400-term float32 sums, which
 * PyTorch adds in another order, compounds through five layers forward and five back. The largest
 * differences measured are 3.4e-7 on a logit and 1.2e-7 on a gradient element (gradients here reach
 * 0.4); a wrong gradient anywhere is off by its own magnitude, 1e-3 or more.
 */
@OnEveryBackend
class ModelGoldenTest {
    private static final double ATOL = 1e-6;
    private static final double RTOL = 1e-5;

    @Test
    void lenet5MatchesPyTorch() {
        JsonObject golden = Golden.load("model_golden.json");
        Sequential model = Models.create("lenet5", new Rng(0));  // the weights are the golden ones, set below
        Map<String, Tensor> params = model.namedParameters();
        Golden.setParameters(params, golden.getAsJsonArray("params"));
        Tensor images = Golden.formulaTensor(golden.getAsJsonObject("images"));

        Tensor logits = model.forward(images);
        TensorAssert.assertClose("logits", logits.shape(), Golden.floats(golden.getAsJsonArray("logits")), logits.data(),
                ATOL, RTOL);
        Tensor loss = Losses.crossEntropy(logits, Golden.ints(golden.getAsJsonArray("labels")));
        assertEquals(golden.get("loss").getAsFloat(), loss.item(), RTOL * loss.item(), "loss");
        loss.backward();

        for (JsonElement e : golden.getAsJsonArray("params")) {
            JsonObject p = e.getAsJsonObject();
            String name = p.get("name").getAsString();
            int stride = p.get("grad_stride").getAsInt();
            float[] sampled = Golden.everyNth(params.get(name).grad().data(), stride);
            float[] expected = Golden.floats(p.getAsJsonArray("grad"));
            TensorAssert.assertClose("gradient of " + name + (stride == 1 ? "" : " (every " + stride + "th element)"),
                    Shape.of(sampled.length), expected, sampled, ATOL, RTOL);
        }
    }
}
