package io.cnn4j.extension;

import io.cnn4j.autograd.Functional;
import io.cnn4j.nn.LayerConfig;
import io.cnn4j.nn.LayerType;
import io.cnn4j.nn.Module;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

/**
 * {@code x * sigmoid(x)}, a layer written as a user of cnn4j writes one, outside its packages: without
 * parameters or arguments, and built of existing operations, so its gradient comes with them.
 */
public final class Swish extends Module {
    public static final LayerType TYPE = LayerType.of("Swish", c -> new Swish());

    @Override
    protected Tensor compute(Tensor input) {
        return Functional.mul(input, Functional.sigmoid(input));
    }

    @Override
    public Shape outputShape(Shape input) {
        return input;
    }

    @Override
    public LayerConfig config() {
        return TYPE.config();
    }

    @Override
    public String toString() {
        return "Swish()";
    }
}
