package io.cnn4j.autograd;

import io.cnn4j.tensor.OnEveryBackend;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.TestTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Finite-difference checks of {@link Functional#convTranspose2d}: input, weight and bias. */
@OnEveryBackend
class ConvTranspose2dGradTest {

    /** One transposed convolution: input {@code [N, C, H, W]}, weight {@code [C, O/groups, kH, kW]}, with or without bias. */
    record Case(String name, int[] x, int[] w, boolean bias, ConvTranspose2dSpec spec) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("3x3, bias, batch 2", new int[] {2, 3, 4, 5}, new int[] {3, 2, 3, 3}, true, ConvTranspose2dSpec.of(1, 0, 0, 1, 1)),
                new Case("stride 2, padding 1, output padding 1", new int[] {2, 2, 4, 3}, new int[] {2, 3, 3, 3}, true,
                        ConvTranspose2dSpec.of(2, 1, 1, 1, 1)),
                new Case("4x4 kernel, stride 2, padding 1, no bias", new int[] {1, 3, 3, 3}, new int[] {3, 2, 4, 4}, false,
                        ConvTranspose2dSpec.of(2, 1, 0, 1, 1)),
                new Case("stride 2, no padding, output padding 1 (a row read by no tap)", new int[] {1, 2, 3, 3},
                        new int[] {2, 2, 3, 3}, true, ConvTranspose2dSpec.of(2, 0, 1, 1, 1)),
                new Case("dilation 2, padding 1", new int[] {1, 2, 4, 4}, new int[] {2, 2, 3, 3}, true, ConvTranspose2dSpec.of(1, 1, 0, 2, 1)),
                new Case("output padding below the dilation only", new int[] {1, 2, 3, 4}, new int[] {2, 1, 3, 3}, true,
                        ConvTranspose2dSpec.of(1, 0, 1, 2, 1)),
                new Case("groups 2", new int[] {2, 4, 3, 3}, new int[] {4, 3, 3, 3}, true, ConvTranspose2dSpec.of(2, 1, 1, 1, 2)),
                new Case("depthwise, 1x1 kernel, padding 1", new int[] {2, 3, 5, 4}, new int[] {3, 1, 1, 1}, true,
                        ConvTranspose2dSpec.of(1, 1, 0, 1, 3)),
                new Case("rectangular: 2x3 kernel, stride 3x2, padding 1x0, output padding 2x1", new int[] {1, 2, 3, 4},
                        new int[] {2, 3, 2, 3}, true, new ConvTranspose2dSpec(3, 2, 1, 0, 2, 1, 1, 1, 1)),
                new Case("16 channels each way, stride 2 (the direct kernels' sizes)", new int[] {1, 16, 3, 3},
                        new int[] {16, 16, 3, 3}, true, ConvTranspose2dSpec.of(2, 1, 1, 1, 1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void convTranspose2d(Case c) {
        Rng rng = new Rng(13);
        Tensor x = TestTensors.uniform(rng, -1, 1, c.x()).requiresGrad(true);
        Tensor w = TestTensors.uniform(rng, -0.5, 0.5, c.w()).requiresGrad(true);
        if (c.bias()) {
            Tensor b = TestTensors.uniform(rng, -0.5, 0.5, c.w()[1] * c.spec().groups()).requiresGrad(true);
            GradCheck.check(in -> Functional.convTranspose2d(in[0], in[1], in[2], c.spec()), x, w, b);
        } else {
            GradCheck.check(in -> Functional.convTranspose2d(in[0], in[1], null, c.spec()), x, w);
        }
    }

    @Test
    void refusesOutputPaddingAsLargeAsStrideAndDilation() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConvTranspose2dSpec.of(2, 1, 2, 1, 1));
        assertEquals("transposed convolution output padding must be smaller than either stride or dilation (as in PyTorch),"
                + " got output padding 2x2, stride 2x2, dilation 1x1", e.getMessage());
    }

    @Test
    void refusesAnInputWhoseChannelsTheWeightDoesNotTake() {
        Tensor x = Tensor.zeros(1, 3, 4, 4);
        Tensor w = Tensor.zeros(2, 2, 3, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functional.convTranspose2d(x, w, null, ConvTranspose2dSpec.of(1, 0, 0, 1, 1)));
        assertEquals("conv_transpose2d: input [1, 3, 4, 4] has 3 channels but weight [2, 2, 3, 3] with 1 group(s) expects 2,"
                + " a multiple of the groups", e.getMessage());
    }
}
