package io.cnn4j.nn;

import io.cnn4j.tensor.Tensor;

/** Returns its input unchanged (PyTorch's {@code nn.Identity}): a placeholder branch, e.g. of a {@link Concat}. */
public final class Identity extends StatelessLayer {
    public Identity() {
        super("Identity");
    }

    @Override
    protected Tensor compute(Tensor input) {
        return input;
    }
}
