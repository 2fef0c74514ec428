package io.cnn4j.nn;

import io.cnn4j.tensor.Tensor;

/**
 * A layer that can apply a following ReLU in the same pass over its output, which saves a full read
 * and write of the activation. {@link Sequential} uses it when no hook needs the output in between.
 */
interface ReluFusable {
    Tensor computeWithRelu(Tensor input);
}
