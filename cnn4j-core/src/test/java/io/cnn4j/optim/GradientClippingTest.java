package io.cnn4j.optim;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.cnn4j.tensor.Golden;
import io.cnn4j.tensor.OnEveryBackend;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.TensorAssert;
import io.cnn4j.tensor.TestTensors;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@link GradientClipping} against {@code torch.nn.utils.clip_grad_norm_} ({@code golden/schedule_golden.json}).
 * cnn4j sums the squares in double where PyTorch sums float32 norms, so the norm and the scaled gradients
 * agree to float32 rounding: tolerance {@code 1e-6} relative.
 */
@OnEveryBackend
class GradientClippingTest {

    @TestFactory
    Stream<DynamicTest> matchesClipGradNorm() {
        return Golden.load("schedule_golden.json").getAsJsonArray("clip_grad_norm").asList().stream()
                .map(JsonElement::getAsJsonObject)
                .map(c -> DynamicTest.dynamicTest(c.get("name").getAsString(), () -> replay(c)));
    }

    private static void replay(JsonObject c) {
        String name = c.get("name").getAsString();
        double scale = c.get("scale").getAsDouble();
        Tensor p0 = Tensor.zeros(2, 3).requiresGrad(true);
        Tensor p1 = Tensor.zeros(4).requiresGrad(true);
        p0.setGrad(TestTensors.formula(0.1, scale, 2, 3));
        boolean p1HasGrad = !c.get("g1").isJsonNull();
        if (p1HasGrad) {
            p1.setGrad(TestTensors.formula(1.3, scale, 4));
        }
        JsonObject before = c.getAsJsonObject("before");
        TensorAssert.assertExactly(name + ": g0 before", p0.shape(), Golden.floats(before.getAsJsonArray("g0")), p0.grad().data());
        double norm = GradientClipping.clipByGlobalNorm(List.of(p0, p1), c.get("max_norm").getAsDouble());
        double expected = c.get("norm").getAsDouble();
        assertEquals(expected, norm, 1e-6 * expected, name + ": norm before clipping");
        TensorAssert.assertClose(name + ": g0", p0.shape(), Golden.floats(c.getAsJsonArray("g0")), p0.grad().data(), 1e-7, 1e-6);
        if (p1HasGrad) {
            TensorAssert.assertClose(name + ": g1", p1.shape(), Golden.floats(c.getAsJsonArray("g1")), p1.grad().data(), 1e-7, 1e-6);
        } else {
            assertNull(p1.grad());
        }
    }
}
