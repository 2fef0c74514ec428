package io.cnn4j.train;

import io.cnn4j.data.BatchFeed;
import io.cnn4j.data.DataLoader;
import io.cnn4j.data.Dataset;
import io.cnn4j.nn.Flatten;
import io.cnn4j.nn.Linear;
import io.cnn4j.nn.Module;
import io.cnn4j.nn.Sequential;
import io.cnn4j.optim.Sgd;
import io.cnn4j.optim.StepLr;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The schedule, validation, early stopping and best-weight keeping of {@link Trainer}. */
class TrainerFeaturesTest {

    private static Module linear() {
        return new Sequential(new Flatten(), new Linear(64, 3)).initialize(new Rng(3));
    }

    @Test
    void theScheduleSetsTheRateOfEveryStep() {
        Module model = linear();
        Dataset data = TinyRun.images(40, 1);
        List<Double> rates = new ArrayList<>();
        var trainer = new Trainer(model, new Sgd(model.parameters(), 99)).schedule(new StepLr(0.1, 4, 0.5))
                .addListener(new TrainingListener() {
                    @Override
                    public void onStep(StepMetrics s) {
                        rates.add(s.learningRate());
                    }
                });
        List<EpochMetrics> history = trainer.fit(DataLoader.shuffled(data, 10, 1), null, 3);
        assertEquals(List.of(0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.025), rates);
        assertEquals(0.025, history.get(2).learningRate());
        assertTrue(Double.isNaN(history.get(0).validationAccuracy()), "no validation set, no validation metrics");
        assertTrue(history.get(0).dataWaitSeconds() >= 0);
    }

    /** Before, an empty training set trained 0 steps and an empty test set scored NaN, both without a word. */
    @Test
    void emptyTrainingValidationOrTestSetsAreErrorsNamingTheData() {
        Module model = linear();
        Dataset data = TinyRun.images(40, 1);
        Dataset none = data.subset(0);
        var trainer = new Trainer(model, new Sgd(model.parameters(), 0.1));
        var e = assertThrows(IllegalArgumentException.class, () -> trainer.fit(DataLoader.shuffled(none, 10, 1), data, 1));
        assertEquals("the training set 'first 0 of 40 blob images' has no images", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> trainer.fit(DataLoader.shuffled(data, 10, 1), none, 1));
        assertEquals("the test set 'first 0 of 40 blob images' has no images", e.getMessage());
        trainer.validation(none);
        e = assertThrows(IllegalArgumentException.class, () -> trainer.fit(DataLoader.shuffled(data, 10, 1), data, 1));
        assertEquals("the validation set 'first 0 of 40 blob images' has no images", e.getMessage());
        assertEquals(0, trainer.steps());
        e = assertThrows(IllegalArgumentException.class, () -> Evaluator.evaluate(model, none, 16));
        assertEquals("nothing to evaluate: dataset 'first 0 of 40 blob images' has no images", e.getMessage());
    }

    @Test
    void earlyStoppingEndsTrainingWhenValidationAccuracyStopsImproving() {
        Module model = linear();
        Dataset data = TinyRun.images(40, 1);
        // A learning rate of 0 never changes the model: validation accuracy never improves after epoch 1.
        var trainer = new Trainer(model, new Sgd(model.parameters(), 0)).validation(TinyRun.images(20, 2)).earlyStopping(2);
        List<EpochMetrics> history = trainer.fit(DataLoader.shuffled(data, 10, 1), null, 10);
        assertEquals(3, history.size(), "epoch 1 is the best; epochs 2 and 3 do not improve; then it stops");
        assertTrue(trainer.stoppedEarly());
        assertEquals(1, trainer.bestEpoch());
        assertFalse(Double.isNaN(history.get(2).validationAccuracy()));
    }

    @Test
    void keepBestPutsBackTheWeightsOfTheBestValidationEpoch() {
        Module model = linear();
        Dataset train = TinyRun.images(60, 1);
        Dataset validation = TinyRun.images(30, 2);
        List<float[]> weightsAfterEpoch = new ArrayList<>();
        List<Double> accuracy = new ArrayList<>();
        // A rate this high makes validation accuracy jump around, so the best epoch is rarely the last.
        var trainer = new Trainer(model, new Sgd(model.parameters(), 3.0)).validation(validation).keepBest(true)
                .addListener(new TrainingListener() {
                    @Override
                    public void onEpochEnd(EpochMetrics m) {
                        weightsAfterEpoch.add(model.parameters().get(0).data().clone());
                        accuracy.add(m.validationAccuracy());
                    }
                });
        trainer.fit(BatchFeed.of(DataLoader.shuffled(train, 10, 1)), null, 8);
        int best = 0;
        for (int e = 1; e < accuracy.size(); e++) {
            if (accuracy.get(e) > accuracy.get(best)) {
                best = e;
            }
        }
        assertTrue(best < accuracy.size() - 1, "the test needs a best epoch before the last: " + accuracy);
        assertEquals(best + 1, trainer.bestEpoch());
        assertEquals(accuracy.get(best), trainer.bestValidationAccuracy());
        Tensor weight = model.parameters().get(0);
        assertArrayEquals(weightsAfterEpoch.get(best), weight.data(), "accuracies by epoch: " + accuracy);
    }
}
