package io.cnn4j.nn;

import io.cnn4j.tensor.Tensor;

/** Sees a module's input and output each time it runs: for feature maps, statistics and Grad-CAM. */
@FunctionalInterface
public interface ForwardHook {
    void onForward(Module module, Tensor input, Tensor output);
}
