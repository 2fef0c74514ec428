package io.cnn4j.nn;

import io.cnn4j.autograd.GradCheck;
import io.cnn4j.loss.Losses;
import io.cnn4j.tensor.GradMode;
import io.cnn4j.tensor.Node;
import io.cnn4j.tensor.OnEveryBackend;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.TestTensors;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link Sequential} runs Conv2d+ReLU and Linear+ReLU as fused operations: their gradients pass the
 * finite-difference check and equal, bit for bit, those of the unfused layers (a forward hook on a
 * layer turns its fusion off).
 */
@OnEveryBackend
class SequentialGradTest {
    private static final int[] LABELS = {2};
    /**
     * Distance every kink keeps from the point: three steps of 0.01, while a step in one parameter moves a
     * pre-activation by the step times a weight or an activation, here of order 1 or less.
     */
    private static final double MARGIN = 0.03;

    /** Conv2d(1, 2, 3, padding=1) + ReLU, MaxPool2d(2), Flatten, Linear(8, 4) + ReLU, Linear(4, 3), on [1, 1, 4, 4]. */
    private static Sequential model() {
        return new Sequential(
                new Conv2d(Conv2dConfig.of(1, 2, 3).padding(1)), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(8, 4), new ReLU(), new Linear(4, 3));
    }

    /**
     * Whether every ReLU pre-activation lies {@link #MARGIN} from zero and, in every pooling window,
     * the largest positive activation leads the next by as much: then no step of 0.01 in one
     * parameter crosses a kink. Watched through hooks on the two layers before the ReLUs (which run
     * unfused while hooked), removed afterwards.
     */
    private static boolean kinkFree(Sequential m, Tensor x) {
        Tensor[] pre = new Tensor[2];
        Runnable unhookConv = m.get(0).addForwardHook((layer, in, out) -> pre[0] = out);
        Runnable unhookLinear = m.get(4).addForwardHook((layer, in, out) -> pre[1] = out);
        try (var _ = GradMode.noGrad()) {
            m.forward(x);
        } finally {
            unhookConv.run();
            unhookLinear.run();
        }
        if (TestTensors.minAbs(pre[0]) < MARGIN || TestTensors.minAbs(pre[1]) < MARGIN) {
            return false;
        }
        for (int c = 0; c < 2; c++) {
            for (int wy = 0; wy < 4; wy += 2) {
                for (int wx = 0; wx < 4; wx += 2) {
                    float[] window = {pre[0].get(0, c, wy, wx), pre[0].get(0, c, wy, wx + 1),
                        pre[0].get(0, c, wy + 1, wx), pre[0].get(0, c, wy + 1, wx + 1)};
                    Arrays.sort(window);
                    if (window[3] > 0 && window[3] - Math.max(window[2], 0f) < MARGIN) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** The names of the operations recorded in the graph that produced {@code t}. */
    private static Set<String> operations(Tensor t) {
        Set<String> names = new HashSet<>();
        Deque<Tensor> todo = new ArrayDeque<>(List.of(t));
        while (!todo.isEmpty()) {
            Node node = todo.pop().gradFn();
            if (node != null) {
                names.add(node.name());
                node.inputs().stream().filter(Objects::nonNull).forEach(todo::push);
            }
        }
        return names;
    }

    @Test
    void fusedModelPassesTheFiniteDifferenceCheck() {
        for (long seed = 0; seed < 1000; seed++) {
            Sequential m = model();
            m.initialize(new Rng(seed));
            Tensor x = TestTensors.uniform(new Rng(seed), -1, 1, 1, 1, 4, 4).requiresGrad(true);
            if (!kinkFree(m, x)) {
                continue;
            }
            Map<String, Tensor> inputs = new LinkedHashMap<>(m.namedParameters());
            inputs.put("input", x);
            GradCheck.DEFAULT.verify(inputs, () -> Losses.crossEntropy(m.forward(x), LABELS));
            return;
        }
        fail("no seed kept every kink " + MARGIN + " from the point");
    }

    @Test
    void aConvolutionFusesTheReluAfterItWhereNoPoolingFollows() {
        ReluFusionCheck.assertFusedMatchesUnfused(() -> new Conv2d(Conv2dConfig.of(2, 3, 3).padding(1)),
                TestTensors.uniform(new Rng(8), -1, 1, 2, 2, 5, 5), TestTensors.uniform(new Rng(9), -1, 1, 2, 3, 5, 5),
                "Conv2d+ReLU", "weight");
    }

    @Test
    void fusedAndUnfusedGradientsAreIdentical() {
        Sequential fused = model();
        fused.initialize(new Rng(3));
        Sequential unfused = model();
        unfused.initialize(new Rng(3));
        int[] hookCalls = {0};
        unfused.get(1).addForwardHook((layer, in, out) -> hookCalls[0]++);
        unfused.get(5).addForwardHook((layer, in, out) -> hookCalls[0]++);
        Tensor x = TestTensors.uniform(new Rng(4), -1, 1, 3, 1, 4, 4);
        int[] labels = {2, 0, 1};

        Tensor a = fused.forward(x);
        Tensor b = unfused.forward(x);
        assertEquals(2, hookCalls[0], "the hooked ReLUs ran as layers of their own");
        // The convolution's ReLU runs after the pooling (PoolBeforeReluTest), the linear layer's in its pass.
        assertEquals(Set.of("Conv2d", "MaxPool2d", "ReLU", "Reshape", "Linear+ReLU", "Linear"), operations(a));
        assertEquals(Set.of("Conv2d", "ReLU", "MaxPool2d", "Reshape", "Linear"), operations(b));
        assertArrayEquals(b.data(), a.data(), "forward");
        Losses.crossEntropy(a, labels).backward();
        Losses.crossEntropy(b, labels).backward();
        Map<String, Tensor> pf = fused.namedParameters();
        Map<String, Tensor> pu = unfused.namedParameters();
        for (String name : pf.keySet()) {
            assertArrayEquals(pu.get(name).grad().data(), pf.get(name).grad().data(), name);
        }
    }
}
