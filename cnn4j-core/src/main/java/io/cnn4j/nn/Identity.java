package io.cnn4j.nn;

import io.cnn4j.tensor.Tensor;

/** Returns its input unchanged (PyTorch's {@code nn.Identity}): a placeholder branch, e.g. of a {@link Concat}. */
public final class Identity extends StatelessLayer {
    public static final LayerType TYPE = LayerType.of("Identity", c -> new Identity())
            .exportsTo(Identity.class, (layer, onnx, x) -> x);

    public Identity() {
        super("Identity");
    }

    @Override
    protected Tensor compute(Tensor input) {
        return input;
    }
}
