package io.cnn4j.bench;

import io.cnn4j.kernel.CpuKernels;
import io.cnn4j.kernel.PoolGeometry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Max pooling forward and backward on {@link CpuKernels} for every pooling layer of the built-in models
 * (all 2x2, stride 2) at the training batch. Pooling moves memory rather than computing, so its GFLOP/s
 * count one operation per value read: each window element compared forward, each gradient added
 * backward. Compare it with itself, not with the multiplies.
 */
public class MaxPoolBenchmark extends KernelBenchmark {

    /** A layer as {@link ModelLayers} names it. */
    @Param({"seed.pool1", "lenet5.pool1", "lenet5.pool2", "small.pool1", "small.pool2"})
    public String layer;

    @Param({"64"})
    public int batch;

    @Param({"1", "2"})
    public int threads;

    private PoolGeometry g;
    private LayerArrays a;
    private int[] argmax;

    @Setup(Level.Trial)
    public void setUp() {
        g = ModelLayers.pool(layer, batch);
        a = LayerArrays.of(g.planes() * g.inputPlaneSize(), 0, g.planes() * g.outputPlaneSize(), 0);
        argmax = new int[a.y().length];
        kernels = new CpuKernels(threads);
        kernels.maxPool2d(g, a.x(), a.y(), argmax);
    }

    @Benchmark
    public void forward(GigaFlops flops) {
        kernels.maxPool2d(g, a.x(), a.y(), argmax);
        flops.add((long) argmax.length * g.kH() * g.kW());
    }

    @Benchmark
    public void backward(GigaFlops flops) {
        kernels.maxPool2dBackward(g, a.dy(), argmax, a.dx());
        flops.add(argmax.length);
    }
}
