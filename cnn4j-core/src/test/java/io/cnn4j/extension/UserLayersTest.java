package io.cnn4j.extension;

import io.cnn4j.io.ModelDescription;
import io.cnn4j.io.ModelFile;
import io.cnn4j.io.ModelFileException;
import io.cnn4j.limits.TooLargeException;
import io.cnn4j.nn.Conv2d;
import io.cnn4j.nn.Flatten;
import io.cnn4j.nn.Init;
import io.cnn4j.nn.LayerConfig;
import io.cnn4j.nn.LayerRegistry;
import io.cnn4j.nn.Linear;
import io.cnn4j.nn.ModelFootprint;
import io.cnn4j.nn.Module;
import io.cnn4j.nn.ModuleGradCheck;
import io.cnn4j.nn.Sequential;
import io.cnn4j.tensor.GradMode;
import io.cnn4j.tensor.Node;
import io.cnn4j.tensor.OnEveryBackend;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Layers written outside cnn4j ({@link Swish}, without parameters, and {@link ChannelScale}, with one and
 * its own backward pass), registered in a {@link LayerRegistry} value: models holding them save, load,
 * describe and size themselves as models of built-in layers do, and their gradients pass the library's
 * check. Nothing here touches cnn4j's own registry, which stays as it was.
 */
@OnEveryBackend
class UserLayersTest {
    private static final LayerRegistry LAYERS = LayerRegistry.builtIn().with(Swish.TYPE).with(ChannelScale.TYPE);
    private static final Shape IMAGE = Shape.of(1, 6, 6);

    @TempDir
    Path dir;

    /** Conv2d(1, 3, 3), Swish, ChannelScale(3), Flatten, Linear(48, 5), with drawn weights and scales. */
    private static Sequential model() {
        ChannelScale scale = new ChannelScale(3);
        Sequential model = new Sequential(new Conv2d(1, 3, 3), new Swish(), scale, new Flatten(), new Linear(48, 5));
        Rng rng = new Rng(21);
        model.initialize(Init.PYTORCH, rng);
        float[] w = scale.weight().data();
        for (int i = 0; i < w.length; i++) {
            w[i] = rng.uniform(0.5, 2);
        }
        return model;
    }

    private static float[] outputs(Module model) {
        Tensor images = Tensor.of(new float[2 * IMAGE.size()], 2, 1, 6, 6);
        Rng rng = new Rng(22);
        for (int i = 0; i < images.size(); i++) {
            images.data()[i] = rng.uniform(0, 1);
        }
        try (var ignored = GradMode.noGrad()) {
            return model.eval().forward(images).toArray();
        }
    }

    @Test
    void aModelOfUserLayersSavesAndLoadsWithTheSameOutputsBitForBit() throws IOException {
        Sequential model = model();
        Path file = dir.resolve("user.safetensors");
        ModelFile.save(file, model, Map.of(ModelFile.MODEL_NAME_KEY, "mine"), LAYERS);

        Module loaded = ModelFile.load(file, LAYERS);
        assertEquals(model.toString(), loaded.toString());
        assertArrayEquals(outputs(model), outputs(loaded));
        assertEquals("mine", ModelFile.read(file, false, LAYERS).modelName());
        assertEquals(model.config(), ModelFile.architecture(file, LAYERS));
    }

    @Test
    void withoutTheUserTypesSavingAndLoadingSayWhatIsMissing() throws IOException {
        Path file = dir.resolve("user.safetensors");
        ModelFileException refused = assertThrows(ModelFileException.class, () -> ModelFile.save(file, model()));
        assertEquals(file + ": cannot save the model's architecture: its layer type 'Swish' is not in the layer registry "
                + LayerRegistry.builtIn().names() + "; save and load it with a LayerRegistry that holds its LayerType"
                + " (LayerRegistry.builtIn().with(type))", refused.getMessage());

        ModelFile.save(file, model(), Map.of(), LAYERS);
        ModelFileException unknown = assertThrows(ModelFileException.class, () -> ModelFile.load(file));
        assertEquals(file + ": its architecture ('cnn4j.architecture') is invalid: children[1].type 'Swish' is not a layer"
                + " type; known types: " + LayerRegistry.builtIn().names(), unknown.getMessage());
    }

    @Test
    void aModelOfUserLayersDescribesAndSizesItself() {
        Sequential model = model();
        LayerConfig config = model.config();
        String json = ModelDescription.toJson(config);
        assertTrue(json.contains("{\"type\":\"Swish\"},{\"type\":\"ChannelScale\",\"args\":{\"channels\":3}}"), json);
        assertEquals(config, ModelDescription.parse(json, LAYERS));
        assertEquals(config, ModelDescription.parse(ModelDescription.toPrettyJson(config), LAYERS));
        assertEquals(model.toString(), ModelDescription.build(config, LAYERS).toString());
        assertEquals(model.parameterCount(), ModelDescription.check(config, LAYERS));

        ModelFootprint footprint = ModelFootprint.of(model, IMAGE, LAYERS);
        assertEquals(model.parameterCount(), footprint.parameters());
        assertEquals(Shape.of(1, 5), footprint.output());
        assertEquals(new ModelFootprint.Layer("1", "Swish()", Shape.of(1, 3, 4, 4), 0), footprint.layers().get(1));
        assertEquals(new ModelFootprint.Layer("2", "ChannelScale(3)", Shape.of(1, 3, 4, 4), 3), footprint.layers().get(2));
    }

