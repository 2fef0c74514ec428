package io.cnn4j.nn;

import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

import java.util.Arrays;

/**
 * What LayerNorm, GroupNorm and InstanceNorm2d share: the eps added to the variance, and an optional
 * learned {@code weight} (ones) and {@code bias} (zeros), under PyTorch's names, that scale and shift the
 * normalised values. They keep no running statistics: every input is normalised with its own.
 */
abstract class AffineNorm extends Module {
    final float eps;
    final Tensor weight;
    final Tensor bias;

    AffineNorm(String type, double eps, boolean affine, int... affineShape) {
        if (!(eps > 0) || !Double.isFinite(eps)) {
            throw new IllegalArgumentException(type + ": eps must be a positive number, got " + eps);
        }
        this.eps = (float) eps;
        weight = affine ? registerParameter("weight", Tensor.zeros(affineShape)) : null;
        bias = affine ? registerParameter("bias", Tensor.zeros(affineShape)) : null;
        reset();
    }

    /** Weight one and bias zero whatever the scheme, as PyTorch starts them. */
    @Override
    protected void resetParameters(Init init, Rng rng) {
        reset();
    }

    private void reset() {
        startAffine(weight, bias);
    }

    /** Sets a normalisation's scale to ones and its shift to zeros, where it has them (null otherwise). */
    static void startAffine(Tensor weight, Tensor bias) {
        if (weight != null) {
            Arrays.fill(weight.data(), 1f);
            Arrays.fill(bias.data(), 0f);
        }
    }

    @Override
    public Shape outputShape(Shape input) {
        checkInput(input);
        return input;
    }

    /** The scale ONNX's normalisation nodes need: the weight, or ones of its shape where the layer has none. */
    final String onnxScale(OnnxScope onnx, int... shape) {
        return weight != null ? onnx.parameter("weight", weight) : onnx.constant("scale", Tensor.full(1f, shape));
    }

    /** The shift ONNX's normalisation nodes need: the bias, or zeros. */
    final String onnxShift(OnnxScope onnx, int... shape) {
        return bias != null ? onnx.parameter("bias", bias) : onnx.constant("shift", Tensor.zeros(shape));
    }

    /** Throws IllegalArgumentException, naming this layer, when {@code input} is not of a shape it takes. */
    abstract void checkInput(Shape input);
}
