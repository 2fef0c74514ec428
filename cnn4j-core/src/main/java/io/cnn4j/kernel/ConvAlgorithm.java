package io.cnn4j.kernel;

/**
 * How {@link CpuKernels} computes a convolution. {@link #AUTO} picks per shape and pass, by rules timed on
 * the built-in models' layers; the others force one path, for benchmarks and tests that compare them.
 */
public enum ConvAlgorithm {
    AUTO,
    /** Column matrix plus {@link Gemm}: any shape. */
    IM2COL,
    /** {@link DirectConv}, where it applies (stride 1, one group); other shapes still use im2col. */
    DIRECT,
    /** {@link Winograd} for every pass where it applies (3x3, stride 1); other shapes as AUTO. */
    WINOGRAD
}