    @Test
    void descriptionsOfUserLayersAreCheckedAgainstTheirTypes() {
        assertProblem("children[1].args.chanels is not an argument of ChannelScale; it takes channels",
                "{\"type\":\"Sequential\",\"children\":[{\"type\":\"Swish\"},{\"type\":\"ChannelScale\",\"args\":{\"chanels\":3}}]}");
        assertProblem("children[1].args needs 'channels' (ChannelScale requires channels)",
                "{\"type\":\"Sequential\",\"children\":[{\"type\":\"Swish\"},{\"type\":\"ChannelScale\"}]}");
        assertProblem("args.channels must be a whole number, got 1.5", "{\"type\":\"ChannelScale\",\"args\":{\"channels\":1.5}}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelDescription.build(ModelDescription.parse("{\"type\":\"ChannelScale\",\"args\":{\"channels\":0}}", LAYERS), LAYERS));
        assertEquals("the model description (ChannelScale): ChannelScale: channels must be >= 1, got 0", e.getMessage());
    }

    /** Its type sizes a ChannelScale from the description, so a claim of two billion channels allocates nothing. */
    @Test
    void aHugeUserLayerIsRefusedBeforeItIsBuilt() {
        LayerConfig huge = ModelDescription.parse("{\"type\":\"ChannelScale\",\"args\":{\"channels\":2000000000}}", LAYERS);
        assertEquals(2_000_000_000L, ModelDescription.check(huge, LAYERS));
        assertThrows(TooLargeException.class, () -> ModelDescription.build(huge, LAYERS));
    }

    @Test
    void userLayersPassTheGradientCheck() {
        assertTrue(ModuleGradCheck.check(new Swish(), Shape.of(2, 3, 4, 4)).passed());
        ChannelScale scale = (ChannelScale) model().get(2);
        float[] before = scale.weight().toArray();
        ModuleGradCheck.check(scale, Shape.of(2, 3, 2, 5));
        assertArrayEquals(before, scale.weight().data(), "the check leaves the weights as they were");
        ModuleGradCheck.check(model(), Shape.of(2, 1, 6, 6));
    }

    /** A layer computing {@code x * x * weight} whose backward forgets the factor 2 of the square. */
    private static final class WrongSquare extends Module {
        private final Tensor weight = registerParameter("weight", Tensor.full(1.5f, 3));

        @Override
        protected Tensor compute(Tensor x) {
            float[] y = new float[3];
            for (int i = 0; i < 3; i++) {
                y[i] = x.data()[i] * x.data()[i] * weight.data()[i];
            }
            return Tensor.of(y, 3).recordedBy(new Node() {
                @Override
                public String name() {
                    return "WrongSquare";
                }

                @Override
                public List<Tensor> inputs() {
                    return List.of(x, weight);
                }

                @Override
                public Tensor[] backward(Tensor g) {
                    float[] dx = new float[3];
                    float[] dw = new float[3];
                    for (int i = 0; i < 3; i++) {
                        dx[i] = g.data()[i] * x.data()[i] * weight.data()[i];
                        dw[i] = g.data()[i] * x.data()[i] * x.data()[i];
                    }
                    return new Tensor[] {Tensor.of(dx, 3), Tensor.of(dw, 3)};
                }

                @Override
                public void release() {
                }
            });
        }

        @Override
        public LayerConfig config() {
            return LayerConfig.of("WrongSquare");
        }

        @Override
        public String toString() {
            return "WrongSquare()";
        }
    }

    @Test
    void theGradientCheckNamesTheWrongTensorAndItsWorstElement() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> ModuleGradCheck.check(new WrongSquare(), Tensor.of(new float[] {0.5f, -1f, 0.8f}, 3)));
        String m = e.getMessage();
        assertTrue(m.startsWith("gradient check failed"), m);
        assertTrue(m.contains("\n  input [3]: 3 of 3 checked elements out of tolerance; worst at ["), m);
        assertTrue(m.contains("analytic ") && m.contains("numeric "), m);
        assertFalse(m.contains("weight [3]"), "the weight's gradient is right: " + m);
    }

    @Test
    void aRegistryIsAValueThatAddingToDoesNotChange() {
        LayerRegistry builtIn = LayerRegistry.builtIn();
        assertNotSame(builtIn, LAYERS);
        assertFalse(builtIn.names().contains("Swish"));
        assertEquals(List.of("Swish", "ChannelScale"), LAYERS.names().subList(builtIn.names().size(), LAYERS.names().size()));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> LAYERS.with(Swish.TYPE));
        assertEquals("'Swish' is already a layer type of this registry; give the new one another name", twice.getMessage());
        IllegalArgumentException undeclared = assertThrows(IllegalArgumentException.class,
                () -> ChannelScale.TYPE.config("chanels", 3));
        assertEquals("ChannelScale.config: 'chanels' is not one of its arguments [channels]", undeclared.getMessage());
    }

    private static void assertProblem(String expected, String json) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelDescription.parse(json, LAYERS));
        assertEquals(expected, e.getMessage());
    }
}
