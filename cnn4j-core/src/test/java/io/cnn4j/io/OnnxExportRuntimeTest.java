package io.cnn4j.io;

import com.google.gson.Gson;
import io.cnn4j.data.InputSpec;
import io.cnn4j.tensor.GradMode;
import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every built-in model and a described model of every layer type, exported and run in ONNX Runtime on a
 * thousand images, give cnn4j's logits to 1e-5, in batches of 64 and one image at a time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnnxExportRuntimeTest {
    private static final double TOLERANCE = 1e-5;

    List<ExportedModels.Case> models() {
        return ExportedModels.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void onnxRuntimeGivesCnn4jsLogits(ExportedModels.Case c) throws Exception {
        byte[] onnx = io.cnn4j.onnx.OnnxFile.encode(OnnxExport.of(c.model(), c.input()).toOnnx());
        try (OnnxRuntime runtime = new OnnxRuntime(onnx)) {
            assertEquals(new Gson().toJson(c.input().classNames()), runtime.metadata().get(InputSpec.CLASSES_KEY));
            for (int batch : new int[]{64, 1}) {
                double worst = 0;
                for (int from = 0; from < ExportedModels.IMAGES; from += batch) {
                    int to = Math.min(from + batch, ExportedModels.IMAGES);
                    float[][] theirs = runtime.run(c.pixels(), c.input().shape(), from, to);
                    float[] ours = logits(c, from, to);
                    int classes = c.input().classes();
                    for (int i = 0; i < to - from; i++) {
                        for (int k = 0; k < classes; k++) {
                            worst = Math.max(worst, Math.abs(theirs[i][k] - ours[i * classes + k]));
                        }
                    }
                }
                assertTrue(worst <= TOLERANCE, String.format(Locale.ROOT,
                        "%s at batch %d: ONNX Runtime's logits differ from cnn4j's by up to %.3g", c, batch, worst));
            }
        }
    }

    private static float[] logits(ExportedModels.Case c, int from, int to) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            Tensor out = c.model().forward(ExportedModels.normalised(c.input(), c.pixels(), from, to));
            return out.toArray();
        }
    }
}
