package io.cnn4j.nn;

import io.cnn4j.autograd.Pool2dSpec;
import io.cnn4j.tensor.OnEveryBackend;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.TestTensors;
import org.junit.jupiter.api.Test;


/**
 * Finite-difference checks through the layers other than {@link Conv2d}: gradients of the input and of
 * every parameter the layer has. Inputs of ReLU-like layers stay 0.05 from the kink, and inputs of
 * max pooling are distinct multiples of 0.05, so no step of 0.01 crosses a kink.
 */
@OnEveryBackend
class LayerGradTest {

    private static void check(Module layer, Tensor x) {
        ModuleGradCheck.check(layer, x);
    }

    private static Tensor uniform(long seed, int... dims) {
        return TestTensors.uniform(new Rng(seed), -1, 1, dims);
    }

    @Test
    void linear() {
        check(new Linear(5, 4).initialize(new Rng(1)), uniform(2, 3, 5));
    }

    @Test
    void linearWithoutBias() {
        check(new Linear(6, 2, false).initialize(new Rng(3)), uniform(4, 2, 6));
    }

    @Test
    void relu() {
        check(new ReLU(), TestTensors.awayFromZero(new Rng(5), 0.05, 2, 3, 4));
    }

    @Test
    void leakyRelu() {
        check(new LeakyReLU(), TestTensors.awayFromZero(new Rng(6), 0.05, 2, 3, 4));
        check(new LeakyReLU(0.3f), TestTensors.awayFromZero(new Rng(7), 0.05, 2, 3, 4));
    }

    @Test
    void sigmoidAndTanh() {
        check(new Sigmoid(), TestTensors.uniform(new Rng(8), -4, 4, 3, 5));
        check(new Tanh(), TestTensors.uniform(new Rng(9), -3, 3, 3, 5));
    }

    @Test
    void geluSiluEluAndHardswish() {
        check(new GELU(), TestTensors.uniform(new Rng(12), -4, 4, 3, 5));
        check(new GELU("tanh"), TestTensors.uniform(new Rng(13), -4, 4, 3, 5));
        check(new SiLU(), TestTensors.uniform(new Rng(14), -4, 4, 3, 5));
        check(new ELU(), TestTensors.awayFromZero(new Rng(15), 0.05, 3, 5));
        check(new ELU(0.4f), TestTensors.awayFromZero(new Rng(16), 0.05, 3, 5));
        // Hardswish's derivative jumps at -3 and 3: inputs within [-2.9, 2.9] and beyond 3.1 only.
        check(new Hardswish(), TestTensors.uniform(new Rng(17), -2.9, 2.9, 3, 5));
        check(new Hardswish(), TestTensors.uniform(new Rng(18), 3.1, 5, 2, 2));
    }

    @Test
    void layerGroupAndInstanceNorm() {
        check(withAffine(new LayerNorm(3, 4)), TestTensors.uniform(new Rng(19), -2, 2, 2, 3, 4));
        check(new LayerNorm(new int[] {4}, 1e-5, false), TestTensors.uniform(new Rng(20), -2, 2, 3, 4));
        check(withAffine(new GroupNorm(2, 4)), TestTensors.uniform(new Rng(21), -2, 2, 2, 4, 3, 3));
        check(new InstanceNorm2d(3, 1e-5, true), TestTensors.uniform(new Rng(22), -2, 2, 2, 3, 2, 3));
    }

