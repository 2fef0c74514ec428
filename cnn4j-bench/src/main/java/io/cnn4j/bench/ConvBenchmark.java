package io.cnn4j.bench;

import io.cnn4j.kernel.ConvGeometry;
import io.cnn4j.kernel.Kernels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * One convolution layer's three kernels, with the arguments training passes them: forward with the bias
 * and the fused ReLU, backward to the input, and backward to the weights with the bias gradient. Each
 * counts 2 flops per multiply-add of the convolution ({@link ConvGeometry#macs()}), the useful work,
 * whatever the kernel does to get there. Subclasses choose the kernels and the layer.
 */
public abstract class ConvBenchmark extends KernelBenchmark {
    private ConvGeometry g;
    private boolean relu;
    private LayerArrays a;
    private long flop;

    protected abstract Kernels createKernels();

    protected abstract ConvLayer convLayer();

    @Setup(Level.Trial)
    public void setUp() {
        ConvLayer layer = convLayer();
        g = layer.geometry();
        relu = layer.relu();
        a = LayerArrays.of(g.batch() * g.inputImageSize(), g.weightSize(), g.batch() * g.outputImageSize(),
                layer.bias() ? g.outChannels() : 0);
        flop = 2 * g.macs();
        kernels = createKernels();
    }

    @Benchmark
    public void forward(GigaFlops flops) {
        kernels.conv2d(g, a.x(), a.w(), a.bias(), relu, a.y());
        flops.add(flop);
    }

    @Benchmark
    public void backwardInput(GigaFlops flops) {
        kernels.conv2dBackwardInput(g, a.dy(), a.w(), a.dx());
        flops.add(flop);
    }

    @Benchmark
    public void backwardWeight(GigaFlops flops) {
        kernels.conv2dBackwardWeight(g, a.x(), a.dy(), a.dw(), a.dbias());
        flops.add(flop);
    }
}
