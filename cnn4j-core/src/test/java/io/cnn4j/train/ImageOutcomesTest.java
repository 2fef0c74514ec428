package io.cnn4j.train;

import io.cnn4j.data.Dataset;
import io.cnn4j.nn.Conv2d;
import io.cnn4j.nn.Flatten;
import io.cnn4j.nn.Linear;
import io.cnn4j.nn.Module;
import io.cnn4j.nn.ReLU;
import io.cnn4j.nn.Sequential;
import io.cnn4j.tensor.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageOutcomesTest {
    @Test
    void eachImagesOutcomeAddsUpToTheEvaluation() {
        Dataset data = TinyRun.images(37, 5);
        Module model = new Sequential(new Conv2d(1, 3, 3), new ReLU(), new Flatten(), new Linear(3 * 6 * 6, 3))
                .initialize(new Rng(2));
        Evaluation e = Evaluator.evaluate(model, data, 8);
        ImageOutcomes o = e.images();
        assertEquals(37, o.size());
        int[][] confusion = new int[3][3];
        double loss = 0;
        for (int i = 0; i < o.size(); i++) {
            confusion[data.label(i)][o.predicted()[i]]++;
            loss += o.loss()[i];
            assertTrue(o.confidence()[i] >= 1.0 / 3 - 1e-6 && o.confidence()[i] <= 1, "the predicted class's probability");
            if (o.predicted()[i] == data.label(i)) {
                assertEquals(-Math.log(o.confidence()[i]), o.loss()[i], 1e-5, "a right answer's loss is -log of its probability");
            }
        }
        assertEquals(java.util.Arrays.deepToString(e.confusion()), java.util.Arrays.deepToString(confusion));
        assertEquals(e.loss(), loss / o.size(), 1e-5, "the mean of the images' losses is the set's");
    }
}
