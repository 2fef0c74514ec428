package io.cnn4j.nn;

import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;

import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Checks that a layer followed by ReLU in a {@link Sequential} gives the same bits fused as unfused: the
 * pair runs twice from the same seed, the second time with a forward hook on the ReLU, which turns the
 * fusion off; output, input gradient and one parameter's gradient must agree exactly.
 */
final class ReluFusionCheck {
    private ReluFusionCheck() {
    }

    static void assertFusedMatchesUnfused(Supplier<Module> layer, Tensor x, Tensor upstream, String fusedOp,
                                          String parameter) {
        float[][] outputs = new float[2][];
        float[][] inputGrads = new float[2][];
        float[][] parameterGrads = new float[2][];
        for (int hooked = 0; hooked < 2; hooked++) {
            Module first = layer.get();
            Sequential m = new Sequential(first, new ReLU());
            m.initialize(new Rng(7));
            String[] op = new String[1];
            if (hooked == 1) {
                m.get(1).addForwardHook((l, in, out) -> op[0] = out.gradFn().name());
            }
            Tensor input = x.copy().requiresGrad(true);
            Tensor y = m.forward(input);
            assertEquals(hooked == 1 ? "ReLU" : fusedOp, hooked == 1 ? op[0] : y.gradFn().name());
            y.backward(upstream);
            outputs[hooked] = y.data();
            inputGrads[hooked] = input.grad().data();
            parameterGrads[hooked] = first.namedParameters().get(parameter).grad().data();
        }
        assertArrayEquals(outputs[1], outputs[0], "forward");
        assertArrayEquals(inputGrads[1], inputGrads[0], "input gradient");
        assertArrayEquals(parameterGrads[1], parameterGrads[0], parameter + " gradient");
    }
}
