package io.cnn4j.kernel;

/**
 * How {@link CpuKernels} computes a convolution. {@link #AUTO} picks per shape and pass by measurement on the
 * machine at hand, kept in a {@link TuningCache}, and where nothing is measured by {@link #RULES}; the others
 * force one path, for benchmarks and tests that compare them.
 */
public enum ConvAlgorithm {
    /**
     * The fastest path for each pass of each shape, timed on its first call and kept per processor model: no
     * fixed rule picks well on every CPU. Fixed rules where the kernels' cache does not measure.
     */
    AUTO,
    /** Fixed rules per shape and pass, timed on the built-in models' layers on AMD Zen machines, for 8 and 16 lanes. */
    RULES,
    /** Column matrix plus {@link Gemm}: any shape. */
    IM2COL,
    /** {@link DirectConv}, where it applies (stride 1, one group); other shapes still use im2col. */
    DIRECT,
    /** {@link Winograd} for every pass where it applies (3x3, stride 1); other shapes as RULES. */
    WINOGRAD
}
