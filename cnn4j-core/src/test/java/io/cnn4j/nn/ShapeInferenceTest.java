package io.cnn4j.nn;

import io.cnn4j.tensor.GradMode;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shapes and sizes known before anything runs: {@link Module#outputShape} against the forward pass, and
 * what a description alone says ({@link Layers#parameterCount}, {@link ModelFootprint}) against the model
 * built from it, over random models of every layer type.
 */
class ShapeInferenceTest {
    private static final LayerRegistry LAYERS = LayerRegistry.builtIn();


    /** What running something gave: a value, or the exception's type and message. */
    private record Outcome(Object value, Class<?> error, String message) {
        static Outcome of(Supplier<?> run) {
            try {
                return new Outcome(run.get(), null, null);
            } catch (IllegalArgumentException e) {
                return new Outcome(null, e.getClass(), e.getMessage());
            }
        }
    }

    @Property(tries = 1000)
    void outputShapeIsTheShapeTheForwardPassGivesOrItsError(@ForAll long seed) {
        RandomDescriptions random = new RandomDescriptions(seed);
        Shape input = random.input();
        Module model = LAYERS.build(random.model(input)).initialize(new Rng(seed)).train(seed % 2 == 0);
        Outcome inferred = Outcome.of(() -> model.outputShape(input));
        Outcome ran = Outcome.of(() -> {
            try (var ignored = GradMode.noGrad()) {
                return model.forward(Tensor.zeros(input)).shape();
            }
        });
        assertEquals(ran, inferred, model::toString);
    }

    @Property(tries = 500)
    void aDescriptionGivesTheSizesAndShapesOfTheModelBuiltFromIt(@ForAll long seed) {
        RandomDescriptions random = new RandomDescriptions(seed);
        Shape input = random.input();
        LayerConfig description = random.model(input);
        Module model = LAYERS.build(description).initialize(new Rng(1)).eval();
        assertEquals(model.parameterCount(), LAYERS.parameterCount(description));
        assertEquals(bufferValues(model), LAYERS.bufferCount(description));

        Shape image = Shape.of(Arrays.copyOfRange(input.dims(), 1, input.rank()));
        List<ModelFootprint.Layer> seen = new ArrayList<>();
        List<Runnable> removers = new ArrayList<>();
        leaves("", model, (name, leaf) -> removers.add(leaf.addForwardHook((m, in, y) ->
                seen.add(new ModelFootprint.Layer(name, m.toString(), y.shape(), m.parameterCount())))));
        int[] one = input.dims();
        one[0] = 1;
        Outcome ran = Outcome.of(() -> model.forward(Tensor.zeros(one)).shape());
        removers.forEach(Runnable::run);
        // In evaluation mode a batch norm without running statistics still needs two values per channel: a
        // matter of the batch, which a footprint (of one image) leaves to the forward pass.
        if (ran.message() != null && ran.message().contains("more than 1 value per channel")) {
            return;
        }
        Outcome measured = Outcome.of(() -> ModelFootprint.of(description, image).output());
        assertEquals(ran, measured, model::toString);
        if (ran.error() == null) {
            assertEquals(seen, ModelFootprint.of(description, image).layers(), model::toString);
        }
    }

    @Property(tries = 1000)
    void countingADescriptionRefusesWhatBuildingItRefuses(@ForAll long seed) {
        RandomDescriptions random = new RandomDescriptions(seed);
        LayerConfig description = random.corrupt(random.model(random.input()));
        Outcome built = Outcome.of(() -> LAYERS.build(description).parameterCount());
        assertEquals(built, Outcome.of(() -> LAYERS.parameterCount(description)), description::toString);
    }

    @Test
    void countsFromArgumentsAloneFollowEachLayersRule() {
        assertEquals(2_116_046_000L, LAYERS.parameterCount(LayerConfig.of("Linear", "in_features", 46_000,
                "out_features", 46_000)));
        assertEquals(64 * 32 / 4 * 3 * 3 + 64, LAYERS.parameterCount(LayerConfig.of("Conv2d", "in_channels", 32,
                "out_channels", 64, "kernel_size", 3, "groups", 4)));
        LayerConfig bn = LayerConfig.of("BatchNorm2d", "num_features", 8);
        assertEquals(16, LAYERS.parameterCount(bn));
        assertEquals(17, LAYERS.bufferCount(bn));
        assertEquals(34, LAYERS.bufferCount(new LayerConfig("Residual", Map.of(), List.of(bn, bn))));
    }

    @Test
    void countsBeyondALongSaturateInsteadOfTurningNegative() {
        int most = Integer.MAX_VALUE;
        LayerConfig conv = LayerConfig.of("Conv2d", "in_channels", most, "out_channels", most, "kernel_size", most);
        assertEquals(Long.MAX_VALUE, LAYERS.parameterCount(conv));
        assertEquals(Long.MAX_VALUE, LAYERS.parameterCount(new LayerConfig("Sequential", Map.of(), List.of(conv, conv))));
    }

    @Test
    void parameterCountOfABuiltModelIsALong() {
        Module model = new Sequential(new Linear(300, 200), new Linear(200, 10));
        long count = model.parameterCount();
        assertEquals(300 * 200 + 200 + 200 * 10 + 10, count);
    }

    @Test
    void layersNameThemselvesWhenTheyCannotTakeAShape() {
        var e = assertThrows(LayerInputException.class, () -> new Sequential(new Conv2d(1, 32, 5), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(4608, 10)).outputShape(Shape.of(1, 1, 32, 32)));
        assertEquals("layer 4: Linear(4608, 10) expects input [N, 4608], got [1, 6272]: the layers before it produce"
                + " 6272 features per image; check the input image size or the layer's in_features", e.getMessage());
        e = assertThrows(LayerInputException.class, () -> new Sequential(new Residual(new Sequential(new Conv2d(2, 4, 1))))
                .outputShape(Shape.of(1, 2, 4, 4)));
        assertTrue(e.getMessage().startsWith("layer 0: Residual: the body gives [1, 4, 4, 4] but the identity shortcut"
                + " passes the input, [1, 2, 4, 4]"), e.getMessage());
        var softmax = assertThrows(IllegalArgumentException.class, () -> new Softmax().forward(Tensor.zeros(1, 2, 3, 3)));
        assertEquals("Softmax() expects input [N, C], got [1, 2, 3, 3]", softmax.getMessage());
    }

    /** A layer written elsewhere: it doubles the features, and holds a batch norm that must not learn from the probe. */
    private static final class Doubling extends Module {
        private final BatchNorm1d norm = registerChild("norm", new BatchNorm1d(3));

        @Override
        protected Tensor compute(Tensor input) {
            Tensor y = norm.forward(input);
            return io.cnn4j.autograd.Functional.concat(List.of(y, y));
        }

        @Override
        public LayerConfig config() {
            return LayerConfig.of("Doubling");
        }

        @Override
        public String toString() {
            return "Doubling()";
        }
    }

    @Test
    void aLayerWrittenElsewhereIsProbedInEvaluationModeAndLeftAsItWas() {
        Doubling layer = new Doubling();
        assertEquals(Shape.of(64, 6), layer.outputShape(Shape.of(64, 3)));
        assertTrue(layer.isTraining() && layer.norm.isTraining(), "the modes are put back");
        assertEquals(0, layer.norm.numBatchesTracked(), "the probe must not move the running statistics");
        var e = assertThrows(IllegalArgumentException.class, () -> layer.outputShape(Shape.of(64, 4)));
        assertEquals("BatchNorm1d(3) expects input [N, 3] or [N, 3, L], got [1, 4]", e.getMessage());
        assertTrue(GradMode.isEnabled(), "gradients are on again");
    }

    private static long bufferValues(Module model) {
        long all = 0;
        for (Tensor t : model.stateDict().values()) {
            all += t.size();
        }
        return all - model.parameterCount();
    }

    /** Calls {@code visit} on every leaf module with its dotted name, as a footprint names it. */
    private static void leaves(String prefix, Module m, BiConsumer<String, Module> visit) {
        if (m.children().isEmpty()) {
            visit.accept(prefix.isEmpty() ? "-" : prefix, m);
            return;
        }
        m.children().forEach((name, child) -> leaves(prefix.isEmpty() ? name : prefix + "." + name, child, visit));
    }
}
