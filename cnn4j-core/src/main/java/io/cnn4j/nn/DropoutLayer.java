package io.cnn4j.nn;

import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

import java.util.List;
import java.util.function.Function;

/**
 * What {@link Dropout} and {@link Dropout2d} share (PyTorch's {@code _DropoutNd}): the drop probability
 * {@code p}, validated once; a generator split off the model's when the model is
 * {@linkplain Module#initialize initialised}, so a seeded run drops the same units every time (one
 * seeded with 0 until then); and the identity in evaluation mode or with {@code p = 0}.
 */
abstract sealed class DropoutLayer extends Module implements Stochastic permits Dropout, Dropout2d {
    private final String type;
    private final float p;
    /** Replaced by one split off the model's generator when the model is initialised. */
    private Rng rng = new Rng(0);

    DropoutLayer(String type, float p) {
        checkProbability(type, p);
        this.type = type;
        this.p = p;
    }

    @Override
    protected final void resetParameters(Init init, Rng modelRng) {
        rng = modelRng.split();
    }

    @Override
    public final Rng generator() {
        return rng;
    }

    private static void checkProbability(String type, float p) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException(type + ": p must be in [0, 1), got " + p);
        }
    }

    @Override
    protected final Tensor compute(Tensor input) {
        outputShape(input.shape());
        return isTraining() && p > 0f ? drop(input, p, rng) : input;
    }

    /** The input's shape, which dropout keeps; Dropout2d takes images only. */
    @Override
    public final Shape outputShape(Shape input) {
        return outputShape(type, toString(), input);
    }

    private static Shape outputShape(String type, String layer, Shape input) {
        if (type.equals("Dropout2d")) {
            Dropout2d.checkInput(layer, input);
        }
        return input;
    }

    /**
     * The type of the dropout called {@code name} that {@code constructor} builds: a probability {@code p},
     * 0.5 unless given, sized without building the layer.
     */
    static LayerType type(String name, Function<Float, DropoutLayer> constructor) {
        return LayerType.of(name, c -> constructor.apply((float) c.doubleArg("p")))
                .optional("p", LayerType.Kind.NUMBER, 0.5)
                .sizedBy(DropoutLayer::sizes)
                .exportsTo(DropoutLayer.class, (layer, onnx, x) -> onnx.node("Dropout", List.of(x,
                        onnx.constant("ratio", Tensor.scalar(layer.p)))));
    }

    private static LayerSizes sizes(LayerConfig c) {
        String type = c.type();
        float p = (float) c.doubleArg("p");
        checkProbability(type, p);
        String layer = describe(type, p);
        return new LayerSizes(layer, 0, 0, input -> outputShape(type, layer, input));
    }

    /** The training-mode computation: {@code input} with units dropped with probability {@code p}. */
    abstract Tensor drop(Tensor input, float p, Rng rng);

    @Override
    public final LayerConfig config() {
        // The float's shortest decimal (0.1, not 0.10000000149011612), which reads back as the same float.
        return LayerConfig.of(type, "p", Double.parseDouble(Float.toString(p)));
    }

    @Override
    public final String toString() {
        return describe(type, p);
    }

    private static String describe(String type, float p) {
        return type + "(p=" + p + ")";
    }
}
