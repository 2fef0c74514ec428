package io.cnn4j.explain;

import io.cnn4j.models.Models;
import io.cnn4j.nn.Conv2d;
import io.cnn4j.nn.Flatten;
import io.cnn4j.nn.Linear;
import io.cnn4j.nn.ReLU;
import io.cnn4j.nn.Sequential;
import io.cnn4j.tensor.GradMode;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.TestTensors;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradCamTest {

    /** Conv2d(1, 2, 3), ReLU, Flatten, Linear(18, 3): a 5 x 5 picture gives 2 maps of 3 x 3. */
    private static Sequential tiny() {
        Sequential model = new Sequential(new Conv2d(1, 2, 3), new ReLU(), new Flatten(), new Linear(18, 3));
        model.initialize(new Rng(7));
        return model;
    }

    private static Tensor picture() {
        return TestTensors.uniform(new Rng(11), -1, 1, 1, 1, 5, 5);
    }

    /**
     * Adding e to channel k's bias adds e to all of A_k, so dScore/dBias_k = sum over h, w of dScore/dA_k:
     * alpha_k times the map's area, which central differences of the logit measure without autograd.
     */
    @Test
    void channelWeightsAreTheMeanGradientByFiniteDifferences() {
        Sequential model = tiny();
        model.eval();
        Tensor x = picture();
        Explanation e = GradCam.of(model).explain(x, 2);
        Tensor bias = model.namedParameters().get("0.bias");
        double eps = 1e-3;
        for (int k = 0; k < 2; k++) {
            float saved = bias.data()[k];
            bias.data()[k] = (float) (saved + eps);
            double up = model.forward(x).get(0, 2);
            bias.data()[k] = (float) (saved - eps);
            double down = model.forward(x).get(0, 2);
            bias.data()[k] = saved;
            double alpha = (up - down) / (2 * eps) / 9;
            assertEquals(alpha, e.channelWeights()[k], 1e-3, "alpha of channel " + k);
        }
        assertEquals(model.forward(x).get(0, 2), e.score(), 1e-6, "the score is the class's logit");
    }

    @Test
    void theDefaultClassIsThePredictedOneAndTheMapIsNonNegative() {
        Sequential model = tiny();
        model.eval();
        Tensor logits = model.forward(picture());
        int best = 0;
        for (int c = 1; c < 3; c++) {
            best = logits.get(0, c) > logits.get(0, best) ? c : best;
        }
        Explanation e = GradCam.of(model).explain(picture());
        assertEquals(best, e.classIndex());
        assertEquals("0", e.layer());
        for (float v : e.map().values()) {
            assertTrue(v >= 0, "ReLU leaves no negative value: " + v);
        }
    }

    @Test
    void parameterGradientsModeAndHooksAreLeftAsTheyWere() {
        Sequential model = tiny();
        Tensor w = model.namedParameters().get("3.weight");
        w.setGrad(Tensor.full(0.25f, w.dims()));
        GradCam.of(model).explain(picture());
        Saliency.of(model).explain(picture());
        assertArrayEquals(Tensor.full(0.25f, w.dims()).data(), w.grad().data(), "a gradient the caller had");
        assertNull(model.namedParameters().get("0.weight").grad(), "no gradient where there was none");
        model.parameters().forEach(p -> assertTrue(p.requiresGrad(), "parameters still train"));
        assertTrue(model.isTraining(), "the mode the model was in");
        assertFalse(model.layers().get(0).hasForwardHooks(), "the hook is removed");
    }

    @Test
    void itWorksInsideNoGrad() {
        Sequential model = tiny();
        model.eval();
        Explanation outside = GradCam.of(model).explain(picture(), 1);
        try (var ignored = GradMode.noGrad()) {
            assertArrayEquals(outside.map().values(), GradCam.of(model).explain(picture(), 1).map().values());
            assertFalse(GradMode.isEnabled(), "the caller's mode is restored");
        }
    }

    @Test
    void saliencyIsTheLargestAbsoluteInputGradientOverChannels() {
        Sequential model = new Sequential(new Conv2d(2, 2, 3), new ReLU(), new Flatten(), new Linear(18, 3));
        model.initialize(new Rng(3));
        model.eval();
        Tensor x = TestTensors.uniform(new Rng(5), -1, 1, 1, 2, 5, 5);
        Tensor leaf = x.copy().requiresGrad(true);
        Tensor logits = model.forward(leaf);
        Tensor oneHot = Tensor.zeros(1, 3);
        oneHot.set(1f, 0, 1);
        logits.backward(oneHot);
        Explanation s = Saliency.of(model).explain(x, 1);
        assertEquals("input", s.layer());
        for (int i = 0; i < 25; i++) {
            float expected = Math.max(Math.abs(leaf.grad().data()[i]), Math.abs(leaf.grad().data()[25 + i]));
            assertEquals(expected, s.map().values()[i], 1e-7f, "pixel " + i);
        }
    }

    @Test
    void theDefaultLayerOfAResidualNetIsInsideItsLastBlockNotOnItsShortcut() {
        assertEquals("5.body.3", GradCam.of(Models.resnet()).layer());
        assertEquals("3", GradCam.of(Models.lenet5()).layer());
    }

    @Test
    void anUnknownLayerListsTheConvolutions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GradCam.of(Models.lenet5(), "20"));
        assertEquals("Grad-CAM: the model has no layer 20; its convolutions are 0, 3", e.getMessage());
    }

    @Test
    void aLayerWithoutFeatureMapsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradCam.of(tiny(), "3").explain(picture()));
        assertEquals("Grad-CAM: layer 3 outputs [1, 3], not feature maps [1, K, h, w]; choose a convolution: 0", e.getMessage());
    }

    @Test
    void aClassOutOfRangeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GradCam.of(tiny()).explain(picture(), 3));
        assertEquals("explain: class 3 is out of range: the model has 3 classes (0 to 2)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Saliency.of(tiny()).explain(picture(), -1));
        assertEquals("explain: class -1 is out of range: classes count from 0", e.getMessage());
    }

    @Test
    void aBatchIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradCam.of(tiny()).explain(Tensor.zeros(2, 1, 5, 5)));
        assertEquals("explain: the input must be one picture [1, C, H, W], not [2, 1, 5, 5]", e.getMessage());
    }

    @Test
    void aModelWithoutConvolutionsHasNoDefaultLayer() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradCam.of(new Sequential(new Flatten(), new Linear(25, 2))));
        assertEquals("Grad-CAM: the model has no convolution to explain; name a layer whose output is feature maps"
                + " [1, K, h, w]", e.getMessage());
    }

    @Test
    void picturesExplainedTogetherGetTheMapsEachGetsAlone() {
        var model = Models.create("bn", io.cnn4j.tensor.Shape.of(1, 12, 12), 4, new Rng(3));
        model.eval();
        Tensor batch = TestTensors.uniform(new Rng(5), 0, 1, 3, 1, 12, 12);
        int[] classes = {2, -1, 0};
        GradCam cam = GradCam.of(model);
        var together = cam.explainEach(batch, classes);
        for (int i = 0; i < 3; i++) {
            Tensor one = Tensor.of(java.util.Arrays.copyOfRange(batch.data(), i * 144, (i + 1) * 144), 1, 1, 12, 12);
            Explanation alone = classes[i] < 0 ? cam.explain(one) : cam.explain(one, classes[i]);
            assertEquals(alone.classIndex(), together.get(i).classIndex());
            assertEquals(alone.score(), together.get(i).score(), 1e-5f);
            assertArrayEquals(alone.map().values(), together.get(i).map().values(), 1e-5f, "picture " + i);
        }
    }

    @Test
    void picturesAreExplainedTogetherOnlyInEvaluationMode() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> GradCam.of(tiny()).explainEach(Tensor.zeros(2, 1, 5, 5), new int[] {0, 1}));
        assertEquals("Grad-CAM: explaining pictures together needs the model in evaluation mode (call eval()), where batch"
                + " norm does not mix them", e.getMessage());
    }
}
