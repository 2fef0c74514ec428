package io.cnn4j.nn;

import io.cnn4j.limits.TooLargeException;
import io.cnn4j.tensor.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelFootprintTest {
    private static final Module SEED = new Sequential(new Conv2d(1, 32, 5), new ReLU(), new MaxPool2d(2), new Flatten(),
            new Linear(4608, 10));

    @Test
    void theSeedModelsLayersSizesAndMemory() {
        ModelFootprint footprint = ModelFootprint.of(SEED, Shape.of(1, 28, 28));
        assertEquals(List.of(
                new ModelFootprint.Layer("0", "Conv2d(1, 32, kernel_size=5)", Shape.of(1, 32, 24, 24), 832),
                new ModelFootprint.Layer("1", "ReLU()", Shape.of(1, 32, 24, 24), 0),
                new ModelFootprint.Layer("2", "MaxPool2d(kernel_size=2)", Shape.of(1, 32, 12, 12), 0),
                new ModelFootprint.Layer("3", "Flatten()", Shape.of(1, 4608), 0),
                new ModelFootprint.Layer("4", "Linear(4608, 10)", Shape.of(1, 10), 46_090)), footprint.layers());
        assertEquals(46_922, footprint.parameters());
        assertEquals(0, footprint.buffers());
        assertEquals(Shape.of(1, 10), footprint.output());
        assertEquals(18_432 + 18_432 + 4_608 + 4_608 + 10, footprint.activationsPerImage());
        // 4 bytes x (4 x parameters + 3 x batch x (input + activations)), and (parameters + batch x (input + 2 x largest)).
        assertEquals(4L * (4 * 46_922 + 3 * 64 * (784 + 46_090)), footprint.trainingBytes(64));
        assertEquals(4L * (46_922 + 64 * (784 + 2 * 18_432)), footprint.inferenceBytes(64));
    }

    @Test
    void sumsAndConcatenationsAreActivationsTooAndBatchNormsHoldBuffers() {
        Module model = new Sequential(new Residual(new Conv2d(2, 2, 1)), new Concat(new Identity(), new BatchNorm2d(2)));
        ModelFootprint footprint = ModelFootprint.of(model, Shape.of(2, 3, 3));
        assertEquals(List.of("0.body", "1.0", "1.1"), footprint.layers().stream().map(ModelFootprint.Layer::name).toList());
        // conv 18 + sum 18, identity 18 + batch norm 18 + concatenation 36.
        assertEquals(108, footprint.activationsPerImage());
        assertEquals(Shape.of(1, 4, 3, 3), footprint.output());
        assertEquals(6 + 4, footprint.parameters());
        assertEquals(5, footprint.buffers());
    }

    @Test
    void theEvaluationBatchIsTheLargestWhoseInferencePassFits() {
        ModelFootprint footprint = ModelFootprint.of(SEED, Shape.of(1, 28, 28));
        assertEquals(256, footprint.inferenceBatchWithin(Long.MAX_VALUE, 256));
        assertEquals(100, footprint.inferenceBatchWithin(footprint.inferenceBytes(100), 256));
        assertEquals(99, footprint.inferenceBatchWithin(footprint.inferenceBytes(100) - 1, 256));
        assertEquals(1, footprint.inferenceBatchWithin(0, 256), "a batch of one is always tried");
        assertEquals(1, footprint.inferenceBatchWithin(-5, 256));
    }

    @Test
    void aModelFarTooLargeToBuildIsMeasuredWithoutAllocatingIt() {
        LayerConfig huge = new LayerConfig("Sequential", Map.of(), List.of(LayerConfig.of("Flatten"),
                LayerConfig.of("Linear", "in_features", 784, "out_features", 1_200_000)));
        ModelFootprint footprint = ModelFootprint.of(huge, Shape.of(1, 28, 28));
        assertEquals(784L * 1_200_000 + 1_200_000, footprint.parameters());
        assertTrue(footprint.trainingBytes(1) > 15_000_000_000L, "four copies of 942M parameters");
        var e = assertThrows(TooLargeException.class, () -> footprint.requireTrainingFits(32));
        assertTrue(e.getMessage().startsWith("training at batch 32 (942,000,000 parameters, 1,200,784 activation values"
                + " per image of [1, 28, 28]) needs 15.5 GB of memory, but the JVM has "), e.getMessage());
    }

    @Test
    void anImageTheModelCannotTakeIsNamedAsTheForwardPassWouldNameIt() {
        var e = assertThrows(LayerInputException.class, () -> ModelFootprint.of(SEED, Shape.of(3, 28, 28)));
        assertEquals("layer 0: Conv2d(1, 32, kernel_size=5) expects input [N, 1, H, W], got [1, 3, 28, 28]", e.getMessage());
        var empty = assertThrows(IllegalArgumentException.class, () -> ModelFootprint.of(SEED, Shape.of(1, 0, 28)));
        assertEquals("an image shape needs dimensions of at least 1, got [1, 0, 28]", empty.getMessage());
        var batch = assertThrows(IllegalArgumentException.class, () -> ModelFootprint.of(SEED, Shape.of(1, 28, 28)).trainingBytes(0));
        assertEquals("a batch holds at least one image, got 0", batch.getMessage());
    }
}
