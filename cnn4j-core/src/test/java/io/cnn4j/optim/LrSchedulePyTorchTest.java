package io.cnn4j.optim;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.cnn4j.tensor.Golden;
import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The schedules against {@code torch.optim.lr_scheduler} ({@code golden/schedule_golden.json}, made by
 * {@code golden/schedule_golden.py} beside it): the learning rate and momentum of every update.
 *
 * <p>Tolerance {@code 1e-12} relative: cnn4j evaluates each schedule's closed form, while PyTorch steps
 * StepLR, LinearLR and CosineAnnealingLR by their recursive ("chainable") forms, which gather rounding
 * of about 1e-16 per step; a wrong formula is off by far more.
 */
class LrSchedulePyTorchTest {
    private static final double RTOL = 1e-12;

    @TestFactory
    Stream<DynamicTest> matchesTorchSchedulers() {
        List<JsonObject> cases = Golden.load("schedule_golden.json").getAsJsonArray("schedules").asList().stream()
                .map(JsonElement::getAsJsonObject).toList();
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.get("name").getAsString(), () -> replay(c)));
    }

    private static void replay(JsonObject c) {
        String name = c.get("name").getAsString();
        LrSchedule schedule = schedule(c.get("kind").getAsString(), c.getAsJsonObject("options"));
        JsonArray lrs = c.getAsJsonArray("lr");
        JsonArray momenta = c.getAsJsonArray("momentum");
        boolean cycling = !Double.isNaN(schedule.momentum(0));
        for (int t = 0; t < lrs.size(); t++) {
            double expected = lrs.get(t).getAsDouble();
            assertEquals(expected, schedule.learningRate(t), RTOL * Math.abs(expected), name + ": lr of update " + t);
            if (cycling) {
                double m = momenta.get(t).getAsDouble();
                assertEquals(m, schedule.momentum(t), RTOL * m, name + ": momentum of update " + t);
            }
        }
    }

    private static LrSchedule schedule(String kind, JsonObject o) {
        return switch (kind) {
            case "step" -> new StepLr(o.get("lr").getAsDouble(), o.get("step_size").getAsLong(), o.get("gamma").getAsDouble());
            case "cosine" -> new CosineLr(o.get("lr").getAsDouble(), o.get("total").getAsLong(), o.get("warmup").getAsLong(),
                    o.get("start_factor").getAsDouble(), o.get("min_lr").getAsDouble());
            case "onecycle" -> new OneCycleLr(o.get("max_lr").getAsDouble(), o.get("total").getAsLong(),
                    o.get("pct_start").getAsDouble(), o.get("div_factor").getAsDouble(),
                    o.get("final_div_factor").getAsDouble(), o.get("cycle_momentum").getAsBoolean());
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @Test
    void applySetsTheLearningRateAndTheCycledMomentumOfSgdAndAdam() {
        Tensor p = Tensor.zeros(1).requiresGrad(true);
        OneCycleLr schedule = new OneCycleLr(0.1, 10, 0.3, 25, 1e4, true);
        Sgd sgd = new Sgd(List.of(p), 1, 0.9, 0, 0, true);
        schedule.apply(sgd, 2);
        assertEquals(schedule.learningRate(2), sgd.learningRate());
        assertEquals(0.85, sgd.momentum(), 1e-15, "momentum is lowest where the rate peaks");
        Adam adam = new Adam(List.of(p), 1);
        schedule.apply(adam, 9);
        assertEquals(0.95, adam.momentum(), 1e-15, "beta1 is back at its maximum at the end");
        new ConstantLr(0.5).apply(adam, 3);
        assertEquals(0.5, adam.learningRate());
        assertEquals(0.95, adam.momentum(), 1e-15, "a schedule without momentum leaves it alone");
    }

    @Test
    void schedulesHoldTheirFinalRatePastTheLastUpdate() {
        CosineLr cosine = new CosineLr(0.1, 10, 2, 0.1, 0.001);
        assertEquals(0.001, cosine.learningRate(10), 1e-15);
        assertEquals(0.001, cosine.learningRate(1000), 1e-15);
        OneCycleLr oneCycle = OneCycleLr.of(0.1, 10);
        assertEquals(oneCycle.learningRate(9), oneCycle.learningRate(50));
        assertTrue(oneCycle.learningRate(9) < 1e-6);
    }

    @Test
    void badParametersAreRefusedWithTheirNames() {
        var e = assertThrows(IllegalArgumentException.class, () -> new StepLr(0.1, 0, 0.5));
        assertTrue(e.getMessage().contains("step size"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new CosineLr(0.1, 10, 10, 0.1, 0));
        assertTrue(e.getMessage().contains("warm-up"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new OneCycleLr(0.1, 3, 0.2, 25, 1e4, false));
        assertTrue(e.getMessage().contains("pct_start"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(Tensor.zeros(1).requiresGrad(true)), 0.1, 0.9, 0, 0,
                true).setMomentum(0));
        assertTrue(e.getMessage().contains("Nesterov"), e.getMessage());
    }
}
