package io.cnn4j.nn;

import io.cnn4j.autograd.GradCheck;
import io.cnn4j.loss.Losses;
import io.cnn4j.models.Models;
import io.cnn4j.tensor.OnEveryBackend;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.TestTensors;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Finite-difference check of whole built-in models: the gradient of {@code Losses.crossEntropy} of the
 * forward pass on two 28x28 images with respect to a sample of 16 elements of every parameter tensor.
 *
 * <p>A step in one early weight moves thousands of ReLU pre-activations and pooling windows, and in
 * float32 some of them always cross their kink, whatever the step: measured over such samples, the
 * central difference of a convolution weight is off by up to 15% of that tensor's root-mean-square
 * gradient at {@code eps = 1e-3} (more at larger steps, which cross more kinks; smaller steps drown in
 * the rounding of a loss near 2.3). So an element passes within 30% of its tensor's RMS gradient plus
 * 1% of its own value: a wrong sign, scale, index or missing batch element is off by about the
 * gradient itself. {@link ModelGoldenTest} checks the same model's gradients against PyTorch to
 * float32 precision.
 */
@OnEveryBackend
class ModelGradTest {
    private static final GradCheck WHOLE_MODEL = GradCheck.DEFAULT.withEps(1e-3).withTolerance(1e-5, 1e-2)
            .relativeToRms(0.3).sampling(16);
    private static final int[] LABELS = {3, 7};

    private static void check(Sequential model) {
        Tensor images = TestTensors.uniform(new Rng(11), 0, 1, 2, 1, 28, 28);
        Map<String, Tensor> params = new LinkedHashMap<>(model.namedParameters());
        WHOLE_MODEL.verify(params, () -> Losses.crossEntropy(model.forward(images), LABELS));
    }

    @Test
    void lenet5() {
        check(Models.create("lenet5", new Rng(10)));
    }

    @Test
    void seed() {
        check(Models.create("seed", new Rng(12)));
    }
}
