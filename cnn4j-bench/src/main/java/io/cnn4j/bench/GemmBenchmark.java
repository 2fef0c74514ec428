package io.cnn4j.bench;

import io.cnn4j.kernel.CpuKernels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * {@link CpuKernels#gemm}: {@code C = op(A) op(B)} with {@code op(A)} of {@code m x k} and {@code op(B)} of
 * {@code k x n}, in the three layouts the layers use: NN (linear backward to the input), TN (convolution
 * backward to the input, linear backward to the weights) and NT (linear forward, convolution backward to
 * the weights). 2mnk flops a call.
 */
public class GemmBenchmark extends KernelBenchmark {

    /**
     * {@code m x k x n}: {@code op(A)} is m x k, {@code op(B)} k x n. The square case, then what the built-in models
     * multiply at batch 64: seed's convolution as one im2col product over the batch (as PyTorch does it)
     * and per image (as CpuKernels does it), small's second convolution per image, small's first linear
     * layer forward and its weight gradient.
     */
    @Param({"1024x1024x1024", "36864x25x32", "32x25x576", "64x288x196", "64x3136x128", "128x64x3136"})
    public String shape;

    /** Whether A and B are stored transposed: {@code T} for a stored {@code k x m} A or {@code n x k} B. */
    @Param({"NN", "TN", "NT"})
    public String layout;

    @Param({"1"})
    public int threads;

    /**
     * The micro-kernel tile, e.g. {@code 12x2v} (see {@link CpuKernels#gemmTile()}), set before the first multiply of
     * the benchmark's own JVM; empty for the one measured on this processor.
     */
    @Param({""})
    public String tile;

    private int m;
    private int n;
    private int k;
    private boolean transA;
    private boolean transB;
    private float[] a;
    private float[] b;
    private float[] c;

    @Setup(Level.Trial)
    public void setUp() {
        String[] sizes = shape.split("x");
        if (sizes.length != 3 || !layout.matches("[NT][NT]")) {
            throw new IllegalArgumentException("shape must be MxKxN and layout NN, NT, TN or TT; got " + shape + " " + layout);
        }
        m = Integer.parseInt(sizes[0]);
        k = Integer.parseInt(sizes[1]);
        n = Integer.parseInt(sizes[2]);
        transA = layout.charAt(0) == 'T';
        transB = layout.charAt(1) == 'T';
        a = LayerArrays.random(m * k, 1);
        b = LayerArrays.random(k * n, 2);
        c = new float[m * n];
        if (!tile.isEmpty()) {
            System.setProperty("cnn4j.gemm.tile", tile);
        }
        kernels = new CpuKernels(threads);
        if (!CpuKernels.gemmTile().startsWith(tile)) {
            throw new IllegalStateException("tile " + tile + " asked for, but this JVM multiplies with " + CpuKernels.gemmTile()
                    + ": run each tile in a JVM of its own (-f 1 or more)");
        }
    }

    @Benchmark
    public void multiply(GigaFlops flops) {
        kernels.gemm(transA, transB, m, n, k, a, 0, transA ? m : k, b, 0, transB ? k : n, 0f, c, 0, n);
        flops.add(2L * m * n * k);
    }
}
