package io.cnn4j.nn;

import io.cnn4j.tensor.OnEveryBackend;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.TestTensors;
import org.junit.jupiter.api.Test;

/**
 * Finite-difference checks of the 1-D and 3-D layers, forward and backward: gradients of the input and of
 * every parameter. Max pooling's inputs are distinct multiples of 0.05, so no step crosses a change of
 * the window's maximum.
 */
@OnEveryBackend
class ConvNdGradTest {

    private static Tensor uniform(long seed, int... dims) {
        return TestTensors.uniform(new Rng(seed), -1, 1, dims);
    }

    private static Tensor distinct(long seed, int... dims) {
        return TestTensors.distinct(new Rng(seed), 0.05, dims);
    }

    private static void check(Module layer, Tensor x) {
        ModuleGradCheck.check(layer, x);
    }

    @Test
    void conv1d() {
        check(new Conv1d(3, 4, 3).initialize(new Rng(1)), uniform(2, 2, 3, 9));
        check(new Conv1d(ConvNdConfig.conv1d(4, 6, 3).stride(2).padding(2).dilation(2)).initialize(new Rng(3)),
                uniform(4, 2, 4, 11));
        check(new Conv1d(ConvNdConfig.conv1d(4, 2, 4).samePadding().groups(2).bias(false)).initialize(new Rng(5)),
                uniform(6, 1, 4, 7));
    }

    @Test
    void conv3d() {
        check(new Conv3d(2, 3, 3).initialize(new Rng(7)), uniform(8, 2, 2, 3, 4, 5));
        check(new Conv3d(ConvNdConfig.conv3d(2, 4, 2, 3, 3).stride(1, 2, 2).padding(0, 1, 1).dilation(1, 1, 2))
                .initialize(new Rng(9)), uniform(10, 1, 2, 4, 5, 7));
        check(new Conv3d(ConvNdConfig.conv3d(4, 2, 2, 2, 3).samePadding().groups(2).bias(false)).initialize(new Rng(11)),
                uniform(12, 2, 4, 3, 3, 4));
    }

    @Test
    void pooling1d() {
        check(new MaxPool1d(new int[] {3}, new int[] {2}, new int[] {1}, new int[] {1}, false), distinct(13, 2, 3, 10));
        check(new MaxPool1d(new int[] {2}, new int[] {3}, new int[] {1}, new int[] {2}, true), distinct(14, 1, 2, 12));
        check(new AvgPool1d(new int[] {4}, new int[] {3}, new int[] {2}, true, false), uniform(15, 2, 2, 11));
        check(new AvgPool1d(3), uniform(16, 1, 2, 9));
    }

    @Test
    void pooling3d() {
        check(new MaxPool3d(new int[] {2, 3, 3}, new int[] {1, 2, 2}, new int[] {1}, new int[] {1}, false),
                distinct(17, 1, 2, 4, 7, 7));
        check(new MaxPool3d(new int[] {2}, new int[] {2}, new int[] {0}, new int[] {1, 2, 1}, true), distinct(18, 1, 2, 5, 7, 5));
        check(new AvgPool3d(new int[] {3}, new int[] {2}, new int[] {1}, true, true), uniform(19, 1, 2, 5, 6, 7));
        check(new AvgPool3d(new int[] {1, 2, 2}, null, new int[] {0, 1, 1}, false, false), uniform(20, 2, 2, 3, 5, 5));
    }

    @Test
    void adaptivePooling() {
        check(new AdaptiveAvgPool1d(4), uniform(21, 2, 3, 10));
        check(new AdaptiveMaxPool1d(3), distinct(22, 2, 2, 7));
        check(new AdaptiveAvgPool3d(2, 3, 4), uniform(23, 1, 2, 5, 7, 9));
        check(new AdaptiveMaxPool3d(2, 2, 3), distinct(24, 1, 2, 3, 5, 7));
    }

    @Test
    void flattenAndUnflatten() {
        check(new Flatten(1, 2), uniform(25, 2, 3, 4, 5));
        check(new Unflatten(1, 2, 3), uniform(26, 2, 6, 4));
    }
}
