package io.cnn4j.bench;

import io.cnn4j.kernel.CpuKernels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The linear layers of the built-in models at the training batch on {@link CpuKernels}: forward through
 * {@code linear} (bias and fused ReLU as in the model), and the two matrix multiplies of backward as
 * {@code LinearOp} issues them: {@code dx = dy W} and {@code dW = dy^T x}. 2 flops per multiply-add.
 */
public class LinearBenchmark extends KernelBenchmark {

    /** A layer as {@link ModelLayers} names it. */
    @Param({"seed.fc1", "lenet5.fc1", "lenet5.fc2", "lenet5.fc3", "small.fc1", "small.fc2"})
    public String layer;

    @Param({"64"})
    public int batch;

    @Param({"1", "2"})
    public int threads;

    private DenseLayer d;
    private LayerArrays a;

    @Setup(Level.Trial)
    public void setUp() {
        d = ModelLayers.dense(layer, batch);
        a = LayerArrays.of(d.batch() * d.in(), d.out() * d.in(), d.batch() * d.out(), d.bias() ? d.out() : 0);
        kernels = new CpuKernels(threads);
    }

    @Benchmark
    public void forward(GigaFlops flops) {
        kernels.linear(d.batch(), d.in(), d.out(), a.x(), a.w(), a.bias(), d.relu(), a.y());
        flops.add(d.flop());
    }

    @Benchmark
    public void backwardInput(GigaFlops flops) {
        kernels.gemm(false, false, d.batch(), d.in(), d.out(), a.dy(), 0, d.out(), a.w(), 0, d.in(), 0f, a.dx(), 0, d.in());
        flops.add(d.flop());
    }

    @Benchmark
    public void backwardWeight(GigaFlops flops) {
        kernels.gemm(true, false, d.out(), d.in(), d.batch(), a.dy(), 0, d.out(), a.x(), 0, d.in(), 0f, a.dw(), 0, d.in());
        flops.add(d.flop());
    }
}
