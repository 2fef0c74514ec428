package io.cnn4j.extension;

import io.cnn4j.data.InputSpec;
import io.cnn4j.io.OnnxExport;
import io.cnn4j.io.OnnxRuntime;
import io.cnn4j.nn.Flatten;
import io.cnn4j.nn.LayerRegistry;
import io.cnn4j.nn.Linear;
import io.cnn4j.nn.Module;
import io.cnn4j.nn.Sequential;
import io.cnn4j.onnx.OnnxFile;
import io.cnn4j.onnx.OnnxModel;
import io.cnn4j.tensor.GradMode;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A layer of the user's exports as its type declares, given a registry that holds the type; others are refused by name. */
class UserLayerExportTest {

    private static Module scaled() {
        return new Sequential(new Flatten(), new Scale(784), new Linear(784, 10)).initialize(new Rng(3)).eval();
    }

    @Test
    void aUserLayerExportsToTheNodesItsTypeDeclares() throws Exception {
        Module model = scaled();
        OnnxModel onnx = OnnxExport.of(model, InputSpec.FASHION_MNIST).withLayers(LayerRegistry.builtIn().with(Scale.TYPE)).toOnnx();
        assertEquals("Mul", onnx.graph().nodes().get(1).opType());
        assertEquals("/1/Mul", onnx.graph().nodes().get(1).name());
        assertArrayEquals(model.stateDict().get("1.weight").toArray(), onnx.graph().initializer("1.weight").floats());
        float[] pixels = new float[2 * 784];
        Rng rng = new Rng(4);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = rng.uniform(0, 1);
        }
        float[] ours;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            ours = model.forward(Tensor.of(pixels.clone(), 2, 1, 28, 28)).toArray();
        }
        try (OnnxRuntime runtime = new OnnxRuntime(OnnxFile.encode(onnx))) {
            float[][] theirs = runtime.run(pixels, InputSpec.FASHION_MNIST.shape(), 0, 2);
            for (int i = 0; i < 2; i++) {
                assertArrayEquals(Arrays.copyOfRange(ours, 10 * i, 10 * i + 10), theirs[i], 1e-5f);
            }
        }
    }

    @Test
    void aUserLayerOutsideTheRegistryIsRefusedByItsPath() {
        var e = assertThrows(IllegalArgumentException.class, () -> OnnxExport.of(scaled(), InputSpec.FASHION_MNIST).toOnnx());
        assertEquals("cannot export layer '1' (Scale(784)) to ONNX: its type 'Scale' is not in the layer registry "
                + LayerRegistry.builtIn().names() + "; export it with a LayerRegistry that holds its LayerType", e.getMessage());
    }

    @Test
    void aLayerWhoseTypeDeclaresNoMappingIsRefusedByItsPathAndType() {
        Module model = new Sequential(new Sequential(new Flatten(), new Swish()), new Linear(784, 10)).initialize(new Rng(1));
        var e = assertThrows(IllegalArgumentException.class, () -> OnnxExport.of(model, InputSpec.FASHION_MNIST)
                .withLayers(LayerRegistry.builtIn().with(Swish.TYPE)).toOnnx());
        assertEquals("cannot export layer '0.1' (Swish()) to ONNX: its type 'Swish' declares no ONNX mapping"
                + " (LayerType.exportsTo)", e.getMessage());
    }
}
