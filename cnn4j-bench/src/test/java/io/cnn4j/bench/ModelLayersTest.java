package io.cnn4j.bench;

import io.cnn4j.kernel.ConvGeometry;
import io.cnn4j.kernel.PoolGeometry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmarks measure the sizes the built-in models really run, written out here by hand. */
class ModelLayersTest {

    @Test
    void convolutionsHaveTheModelsGeometry() {
        assertEquals(new ConvLayer(ConvGeometry.of(64, 1, 28, 28, 32, 5, 5, 1, 0, 1, 1), true, true),
                ModelLayers.conv("seed.conv1", 64));
        assertEquals(new ConvLayer(ConvGeometry.of(64, 6, 14, 14, 16, 5, 5, 1, 0, 1, 1), true, true),
                ModelLayers.conv("lenet5.conv2", 64));
        ConvGeometry small2 = ModelLayers.conv("small.conv2", 8).geometry();
        assertEquals(ConvGeometry.of(8, 32, 14, 14, 64, 3, 3, 1, 1, 1, 1), small2);
        assertEquals(14, small2.outH());
    }

    @Test
    void poolsAndLinearLayersHaveTheModelsSizes() {
        assertEquals(PoolGeometry.of(64 * 16, 10, 10, 2, 2, 0), ModelLayers.pool("lenet5.pool2", 64));
        assertEquals(PoolGeometry.of(64 * 64, 14, 14, 2, 2, 0), ModelLayers.pool("small.pool2", 64));
        assertEquals(new DenseLayer(64, 3136, 128, true, true), ModelLayers.dense("small.fc1", 64));
        assertEquals(new DenseLayer(64, 4608, 10, true, false), ModelLayers.dense("seed.fc1", 64));
        assertEquals(new DenseLayer(64, 84, 10, true, false), ModelLayers.dense("lenet5.fc3", 64));
    }

    @Test
    void unknownLayersAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelLayers.conv("seed.conv2", 64))
                .getMessage().contains("no layer conv2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelLayers.pool("small.fc1", 64))
                .getMessage().contains("MODEL.poolN"));
        assertThrows(IllegalArgumentException.class, () -> ModelLayers.dense("nosuchmodel.fc1", 64));
    }
}
