package io.cnn4j.nn;

import io.cnn4j.autograd.Functional;
import io.cnn4j.tensor.Tensor;

/** [N, C, H, W] to [N, C*H*W], in C, H, W order (as PyTorch's nn.Flatten). */
public final class Flatten extends StatelessLayer {
    public Flatten() {
        super("Flatten");
    }

    @Override
    protected Tensor compute(Tensor input) {
        return Functional.flatten(input);
    }
}
