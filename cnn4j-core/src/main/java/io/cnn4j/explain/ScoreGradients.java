package io.cnn4j.explain;

import io.cnn4j.nn.Module;
import io.cnn4j.tensor.GradMode;
import io.cnn4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * One forward and one backward pass from a class's logit per picture: its gradient with respect to the
 * input and, when a layer is watched, to that layer's output. Several pictures go through in one batch,
 * the backward pass seeded with each row's own class: in evaluation mode no layer mixes the pictures of a
 * batch, so each row's gradients are those of its picture alone, for one pass instead of one a picture.
 * The model's parameters keep their gradients: they are marked as not requiring one for the pass (so
 * nothing accumulates into them) and restored after, whatever happens. The model runs in the mode it is in.
 */
final class ScoreGradients {
    /** The class explained and its logit, per picture. */
    final int[] classIndex;
    final float[] score;
    /** dScore/dInput, {@code [N, C, H, W]}; null when a layer is watched. */
    final Tensor inputGradient;
    /** The watched layer's output and dScore/dOutput, or null when no layer is watched. */
    final Tensor activation;
    final Tensor activationGradient;

    private ScoreGradients(int[] classIndex, float[] score, Tensor inputGradient, Tensor activation, Tensor activationGradient) {
        this.classIndex = classIndex;
        this.score = score;
        this.inputGradient = inputGradient;
        this.activation = activation;
        this.activationGradient = activationGradient;
    }

    /** One picture {@code [1, C, H, W]}; {@code classIndex} negative: the predicted class. {@code layer} null: none watched. */
    static ScoreGradients compute(Module model, Tensor input, Module layer, String layerName, int classIndex) {
        if (input.rank() != 4 || input.dim(0) != 1) {
            throw new IllegalArgumentException("explain: the input must be one picture [1, C, H, W], not " + input.shape());
        }
        return computeEach(model, input, layer, layerName, new int[] {classIndex});
    }

    /**
     * Pictures {@code [N, C, H, W]}, each with its class ({@code classIndex[i]} negative: the predicted one).
     * With a layer watched, the backward pass starts at the logits and stops at that layer's output, so the
     * layers before it (the first convolution's gradient with respect to the picture above all) cost nothing
     * and {@link #inputGradient} is null; without one it runs down to the picture.
     */
    static ScoreGradients computeEach(Module model, Tensor input, Module layer, String layerName, int[] classIndex) {
        if (input.rank() != 4 || input.dim(0) != classIndex.length) {
            throw new IllegalArgumentException("explain: " + classIndex.length + " classes for the pictures " + input.shape()
                    + "; give pictures [N, C, H, W] and a class for each");
        }
        Tensor x = input.copy().requiresGrad(layer == null);
        Tensor[] watched = new Tensor[2];
        Runnable unhook = layer == null ? () -> { } : layer.addForwardHook((m, in, out) -> {
            // The values are copied now: a buffer the forward pass hands out may be reused during backward.
            watched[0] = out.copy();
            // Nothing before the layer needs a gradient, so its output is where the graph begins.
            watched[1] = out.isLeaf() ? out.requiresGrad(true) : out.retainGrad();
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
            int n = classIndex.length;
            if (logits.rank() != 2 || logits.dim(0) != n) {
                throw new IllegalArgumentException("explain: the model's output must be class scores [" + n + ", classes], not "
                        + logits.shape());
            }
            int classes = logits.dim(1);
            if (layer != null && watched[0] == null) {
                throw new IllegalArgumentException("explain: layer " + layerName + " did not run in the forward pass");
            }
            int[] chosen = new int[n];
            float[] score = new float[n];
            Tensor oneHot = Tensor.zeros(logits.shape());
            for (int i = 0; i < n; i++) {
                int c = classIndex[i] < 0 ? argmax(logits.data(), i * classes, classes) : classIndex[i];
                if (c >= classes) {
                    throw new IllegalArgumentException("explain: class " + c + " is out of range: the model has " + classes
                            + " classes (0 to " + (classes - 1) + ")");
                }
                chosen[i] = c;
                score[i] = logits.get(i, c);
                oneHot.set(1f, i, c);
            }
            logits.backward(oneHot);
            Tensor activationGradient = watched[1] == null ? null
                    : watched[1].grad() != null ? watched[1].grad() : Tensor.zeros(watched[1].shape());
            Tensor inputGradient = layer != null ? null : x.grad() != null ? x.grad() : Tensor.zeros(x.shape());
            return new ScoreGradients(chosen, score, inputGradient, watched[0], activationGradient);
        } finally {
            unhook.run();
            frozen.forEach(p -> p.requiresGrad(true));
        }
    }

    private static int argmax(float[] v, int from, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (v[from + i] > v[from + best]) {
                best = i;
            }
        }
        return best;
    }
}
