package io.cnn4j.explain;

import io.cnn4j.nn.Module;
import io.cnn4j.tensor.GradMode;
import io.cnn4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * One forward and one backward pass from a class's logit: its gradient with respect to the input and, when a
 * layer is watched, to that layer's output. The model's parameters keep their gradients: they are marked
 * as not requiring one for the pass (so nothing accumulates into them) and restored after, whatever happens.
 * The model runs in the mode it is in.
 */
final class ScoreGradients {
    final int classIndex;
    final float score;
    /** dScore/dInput, {@code [1, C, H, W]}. */
    final Tensor inputGradient;
    /** The watched layer's output and dScore/dOutput, or null when no layer is watched. */
    final Tensor activation;
    final Tensor activationGradient;

    private ScoreGradients(int classIndex, float score, Tensor inputGradient, Tensor activation, Tensor activationGradient) {
        this.classIndex = classIndex;
        this.score = score;
        this.inputGradient = inputGradient;
        this.activation = activation;
        this.activationGradient = activationGradient;
    }

    /** {@code classIndex} negative: the predicted class. {@code layer} null: none watched. */
    static ScoreGradients compute(Module model, Tensor input, Module layer, String layerName, int classIndex) {
        if (input.rank() != 4 || input.dim(0) != 1) {
            throw new IllegalArgumentException("explain: the input must be one picture [1, C, H, W], not " + input.shape());
        }
        Tensor x = input.copy().requiresGrad(true);
        Tensor[] watched = new Tensor[2];
        Runnable unhook = layer == null ? () -> { } : layer.addForwardHook((m, in, out) -> {
            // The values are copied now: a buffer the forward pass hands out may be reused during backward.
            watched[0] = out.copy();
            watched[1] = out.retainGrad();
        });
        List<Tensor> frozen = new ArrayList<>();
        for (Tensor p : model.parameters()) {
            if (p.requiresGrad()) {
                p.requiresGrad(false);
                frozen.add(p);
            }
        }
        try (var ignored = GradMode.enableGrad()) {
            Tensor logits = model.forward(x);
            if (logits.rank() != 2 || logits.dim(0) != 1) {
                throw new IllegalArgumentException("explain: the model's output must be class scores [1, classes], not " + logits.shape());
            }
            int classes = logits.dim(1);
            int c = classIndex < 0 ? argmax(logits.data()) : classIndex;
            if (c >= classes) {
                throw new IllegalArgumentException("explain: class " + c + " is out of range: the model has " + classes
                        + " classes (0 to " + (classes - 1) + ")");
            }
            if (layer != null && watched[0] == null) {
                throw new IllegalArgumentException("explain: layer " + layerName + " did not run in the forward pass");
            }
            float score = logits.get(0, c);
            Tensor oneHot = Tensor.zeros(logits.shape());
            oneHot.set(1f, 0, c);
            logits.backward(oneHot);
            Tensor activationGradient = watched[1] == null ? null
                    : watched[1].grad() != null ? watched[1].grad() : Tensor.zeros(watched[1].shape());
            Tensor inputGradient = x.grad() != null ? x.grad() : Tensor.zeros(x.shape());
            return new ScoreGradients(c, score, inputGradient, watched[0], activationGradient);
        } finally {
            unhook.run();
            frozen.forEach(p -> p.requiresGrad(true));
        }
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
