package io.cnn4j.io;

import io.cnn4j.data.Datasets;
import io.cnn4j.data.InputSpec;
import io.cnn4j.data.MovingFashion;
import io.cnn4j.data.Normalize;
import io.cnn4j.data.ResizeMode;
import io.cnn4j.models.Models;
import io.cnn4j.nn.Module;
import io.cnn4j.onnx.OnnxFile;
import io.cnn4j.onnx.OnnxModel;
import io.cnn4j.tensor.GradMode;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** video3d exported with its clip input runs in ONNX Runtime and gives cnn4j's logits. */
class ClipOnnxExportTest {
    @Test
    void video3dOnClipsGivesCnn4jsLogitsInOnnxRuntime() throws Exception {
        Shape clip = Shape.of(1, 4, 16, 16);
        Module model = Models.create("video3d", clip, 8, new Rng(6)).eval();
        Normalize normalize = new Normalize(new float[] {0.1f}, new float[] {0.3f});
        InputSpec input = InputSpec.of(clip, MovingFashion.DIRECTIONS, ResizeMode.STRETCH, normalize);
        OnnxModel onnx = OnnxExport.of(model, input).toOnnx();
        assertEquals(5, onnx.graph().inputs().getFirst().dims().size(), "a batch of clips [N, C, T, H, W]");
        Tensor clips = MovingFashion.clips(Datasets.embedded().test().subset(6), new MovingFashion.Options(4, 16, 1, 2))
                .batch(0, 1, 2, 3, 4, 5);
        float[] pixels = clips.toArray();
        Tensor normalised = Tensor.of(pixels.clone(), clips.dims());
        normalize.apply(normalised);
        float[] ours;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            ours = model.forward(normalised).toArray();
        }
        try (OnnxRuntime runtime = new OnnxRuntime(OnnxFile.encode(onnx))) {
            assertEquals("1x4x16x16", runtime.metadata().get(InputSpec.SHAPE_KEY));
            float[][] theirs = runtime.run(pixels, clip, 0, 6);
            for (int i = 0; i < 6; i++) {
                for (int k = 0; k < 8; k++) {
                    assertTrue(Math.abs(theirs[i][k] - ours[i * 8 + k]) < 1e-5, "clip " + i + " class " + k);
                }
            }
        }
    }
}
