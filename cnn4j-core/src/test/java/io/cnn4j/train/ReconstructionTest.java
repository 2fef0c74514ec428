package io.cnn4j.train;

import io.cnn4j.data.DataLoader;
import io.cnn4j.data.DataSplit;
import io.cnn4j.data.Datasets;
import io.cnn4j.loss.Losses;
import io.cnn4j.models.Models;
import io.cnn4j.nn.Module;
import io.cnn4j.optim.Adam;
import io.cnn4j.tensor.GradMode;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReconstructionTest {

    @Test
    void theAutoencoderLearnsToReconstructFashionMnist() throws IOException {
        DataSplit data = Datasets.embedded();
        var train = data.train().subset(2_000);
        var test = data.test().subset(500);
        Module model = Models.autoencoder().initialize(new Rng(1));
        double before = Reconstruction.meanSquaredError(model, test, 128);
        var adam = new Adam(model.parameters(), 1e-3);
        var loader = DataLoader.shuffled(train, 64, 1);
        double first = Reconstruction.trainEpoch(model, loader, adam);
        double second = Reconstruction.trainEpoch(model, loader, adam);
        double after = Reconstruction.meanSquaredError(model, test, 128);
        assertTrue(second < first, "training MSE fell from " + first + " to " + second);
        assertTrue(after < before / 2, "test MSE fell from " + before + " to " + after);
        assertTrue(model.isTraining(), "measuring restores the training mode");
    }

    @Test
    void theTestFigureIsTheMseOfTheWholeSetWhateverTheBatches() throws IOException {
        var test = Datasets.embedded().test().subset(100);
        Module model = Models.autoencoder().initialize(new Rng(2));
        double whole;
        model.eval();
        try (var ignored = GradMode.noGrad()) {
            Tensor images = test.batch(java.util.stream.IntStream.range(0, 100).toArray());
            whole = Losses.mse(model.forward(images), images).item();
        }
        model.train(true);
        assertEquals(whole, Reconstruction.meanSquaredError(model, test, 30), 1e-6 * whole);
        assertEquals("nothing to evaluate: dataset '" + test.subset(0).description() + "' has no images",
                assertThrows(IllegalArgumentException.class, () -> Reconstruction.meanSquaredError(model, test.subset(0), 8))
                        .getMessage());
    }
}
