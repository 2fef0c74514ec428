package io.cnn4j.explain;

import io.cnn4j.nn.Module;
import io.cnn4j.tensor.Tensor;

import java.util.Objects;

/**
 * The saliency map (Simonyan et al. 2014): how much each pixel sways a class's logit, the largest
 * {@code |dy/dInput|} over the picture's channels, {@code [H, W]}. The model runs in the mode it is in;
 * its parameters' gradients are left as they were.
 */
public final class Saliency {
    private final Module model;

    private Saliency(Module model) {
        this.model = model;
    }

    public static Saliency of(Module model) {
        return new Saliency(Objects.requireNonNull(model, "model"));
    }

    /** The map for the class the model predicts for {@code input} ({@code [1, C, H, W]}). */
    public Explanation explain(Tensor input) {
        return explainClass(input, -1);
    }

    /** The map for class {@code classIndex}, whatever the model predicts. */
    public Explanation explain(Tensor input, int classIndex) {
        return explainClass(input, GradCam.requireClass(classIndex));
    }

    private Explanation explainClass(Tensor input, int classIndex) {
        ScoreGradients g = ScoreGradients.compute(model, input, null, null, classIndex);
        int channels = input.dim(1);
        int plane = input.dim(2) * input.dim(3);
        float[] grad = g.inputGradient.data();
        float[] map = new float[plane];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < plane; i++) {
                map[i] = Math.max(map[i], Math.abs(grad[c * plane + i]));
            }
        }
        return new Explanation("input", g.classIndex[0], g.score[0], new Heatmap(input.dim(2), input.dim(3), map), new float[0]);
    }
}
