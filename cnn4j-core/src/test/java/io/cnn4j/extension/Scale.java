package io.cnn4j.extension;

import io.cnn4j.nn.Init;
import io.cnn4j.nn.LayerConfig;
import io.cnn4j.nn.LayerType;
import io.cnn4j.nn.Module;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

import java.util.List;

/**
 * Multiplies each feature of {@code [N, F]} by its own factor, {@code weight} {@code [F]}: a layer written
 * outside cnn4j that declares its ONNX form, a Mul by its weight, as LayerType's Javadoc shows. Only its
 * forward pass is written (the export tests run it, nothing trains it).
 */
public final class Scale extends Module {
    public static final LayerType TYPE = LayerType.of("Scale", c -> new Scale(c.intArg("features")))
            .require("features", LayerType.Kind.WHOLE)
            .exportsTo(Scale.class, (layer, onnx, x) -> onnx.node("Mul", List.of(x, onnx.parameter("weight", layer.weight))));

    private final int features;
    private final Tensor weight;

    public Scale(int features) {
        this.features = features;
        this.weight = registerParameter("weight", Tensor.full(1f, features));
    }

    @Override
    protected Tensor compute(Tensor input) {
        outputShape(input.shape());
        float[] x = input.data();
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] * weight.data()[i % features];
        }
        return Tensor.of(y, input.shape());
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() != 2 || input.dim(1) != features) {
            throw new IllegalArgumentException(this + " expects input [N, " + features + "], got " + input);
        }
        return input;
    }

    /** Factors from 0.5 to 1.5, so that an export that dropped them would show. */
    @Override
    protected void resetParameters(Init init, Rng rng) {
        float[] w = weight.data();
        for (int i = 0; i < w.length; i++) {
            w[i] = rng.uniform(0.5, 1.5);
        }
    }

    @Override
    public LayerConfig config() {
        return TYPE.config("features", features);
    }

    @Override
    public String toString() {
        return "Scale(" + features + ")";
    }
}
