package io.cnn4j.nn;

import io.cnn4j.tensor.GradMode;
import io.cnn4j.tensor.OnEveryBackend;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.TestTensors;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The {@link BatchNorm1d} and {@link BatchNorm2d} layers: PyTorch's state names, shapes and initial values,
 * what training and evaluation mode do to the running statistics and the batch counter, gradients, the
 * fused ReLU in a {@link Sequential}, and errors that name the layer.
 */
@OnEveryBackend
class BatchNormLayerTest {

    private static Map<String, List<Integer>> shapes(Module m) {
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        m.stateDict().forEach((name, t) -> out.put(name, java.util.Arrays.stream(t.dims()).boxed().toList()));
        return out;
    }

    @Test
    void stateHasPyTorchsNamesShapesAndInitialValues() {
        BatchNorm2d bn = new BatchNorm2d(3);
        Map<String, List<Integer>> expected = new LinkedHashMap<>();
        expected.put("weight", List.of(3));
        expected.put("bias", List.of(3));
        expected.put("running_mean", List.of(3));
        expected.put("running_var", List.of(3));
        expected.put("num_batches_tracked", List.of());
        assertEquals(expected, shapes(bn));
        assertEquals(List.of("weight", "bias"), List.copyOf(bn.namedParameters().keySet()));
        assertArrayEquals(new float[] {1, 1, 1}, bn.weight().data());
        assertArrayEquals(new float[] {0, 0, 0}, bn.bias().data());
        assertArrayEquals(new float[] {0, 0, 0}, bn.runningMean().data());
        assertArrayEquals(new float[] {1, 1, 1}, bn.runningVar().data());
        assertEquals(0, bn.numBatchesTracked());
        assertEquals(Set.of("num_batches_tracked"), bn.countBufferNames());
        assertEquals(Set.of("1.num_batches_tracked", "3.0.num_batches_tracked"),
                new Sequential(new Linear(2, 4), new BatchNorm1d(4), new ReLU(), new Sequential(new BatchNorm1d(4)))
                        .countBufferNames());
    }

    @Test
    void withoutAffineOrRunningStatisticsTheStateShrinksAsInPyTorch() {
        assertEquals(Set.of("running_mean", "running_var", "num_batches_tracked"),
                new BatchNorm2d(BatchNormConfig.of(2).affine(false)).stateDict().keySet());
        assertEquals(Set.of("weight", "bias"), new BatchNorm1d(BatchNormConfig.of(2).trackRunningStats(false)).stateDict().keySet());
        BatchNorm2d bare = new BatchNorm2d(BatchNormConfig.of(2).affine(false).trackRunningStats(false));
        assertEquals(Set.of(), bare.stateDict().keySet());
        assertNull(bare.weight());
        assertNull(bare.runningMean());
    }

    @Test
    void trainingCountsBatchesAndMovesTheStatisticsEvaluationUsesThem() {
        BatchNorm2d bn = new BatchNorm2d(2);
        Tensor x = TestTensors.uniform(new Rng(1), 2, 4, 4, 2, 3, 3);
        bn.forward(x);
        try (var _ = GradMode.noGrad()) {
            bn.forward(x); // no gradient recorded, but training mode still updates the statistics, as in PyTorch
        }
        assertEquals(2, bn.numBatchesTracked());
        float[] mean = bn.runningMean().toArray();
        assertNotEquals(0f, mean[0]);
        bn.eval();
        Tensor y = bn.forward(x);
        assertEquals(2, bn.numBatchesTracked(), "evaluation counts nothing");
        assertArrayEquals(mean, bn.runningMean().data(), "evaluation changes nothing");
        // With weight 1 and bias 0, evaluation is (x - running_mean) / sqrt(running_var + eps).
        float expected = (x.get(1, 1, 2, 0) - mean[1]) / (float) Math.sqrt(bn.runningVar().data()[1] + 1e-5f);
        assertEquals(expected, y.get(1, 1, 2, 0), 1e-6f);
    }

    @Test
    void initializeResetsWeightsAndStatistics() {
        BatchNorm1d bn = new BatchNorm1d(3);
        bn.forward(TestTensors.uniform(new Rng(2), 1, 2, 4, 3));
        bn.weight().data()[0] = 5f;
        bn.initialize(Init.HE_NORMAL, new Rng(3));
        assertArrayEquals(new float[] {1, 1, 1}, bn.weight().data());
        assertArrayEquals(new float[] {0, 0, 0}, bn.runningMean().data());
        assertEquals(0, bn.numBatchesTracked());
    }

    @Test
    void gradientsOfInputWeightAndBias() {
        for (Module bn : List.<Module>of(new BatchNorm2d(2), new BatchNorm1d(3), new BatchNorm1d(2))) {
            BatchNorm b = (BatchNorm) bn;
            b.weight().data()[0] = 1.5f;
            b.bias().data()[1] = -0.25f;
            int[] dims = bn instanceof BatchNorm2d ? new int[] {2, 2, 3, 2} : b.settings().numFeatures() == 3
                    ? new int[] {5, 3} : new int[] {2, 2, 4};
            ModuleGradCheck.check(bn, TestTensors.uniform(new Rng(4), -1, 1, dims));
        }
    }

    /** BatchNorm then ReLU runs fused unless hooked; both ways give the same bits, forward and backward. */
    @Test
    void sequentialFusesTheFollowingReluWithTheSameResult() {
        ReluFusionCheck.assertFusedMatchesUnfused(() -> {
            BatchNorm2d bn = new BatchNorm2d(2);
            bn.weight().data()[1] = 0.5f;
            return bn;
        }, TestTensors.uniform(new Rng(5), -1, 1, 3, 2, 3, 3), TestTensors.uniform(new Rng(6), -1, 1, 3, 2, 3, 3),
                "BatchNorm+ReLU", "weight");
    }

    @Test
    void wrongInputsAreNamedWithTheLayer() {
        var e = assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(32).forward(Tensor.zeros(2, 16, 4, 4)));
        assertEquals("BatchNorm2d(32) expects input [N, 32, H, W], got [2, 16, 4, 4]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(8).forward(Tensor.zeros(2, 8, 4, 4)));
        assertEquals("BatchNorm1d(8) expects input [N, 8] or [N, 8, L], got [2, 8, 4, 4]: use BatchNorm2d for images",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Sequential(new Linear(3, 4), new BatchNorm1d(4))
                .initialize(new Rng(0)).forward(Tensor.zeros(1, 3)));
        assertEquals("layer 1: batchNorm: expected more than 1 value per channel when training, got input [1, 4];"
                + " use a batch of 2 or more, or eval() mode", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(BatchNormConfig.of(4).momentum(1.5)));
        assertEquals("BatchNorm: momentum must be in [0, 1], got 1.5", e.getMessage());
    }

    @Test
    void describesItselfAsPyTorchWould() {
        assertEquals("BatchNorm2d(32)", new BatchNorm2d(32).toString());
        assertEquals("BatchNorm1d(8, eps=0.001, momentum=0.01, affine=False, track_running_stats=False)",
                new BatchNorm1d(BatchNormConfig.of(8).eps(1e-3).momentum(0.01).affine(false).trackRunningStats(false)).toString());
    }
}
