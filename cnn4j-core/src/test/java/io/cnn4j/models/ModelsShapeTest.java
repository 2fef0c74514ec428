package io.cnn4j.models;

import io.cnn4j.nn.Init;
import io.cnn4j.nn.Linear;
import io.cnn4j.nn.Module;
import io.cnn4j.nn.Sequential;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ModelsShapeTest {

    @Test
    void everyModelMapsAnyShapeItTakesToOneScorePerClass() {
        Shape[] shapes = {Shape.of(1, 28, 28), Shape.of(3, 32, 32), Shape.of(3, 48, 64), Shape.of(1, 97, 13)};
        for (String name : Models.names()) {
            for (Shape input : shapes) {
                for (int classes : new int[] {2, 3, 10, 100}) {
                    Sequential model = Models.create(name, input, classes);
                    Shape batch = Shape.of(5, input.dim(0), input.dim(1), input.dim(2));
                    assertEquals(Shape.of(5, classes), model.outputShape(batch), name + " for " + input);
                }
            }
        }
    }

    @Test
    void theAutoencoderGivesBackTheShapeOfItsInput() {
        Sequential model = Models.autoencoder();
        assertEquals(Shape.of(5, 1, 28, 28), model.outputShape(Shape.of(5, 1, 28, 28)));
        assertEquals(9_569, model.parameterCount());
        assertEquals("ConvTranspose2d(32, 16, kernel_size=3, stride=2, padding=1, output_padding=1)",
                model.children().get("4").toString());
        assertEquals(Shape.of(2, 3, 32, 48), Models.autoencoder(Shape.of(3, 32, 48)).outputShape(Shape.of(2, 3, 32, 48)));
        assertEquals("model 'autoencoder' is built for an image [C, H, W] with H and W multiples of 4 (it halves them twice"
                + " and doubles them back), got [1, 30, 28]",
                assertThrows(IllegalArgumentException.class, () -> Models.autoencoder(Shape.of(1, 30, 28))).getMessage());
        assertEquals("model 'autoencoder' reconstructs images rather than classifying them: build it with"
                + " Models.autoencoder(shape)", assertThrows(IllegalArgumentException.class, () -> Models.create("autoencoder"))
                .getMessage());
    }

    @Test
    void theSmallestSideIsTakenAndOneLessIsRefusedByName() {
        for (String name : Models.names()) {
            int side = Models.smallestSide(name);
            Sequential model = Models.create(name, Shape.of(3, side, side), 4);
            // A batch of two: batch norm in training needs more than one value per channel.
            assertEquals(Shape.of(2, 4), model.outputShape(Shape.of(2, 3, side, side)), name);
            if (side > 1) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> Models.create(name, Shape.of(3, side, side - 1), 4));
                assertEquals("model '" + name + "' takes images of at least " + side + "x" + side + " pixels, got "
                        + side + "x" + (side - 1) + " (3x" + side + "x" + (side - 1) + ")", e.getMessage());
            }
        }
    }

    @Test
    void theLayerArithmeticSizesTheClassifier() {
        Sequential seed = Models.create("seed", Shape.of(3, 32, 32), 3);
        Linear classifier = (Linear) seed.children().get("4");
        assertEquals(32 * 14 * 14, classifier.inFeatures());
        assertEquals(3, classifier.outFeatures());
        assertEquals(32 * 3 * 5 * 5 + 32 + 32 * 14 * 14 * 3 + 3, seed.parameterCount());
        Linear lenet = (Linear) Models.create("lenet5", Shape.of(3, 64, 48), 7).children().get("7");
        assertEquals(16 * 14 * 10, lenet.inFeatures());
    }

    @Test
    void withoutAShapeTheModelsAreTheFashionMnistOnesWeightForWeight() {
        for (String name : Models.names()) {
            Map<String, Tensor> old = Models.create(name, Init.PYTORCH, new Rng(7)).stateDict();
            Map<String, Tensor> shaped = Models.create(name, Shape.of(1, 28, 28), 10, new Rng(7)).stateDict();
            assertEquals(old.keySet(), shaped.keySet(), name);
            old.forEach((k, t) -> assertArrayEquals(t.data(), shaped.get(k).data(), name + " " + k));
            assertEquals(Models.create(name).config(), Models.create(name, Shape.of(1, 28, 28), 10).config(), name);
        }
    }

    @Test
    void aColourModelTrainsForward() {
        Module model = Models.create("bn", Shape.of(3, 20, 24), 5, new Rng(1));
        Tensor out = model.forward(Tensor.zeros(2, 3, 20, 24));
        assertArrayEquals(new int[] {2, 5}, out.shape().dims());
    }

    @Test
    void badShapesAndClassCountsAreNamed() {
        assertEquals("model 'seed' is built for one image's shape [C, H, W], got [1, 3, 28, 28]",
                assertThrows(IllegalArgumentException.class, () -> Models.create("seed", Shape.of(1, 3, 28, 28), 10)).getMessage());
        assertEquals("model 'small' needs at least 2 classes to tell apart, got 1",
                assertThrows(IllegalArgumentException.class, () -> Models.create("small", Shape.of(1, 28, 28), 1)).getMessage());
        assertEquals("unknown model 'vgg'; built-in models: [seed, lenet5, small, bn, resnet, resnet3]",
                assertThrows(IllegalArgumentException.class, () -> Models.create("vgg", Shape.of(1, 28, 28), 10)).getMessage());
    }
}
