package io.cnn4j.bench;

import io.cnn4j.kernel.ConvGeometry;

/** A convolution layer of a built-in model as the kernels see it: its geometry at a batch, whether it has a bias and a fused ReLU. */
record ConvLayer(ConvGeometry geometry, boolean bias, boolean relu) {
}
