package io.cnn4j.nn;

import io.cnn4j.tensor.OnEveryBackend;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.TestTensors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Finite-difference checks through the {@link Conv2d} layer: gradients of its input, weight and bias,
 * for the layer's own settings (including {@code Padding.same()}, which pads an even kernel unevenly).
 */
@OnEveryBackend
class Conv2dLayerGradTest {

    /** A layer configuration, the input shape it runs on, and the output shape it must produce. */
    record Case(String name, Conv2dConfig config, int[] input, int[] output) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("3x3 with bias", Conv2dConfig.of(3, 4, 3), new int[] {2, 3, 5, 6}, new int[] {2, 4, 3, 4}),
                new Case("3x3 without bias", Conv2dConfig.of(3, 4, 3).bias(false), new int[] {2, 3, 5, 6}, new int[] {2, 4, 3, 4}),
                new Case("batch 1", Conv2dConfig.of(2, 3, 3), new int[] {1, 2, 5, 5}, new int[] {1, 3, 3, 3}),
                new Case("batch 3", Conv2dConfig.of(2, 2, 3), new int[] {3, 2, 5, 4}, new int[] {3, 2, 3, 2}),
                new Case("stride 2 on odd 7x5", Conv2dConfig.of(2, 3, 3).stride(2), new int[] {1, 2, 7, 5}, new int[] {1, 3, 3, 2}),
                new Case("padding 1", Conv2dConfig.of(2, 3, 3).padding(1), new int[] {2, 2, 4, 5}, new int[] {2, 3, 4, 5}),
                new Case("padding 2, stride 2", Conv2dConfig.of(2, 2, 3).padding(2).stride(2), new int[] {1, 2, 5, 6},
                        new int[] {1, 2, 4, 4}),
                new Case("same, odd kernel 3", Conv2dConfig.of(2, 3, 3).padding(Padding.same()), new int[] {1, 2, 5, 4},
                        new int[] {1, 3, 5, 4}),
                new Case("same, even kernel 4 (1 before, 2 after)", Conv2dConfig.of(2, 3, 4).padding(Padding.same()),
                        new int[] {2, 2, 6, 5}, new int[] {2, 3, 6, 5}),
                new Case("same, even kernel 2", Conv2dConfig.of(2, 2, 2).padding(Padding.same()), new int[] {1, 2, 5, 5},
                        new int[] {1, 2, 5, 5}),
                new Case("same, kernel 3, dilation 2", Conv2dConfig.of(2, 2, 3).padding(Padding.same()).dilation(2),
                        new int[] {1, 2, 6, 5}, new int[] {1, 2, 6, 5}),
                new Case("dilation 2", Conv2dConfig.of(2, 3, 3).dilation(2), new int[] {1, 2, 7, 6}, new int[] {1, 3, 3, 2}),
                new Case("groups 2", Conv2dConfig.of(4, 6, 3).groups(2).padding(1), new int[] {2, 4, 5, 5}, new int[] {2, 6, 5, 5}),
                new Case("depthwise, groups = channels", Conv2dConfig.of(3, 3, 3).groups(3), new int[] {2, 3, 5, 6},
                        new int[] {2, 3, 3, 4}),
                new Case("kernel 1x3, stride 2x1, padding 0x1, dilation 1x2", Conv2dConfig.of(2, 3, 1, 3).stride(2, 1)
                        .padding(0, 1).dilation(1, 2), new int[] {2, 2, 5, 6}, new int[] {2, 3, 3, 4}),
                new Case("same, kernel 2x3 (rows 0 before, 1 after)", Conv2dConfig.of(2, 2, 2, 3).padding(Padding.same()),
                        new int[] {1, 2, 4, 5}, new int[] {1, 2, 4, 5}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void conv2dLayer(Case c) {
        Conv2d conv = new Conv2d(c.config());
        conv.initialize(new Rng(7));
        Tensor x = TestTensors.uniform(new Rng(8), -1, 1, c.input());
        assertArrayEquals(c.output(), conv.forward(x).dims(), "output shape");
        ModuleGradCheck.check(conv, x);
    }
}
