package io.cnn4j.explain;

import io.cnn4j.nn.Module;
import io.cnn4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Grad-CAM (Selvaraju et al. 2017): where in a picture a convolutional layer saw evidence for a class.
 * With {@code A} the layer's output {@code [1, K, h, w]} and {@code y} the class's logit (before softmax),
 * each channel's weight is {@code alpha_k = mean over h, w of dy/dA_k}, and the map is
 * {@code ReLU(sum_k alpha_k A_k)}, {@code [h, w]}; {@link Heatmap#upsampled} lays it over the picture.
 *
 * {@snippet :
 * model.eval();                                     // batch norm and dropout as at inference: the caller's choice
 * Explanation e = GradCam.of(model).explain(input); // input [1, C, H, W], normalised as the model expects
 * Heatmap overlay = e.map().upsampled(input.dim(2), input.dim(3)).normalised();
 * }
 *
 * <p>The model runs in the mode it is in (call {@code eval()} first to explain predictions as they are
 * made). Its parameters' gradients are left as they were.
 */
public final class GradCam {
    private final Module model;
    private final String layerName;
    private final Module layer;

    private GradCam(Module model, String layerName, Module layer) {
        this.model = model;
        this.layerName = layerName;
        this.layer = layer;
    }

    /**
     * At the default layer: the last convolution on the model's main path, not counting residual
     * shortcuts; in a residual net, the last block's last convolution.
     */
    public static GradCam of(Module model) {
        String last = NamedLayers.lastConvolution(Objects.requireNonNull(model, "model"));
        if (last == null) {
            throw new IllegalArgumentException("Grad-CAM: the model has no convolution to explain; name a layer whose"
                    + " output is feature maps [1, K, h, w]");
        }
        return of(model, last);
    }

    /** At the layer of that dotted name, as {@code summary} prints it ({@code "0"}, {@code "3.body.3"}). */
    public static GradCam of(Module model, String layerName) {
        Module layer = NamedLayers.of(Objects.requireNonNull(model, "model")).get(layerName);
        if (layer == null) {
            List<String> convolutions = NamedLayers.convolutions(model);
            throw new IllegalArgumentException("Grad-CAM: the model has no layer " + layerName + "; its convolutions are "
                    + (convolutions.isEmpty() ? "none" : String.join(", ", convolutions)));
        }
        return new GradCam(model, layerName, layer);
    }

    /** The dotted name of the layer explained. */
    public String layer() {
        return layerName;
    }

    /** The map for the class the model predicts for {@code input} ({@code [1, C, H, W]}). */
    public Explanation explain(Tensor input) {
        return explainClass(input, -1);
    }

    /** The map for class {@code classIndex}, whatever the model predicts. */
    public Explanation explain(Tensor input, int classIndex) {
        return explainClass(input, requireClass(classIndex));
    }

    static int requireClass(int classIndex) {
        if (classIndex < 0) {
            throw new IllegalArgumentException("explain: class " + classIndex + " is out of range: classes count from 0");
        }
        return classIndex;
    }

    /**
     * The maps of several pictures ({@code [N, C, H, W]}) at once, picture {@code i} for class
     * {@code classIndex[i]} (negative: the class the model predicts for it): one forward and one backward
     * pass for them all, each map the same as {@link #explain(Tensor, int)} gives for its picture alone.
     * Only for a model in evaluation mode, where no layer mixes the pictures of a batch.
     *
     * @throws IllegalStateException when the model is in training mode
     */
    public List<Explanation> explainEach(Tensor inputs, int[] classIndex) {
        if (model.isTraining()) {
            throw new IllegalStateException("Grad-CAM: explaining pictures together needs the model in evaluation mode"
                    + " (call eval()), where batch norm does not mix them");
        }
        return explanations(ScoreGradients.computeEach(model, inputs, layer, layerName, classIndex.clone()));
    }

    private Explanation explainClass(Tensor input, int classIndex) {
        return explanations(ScoreGradients.compute(model, input, layer, layerName, classIndex)).getFirst();
    }

    private List<Explanation> explanations(ScoreGradients g) {
        Tensor a = g.activation;
        if (a.rank() != 4) {
            throw new IllegalArgumentException("Grad-CAM: layer " + layerName + " outputs " + a.shape()
                    + ", not feature maps [1, K, h, w]; choose a convolution: " + String.join(", ", NamedLayers.convolutions(model)));
        }
        int k = a.dim(1);
        int plane = a.dim(2) * a.dim(3);
        float[] av = a.data();
        float[] gv = g.activationGradient.data();
        List<Explanation> out = new ArrayList<>();
        for (int n = 0; n < a.dim(0); n++) {
            int base = n * k * plane;
            float[] alpha = new float[k];
            for (int c = 0; c < k; c++) {
                double sum = 0;
                for (int i = 0; i < plane; i++) {
                    sum += gv[base + c * plane + i];
                }
                alpha[c] = (float) (sum / plane);
            }
            float[] map = new float[plane];
            for (int i = 0; i < plane; i++) {
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    sum += (double) alpha[c] * av[base + c * plane + i];
                }
                map[i] = (float) Math.max(sum, 0);
            }
            out.add(new Explanation(layerName, g.classIndex[n], g.score[n], new Heatmap(a.dim(2), a.dim(3), map), alpha));
        }
        return out;
    }
}
