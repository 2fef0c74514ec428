package io.cnn4j.bench;

/** A linear layer of a built-in model as the kernels see it: {@code [batch, in] -> [batch, out]}, with or without bias and a fused ReLU. */
record DenseLayer(int batch, int in, int out, boolean bias, boolean relu) {

    /** Floating-point operations of one multiply of this layer's size (forward, or either half of backward). */
    long flop() {
        return 2L * batch * in * out;
    }
}
