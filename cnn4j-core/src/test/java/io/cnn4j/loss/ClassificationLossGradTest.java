package io.cnn4j.loss;

import io.cnn4j.autograd.GradCheck;
import io.cnn4j.tensor.OnEveryBackend;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.TestTensors;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Finite-difference checks of {@link Losses#bceWithLogits} (with respect to the logits and the targets,
 * with and without positive weights) and {@link Losses#nll}, and their refusals.
 */
@OnEveryBackend
class ClassificationLossGradTest {

    @Test
    void bceWithLogitsLogitsAndTargets() {
        Tensor logits = TestTensors.uniform(new Rng(21), -4, 4, 3, 4).requiresGrad(true);
        Tensor target = TestTensors.uniform(new Rng(22), 0, 1, 3, 4).requiresGrad(true);
        GradCheck.check(in -> Losses.bceWithLogits(in[0], in[1]), logits, target);
        GradCheck.check(in -> Losses.bceWithLogits(in[0], in[1], new float[] {0.5f, 1f, 2f, 3f}), logits, target);
    }

    @Test
    void nllOfLogProbabilities() {
        Tensor scores = TestTensors.uniform(new Rng(23), -3, 0, 4, 5).requiresGrad(true);
        GradCheck.check(in -> Losses.nll(in[0], new int[] {4, 0, 2, 2}), scores);
    }

    @Test
    void mismatchedShapesWeightsAndLabelsAreRefused() {
        Tensor logits = Tensor.zeros(2, 3);
        var e = assertThrows(IllegalArgumentException.class, () -> Losses.bceWithLogits(logits, Tensor.zeros(2, 4)));
        assertEquals("bceWithLogits: logits [2, 3] and target [2, 4] differ in shape", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.bceWithLogits(logits, logits, new float[] {1, 2}));
        assertEquals("bceWithLogits: posWeight has 2 values, one per position of the logits' last dimension (3) is needed",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.nll(logits, new int[] {0, 3}));
        assertEquals("nll: label 3 at batch position 1 is outside [0, 3)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.nll(logits, new int[] {0}));
        assertEquals("nll: 1 labels for a batch of 2 log-probabilities", e.getMessage());
    }
}
