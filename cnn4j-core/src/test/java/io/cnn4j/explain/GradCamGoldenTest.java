package io.cnn4j.explain;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.cnn4j.models.Models;
import io.cnn4j.nn.Sequential;
import io.cnn4j.tensor.Golden;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.TensorAssert;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Grad-CAM and saliency of {@code Models.seed()} and {@code Models.resnet()} against PyTorch 1.13 with
 * forward hooks, from {@code golden/gradcam_golden.json} (made by {@code golden/gradcam_golden.py} beside
 * it, which says how weights and the picture are built): a plain convolution, the residual net's stem and
 * its default layer, for the predicted class and a chosen one.
 *
 * <p>The maps shown to people (divided by their maximum, so in [0, 1]) match to 1e-4 absolute. The raw
 * values (maps, channel weights, saliency) are small with these weights (1e-5 to 1e-3), so they match to
 * 1e-4 of their largest magnitude; the logit to 1e-4 absolute.
 */
class GradCamGoldenTest {
    private static final double TOLERANCE = 1e-4;

    @TestFactory
    List<DynamicTest> mapsMatchPyTorch() {
        JsonObject golden = Golden.load("gradcam_golden.json");
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonElement m : golden.getAsJsonArray("models")) {
            JsonObject spec = m.getAsJsonObject();
            String name = spec.get("model").getAsString();
            for (JsonElement c : spec.getAsJsonArray("cases")) {
                JsonObject expected = c.getAsJsonObject();
                String label = name + " at " + expected.get("layer").getAsString() + ", class " + expected.get("class");
                tests.add(DynamicTest.dynamicTest(label, () -> check(spec, expected, label)));
            }
        }
        return tests;
    }

    private static void check(JsonObject spec, JsonObject expected, String label) {
        Sequential model = Models.create(spec.get("model").getAsString(), new Rng(0));  // weights set below
        Golden.setParameters(model.namedParameters(), spec.getAsJsonArray("params"));
        model.eval();
        Tensor image = Golden.formulaTensor(spec.getAsJsonObject("image"));
        String layer = expected.get("layer").getAsString();
        int classIndex = expected.get("class").getAsInt();
        boolean predicted = !expected.get("chosen").getAsBoolean();

        // The residual net's deepest case is its default layer: Grad-CAM must find it unnamed.
        GradCam gradCam = layer.equals("5.body.3") ? GradCam.of(model) : GradCam.of(model, layer);
        assertEquals(layer, gradCam.layer(), "the layer Grad-CAM chose");
        Explanation e = predicted ? gradCam.explain(image) : gradCam.explain(image, classIndex);
        assertEquals(classIndex, e.classIndex(), label + ": class");
        assertEquals(expected.get("score").getAsFloat(), e.score(), TOLERANCE, label + ": score");
        assertScaled(label + ": channel weights", Golden.floats(expected.getAsJsonArray("alpha")), e.channelWeights());
        int[] shape = Golden.ints(expected.getAsJsonArray("map_shape"));
        assertEquals(shape[0], e.map().height(), label + ": map height");
        assertEquals(shape[1], e.map().width(), label + ": map width");
        float[] map = Golden.floats(expected.getAsJsonArray("map"));
        assertScaled(label + ": map", map, e.map().values());
        TensorAssert.assertClose(label + ": normalised map", Shape.of(map.length),
                new Heatmap(shape[0], shape[1], map).normalised().values(), e.map().normalised().values(), TOLERANCE, 0);
        float[] upsampled = Golden.floats(expected.getAsJsonArray("upsampled"));
        Heatmap ours = e.map().upsampled(image.dim(2), image.dim(3));
        assertScaled(label + ": upsampled map", upsampled, ours.values());
        TensorAssert.assertClose(label + ": upsampled map, normalised", Shape.of(upsampled.length),
                new Heatmap(image.dim(2), image.dim(3), upsampled).normalised().values(), ours.normalised().values(), TOLERANCE, 0);

        Explanation s = predicted ? Saliency.of(model).explain(image) : Saliency.of(model).explain(image, classIndex);
        assertEquals(classIndex, s.classIndex(), label + ": saliency's class");
        assertScaled(label + ": saliency", Golden.floats(expected.getAsJsonArray("saliency")), s.map().values());
    }

    /** Within 1e-4 of the largest expected magnitude. */
    private static void assertScaled(String what, float[] expected, float[] actual) {
        float max = 0f;
        for (float v : expected) {
            max = Math.max(max, Math.abs(v));
        }
        TensorAssert.assertClose(what, Shape.of(expected.length), expected, actual, TOLERANCE * max, 0);
    }
}
