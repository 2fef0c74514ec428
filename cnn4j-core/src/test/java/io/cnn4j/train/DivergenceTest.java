package io.cnn4j.train;

import io.cnn4j.data.DataLoader;
import io.cnn4j.data.Dataset;
import io.cnn4j.nn.BatchNorm2d;
import io.cnn4j.nn.Conv2d;
import io.cnn4j.nn.Flatten;
import io.cnn4j.nn.Linear;
import io.cnn4j.nn.Module;
import io.cnn4j.nn.ReLU;
import io.cnn4j.nn.Sequential;
import io.cnn4j.optim.Sgd;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run whose numbers stop being finite stops, and the model it leaves is its last good state, bit for
 * bit: never NaN or infinite weights or statistics, whichever number went first.
 */
class DivergenceTest {
    private static final Dataset TRAIN = TinyRun.images(40, 1);
    private static final Dataset TEST = TinyRun.images(20, 2);

    private static Module convNet() {
        return new Sequential(new Conv2d(1, 2, 3), new BatchNorm2d(2), new ReLU(), new Flatten(), new Linear(2 * 6 * 6, 3))
                .initialize(new Rng(4));
    }

    private static float[][] state(Module model) {
        return model.stateDict().values().stream().map(Tensor::data).map(float[]::clone).toArray(float[][]::new);
    }

    private static void assertState(float[][] expected, Module model) {
        float[][] actual = state(model);
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual[i], "tensor " + i);
        }
    }

    @Test
    void anUpdateThatOverflowsPutsTheModelBackToTheWeightsItStartedWith() {
        Module model = convNet();
        float[][] start = state(model);
        var trainer = new Trainer(model, new Sgd(model.parameters(), Double.POSITIVE_INFINITY));
        var e = assertThrows(DivergedException.class, () -> trainer.fit(DataLoader.shuffled(TRAIN, 8, 1), TEST, 2));
        assertEquals("parameter '0.weight' became -Infinity (18 of 18 values are not finite) at step 1 (epoch 1); training"
                + " stopped and the model was put back to the weights it started with. Try a lower learning rate.", e.getMessage());
        assertEquals(1, e.step());
        assertEquals(OptionalLong.of(0), e.keptStep(), "the weights it started with gave a finite loss at step 1");
        assertState(start, model);
        assertEquals(0, trainer.steps());
    }

    /** A listener raises the rate after step 3: the update of step 4 overflows, and the state after step 3 comes back. */
    @Test
    void anOverflowingUpdatePutsBackTheStateAfterTheLastGoodStep() {
        Module model = convNet();
        Sgd sgd = new Sgd(model.parameters(), 0.05);
        float[][][] afterStep3 = new float[1][][];
        var trainer = new Trainer(model, sgd).addListener(new TrainingListener() {
            @Override
            public void onStep(StepMetrics s) {
                if (s.step() == 3) {
                    afterStep3[0] = state(model);
                    sgd.setLearningRate(Double.MAX_VALUE);
                }
            }
        });
        var e = assertThrows(DivergedException.class, () -> trainer.fit(DataLoader.shuffled(TRAIN, 8, 1), TEST, 2));
        assertEquals(4, e.step());
        assertEquals(OptionalLong.of(3), e.keptStep(), e.getMessage());
        assertTrue(e.getMessage().contains("at step 4 (epoch 1); training stopped and the model was put back to its"
                + " weights after step 3, the last that gave a finite loss"), e.getMessage());
        assertState(afterStep3[0], model);
    }

    /**
     * Weights a listener sets to the largest float after step 3 stand for an update that leaves them finite
     * but useless: the loss of step 4 overflows, so they are not good, and the state after step 2 comes back.
     */
    @Test
    void aLossThatIsNotFiniteCondemnsTheWeightsThatGaveIt() {
        Module model = convNet();
        float[][][] afterStep2 = new float[1][][];
        var trainer = new Trainer(model, new Sgd(model.parameters(), 0.05)).addListener(new TrainingListener() {
            @Override
            public void onStep(StepMetrics s) {
                if (s.step() == 2) {
                    afterStep2[0] = state(model);
                } else if (s.step() == 3) {
                    Arrays.fill(model.stateDict().get("4.weight").data(), Float.MAX_VALUE);
                }
            }
        });
        var e = assertThrows(DivergedException.class, () -> trainer.fit(DataLoader.shuffled(TRAIN, 8, 1), TEST, 2));
        assertTrue(e.getMessage().startsWith("the loss became NaN at step 4 (epoch 1)"), e.getMessage());
        assertEquals(OptionalLong.of(2), e.keptStep());
        assertState(afterStep2[0], model);
    }

    /**
     * Weights of 1e20 make the batch variance overflow: batch norm's output, normalised by the batch, and
     * so the loss and the gradients stay finite, while its running variance becomes infinite.
     */
    @Test
    void batchNormRunningStatisticsThatOverflowStopTheRun() {
        Module model = convNet();
        Arrays.fill(model.stateDict().get("0.weight").data(), 1e20f);
        float[][] start = state(model);
        var trainer = new Trainer(model, new Sgd(model.parameters(), 1e-3));
        var e = assertThrows(DivergedException.class, () -> trainer.fit(DataLoader.shuffled(TRAIN, 8, 1), TEST, 1));
        assertTrue(e.getMessage().startsWith("buffer '1.running_var' became Infinity (2 of 2 values are not finite) at"
                + " step 1 (epoch 1)"), e.getMessage());
        assertState(start, model);
        assertEquals(0f, model.stateDict().get("1.num_batches_tracked").item(), "the forward pass's count is undone too");
    }

    /** A negative running variance is finite, so training takes it; the evaluation's square root does not. */
    @Test
    void aTestLossThatIsNotFiniteEndsTheRunInsteadOfBeingReported() {
        Module model = convNet();
        Arrays.fill(model.stateDict().get("1.running_var").data(), -100f);
        var trainer = new Trainer(model, new Sgd(model.parameters(), 1e-3)).maxSteps(1);
        var e = assertThrows(DivergedException.class, () -> trainer.fit(DataLoader.shuffled(TRAIN, 8, 1), TEST, 1));
        assertEquals("the test loss became NaN in the evaluation after epoch 1 (step 1): the model's weights are finite"
                + " but its outputs are not; training stopped. Try a lower learning rate.", e.getMessage());
        assertEquals(OptionalLong.empty(), e.keptStep());
    }
}
