package io.cnn4j.autograd;

import io.cnn4j.tensor.GradMode;
import io.cnn4j.tensor.OnEveryBackend;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.TestTensors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Finite-difference checks of {@link Functional#conv2d} and {@link Functional#conv2dRelu}: input, weight and bias. */
@OnEveryBackend
class Conv2dGradTest {

    /** One convolution: input {@code [N, C, H, W]}, weight {@code [O, C/groups, kH, kW]}, with or without bias. */
    record Case(String name, int[] x, int[] w, boolean bias, Conv2dSpec spec) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Conv2dSpec spec(int stride, int padding, int dilation, int groups) {
        return Conv2dSpec.of(stride, padding, dilation, groups);
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("3x3, bias, batch 2", new int[] {2, 3, 5, 6}, new int[] {4, 3, 3, 3}, true, Conv2dSpec.defaults()),
                new Case("3x3, no bias", new int[] {2, 3, 5, 6}, new int[] {4, 3, 3, 3}, false, Conv2dSpec.defaults()),
                new Case("batch 1", new int[] {1, 2, 5, 5}, new int[] {3, 2, 3, 3}, true, Conv2dSpec.defaults()),
                new Case("batch 3", new int[] {3, 2, 4, 5}, new int[] {2, 2, 3, 3}, true, Conv2dSpec.defaults()),
                new Case("stride 2, odd 7x5 input", new int[] {1, 2, 7, 5}, new int[] {3, 2, 3, 3}, true, spec(2, 0, 1, 1)),
                new Case("stride 2, padding 1", new int[] {2, 2, 6, 6}, new int[] {3, 2, 3, 3}, true, spec(2, 1, 1, 1)),
                new Case("padding 1", new int[] {1, 2, 5, 4}, new int[] {2, 2, 3, 3}, true, spec(1, 1, 1, 1)),
                new Case("padding 2, 5x5 kernel", new int[] {1, 2, 4, 6}, new int[] {2, 2, 5, 5}, true, spec(1, 2, 1, 1)),
                new Case("dilation 2", new int[] {1, 2, 7, 6}, new int[] {2, 2, 3, 3}, true, spec(1, 0, 2, 1)),
                new Case("dilation 2, padding 2, stride 2", new int[] {2, 1, 7, 7}, new int[] {2, 1, 3, 3}, false, spec(2, 2, 2, 1)),
                new Case("groups 2", new int[] {2, 4, 5, 5}, new int[] {6, 2, 3, 3}, true, spec(1, 1, 1, 2)),
                new Case("depthwise, groups = channels", new int[] {2, 3, 5, 6}, new int[] {3, 1, 3, 3}, true, spec(1, 1, 1, 3)),
                new Case("depthwise with multiplier 2", new int[] {1, 2, 5, 5}, new int[] {4, 1, 3, 3}, true, spec(1, 0, 1, 2)),
                new Case("non-square 2x3 kernel, 1x2 stride", new int[] {2, 2, 5, 7}, new int[] {3, 2, 2, 3}, true,
                        new Conv2dSpec(1, 2, 0, 0, 0, 0, 1, 1, 1)),
                new Case("asymmetric padding 1/2 rows, 2/0 columns", new int[] {1, 2, 5, 6}, new int[] {2, 2, 4, 3}, true,
                        new Conv2dSpec(1, 1, 1, 2, 2, 0, 1, 1, 1)),
                new Case("1x1 kernel, stride 2", new int[] {2, 3, 5, 4}, new int[] {2, 3, 1, 1}, true, spec(2, 0, 1, 1)));
    }

    private static Tensor[] inputs(Case c, long seed) {
        Rng rng = new Rng(seed);
        Tensor x = TestTensors.uniform(rng, -1, 1, c.x()).requiresGrad(true);
        Tensor w = TestTensors.uniform(rng, -0.5, 0.5, c.w()).requiresGrad(true);
        Tensor b = c.bias() ? TestTensors.uniform(rng, -0.5, 0.5, c.w()[0]).requiresGrad(true) : null;
        return new Tensor[] {x, w, b};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void conv2d(Case c) {
        Tensor[] t = inputs(c, 11);
        if (t[2] == null) {
            GradCheck.check(in -> Functional.conv2d(in[0], in[1], null, c.spec()), t[0], t[1]);
        } else {
            GradCheck.check(in -> Functional.conv2d(in[0], in[1], in[2], c.spec()), t);
        }
    }

    /**
     * The fused ReLU masks the gradient where the convolution's output is negative. The inputs come from
     * the first seed whose pre-activations all lie at least 0.02 from zero: a step of 0.01 in one input
     * (|x| <= 1, |w| <= 0.5) moves a pre-activation by at most 0.01, so no step crosses the kink.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void conv2dRelu(Case c) {
        Tensor[] t = kinkFreeInputs(c);
        Tensor x = t[0];
        Tensor w = t[1];
        Tensor b = t[2];
        GradCheck.check(in -> Functional.conv2dRelu(in[0], in[1], b == null ? null : in[2], c.spec()),
                b == null ? new Tensor[] {x, w} : t);
        try (var _ = GradMode.noGrad()) {
            float[] expected = Functional.relu(Functional.conv2d(x, w, b, c.spec())).data();
            assertArrayEquals(expected, Functional.conv2dRelu(x, w, b, c.spec()).data(), "fused forward");
        }
    }

    private static Tensor[] kinkFreeInputs(Case c) {
        for (long seed = 100; seed < 2100; seed++) {
            Tensor[] t = inputs(c, seed);
            try (var _ = GradMode.noGrad()) {
                if (TestTensors.minAbs(Functional.conv2d(t[0], t[1], t[2], c.spec())) >= 0.02) {
                    return t;
                }
            }
        }
        return fail("no seed gave pre-activations 0.02 away from zero for " + c);
    }
}