    /** Weights and biases away from their starting ones and zeros, so that their gradients are checked at a general point. */
    private static Module withAffine(Module layer) {
        Rng rng = new Rng(23);
        for (Tensor p : layer.parameters()) {
            float[] d = p.data();
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) (0.5 + rng.nextDouble());
            }
        }
        return layer;
    }

    @Test
    void adaptivePoolingToSizesThatDoNotDivideTheInput() {
        check(new AdaptiveAvgPool2d(3, 4), TestTensors.uniform(new Rng(24), -2, 2, 2, 2, 7, 9));
        // Max pooling's gradient jumps where two values of a window tie: values spaced well beyond the step.
        check(new AdaptiveMaxPool2d(3, 4), spaced(new Rng(25), 2, 2, 7, 9));
        check(new AdaptiveMaxPool2d(1), spaced(new Rng(26), 1, 3, 4, 5));
    }

    /** The values 0.1, 0.2, ... in a random order: no two closer than 0.1. */
    private static Tensor spaced(Rng rng, int... dims) {
        Tensor t = Tensor.zeros(dims);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = 0.1f * (i + 1);
        }
        for (int i = d.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            float v = d[i];
            d[i] = d[j];
            d[j] = v;
        }
        return t;
    }

    @Test
    void rectangularPoolingWindowsRoundingUp() {
        check(new MaxPool2d(new Pool2dSpec(3, 2, 2, 3, 1, 0, true)), spaced(new Rng(27), 1, 2, 7, 8));
        check(new AvgPool2d(new Pool2dSpec(3, 2, 2, 2, 1, 1, true), false),
                TestTensors.uniform(new Rng(28), -2, 2, 1, 2, 7, 8));
    }

    @Test
    void upsamplingNearestAndBilinear() {
        check(Upsample.scaled(2), TestTensors.uniform(new Rng(29), -2, 2, 2, 2, 3, 4));
        check(new Upsample(new int[] {5, 7}, null, "bilinear", false), TestTensors.uniform(new Rng(30), -2, 2, 1, 2, 3, 4));
        check(new Upsample(null, new int[] {2, 3}, "bilinear", true), TestTensors.uniform(new Rng(31), -2, 2, 1, 2, 3, 4));
    }

    @Test
    void transposedConvolutionWithOutputPaddingGroupsAndDilation() {
        check(new ConvTranspose2d(ConvTranspose2dConfig.of(4, 2, 3).stride(2).padding(1).outputPadding(1).groups(2)).initialize(new Rng(32)),
                TestTensors.uniform(new Rng(33), -1, 1, 2, 4, 3, 3));
        check(new ConvTranspose2d(ConvTranspose2dConfig.of(2, 3, 2, 3).stride(3, 2).padding(1, 0).outputPadding(2, 1).dilation(1, 2)
                .bias(false)).initialize(new Rng(34)), TestTensors.uniform(new Rng(35), -1, 1, 1, 2, 3, 4));
    }

    @Test
    void softmaxAndLogSoftmax() {
        check(new Softmax(), TestTensors.uniform(new Rng(10), -2, 2, 3, 5));
        check(new LogSoftmax(), TestTensors.uniform(new Rng(11), -2, 2, 3, 5));
    }

    @Test
    void maxPool() {
        check(new MaxPool2d(2), TestTensors.distinct(new Rng(12), 0.05, 2, 2, 6, 5));
        check(new MaxPool2d(3, 2, 1), TestTensors.distinct(new Rng(13), 0.05, 1, 3, 7, 6));
    }

    @Test
    void avgPool() {
        check(new AvgPool2d(2), uniform(14, 2, 2, 6, 5));
        check(new AvgPool2d(3, 2, 1, true), uniform(15, 1, 3, 7, 6));
        check(new AvgPool2d(3, 2, 1, false), uniform(16, 1, 3, 7, 6));
    }

    @Test
    void adaptiveAvgPool() {
        check(new AdaptiveAvgPool2d(1), uniform(18, 2, 3, 5, 4));
        check(new AdaptiveAvgPool2d(2), uniform(19, 1, 2, 6, 4));
    }

    /** Channel dropout with the layer's own generator: each call draws a new mask, so it is checked in evaluation. */
    @Test
    void dropout2dInEvaluation() {
        check(new Dropout2d(0.5f).eval(), uniform(20, 2, 3, 2, 2));
    }

    @Test
    void flatten() {
        check(new Flatten(), uniform(17, 2, 3, 2, 2));
    }
}
