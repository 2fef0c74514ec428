package io.cnn4j.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EvaluationTest {
    /** Rows are true classes: 4 of class 0 (3 right), 2 of class 1 (both taken for 0), none of class 2. */
    private static final Evaluation E = new Evaluation(6, 1.0, 0.5, new double[] {0.75, 0, Double.NaN},
            new int[][] {{3, 0, 1}, {2, 0, 0}, {0, 0, 0}});

    @Test
    void precisionRecallAndF1FollowFromTheConfusionMatrix() {
        assertEquals(0.75, E.recall(0), 1e-15);
        assertEquals(3.0 / 5, E.precision(0), 1e-15);
        assertEquals(2 * 0.6 * 0.75 / (0.6 + 0.75), E.f1(0), 1e-15);
        assertEquals(4, E.support(0));
    }

    @Test
    void aClassNeverRightHasF1ZeroAndOneNeverSeenOrPredictedIsUndefined() {
        assertEquals(0, E.recall(1));
        assertEquals(Double.NaN, E.precision(1), "nothing was predicted as class 1");
        assertEquals(Double.NaN, E.f1(1));
        assertEquals(Double.NaN, E.recall(2), "the set holds no image of class 2");
        assertEquals(0, E.precision(2), "the one image predicted as class 2 was not");
        assertEquals(Double.NaN, E.f1(2));
    }
}
