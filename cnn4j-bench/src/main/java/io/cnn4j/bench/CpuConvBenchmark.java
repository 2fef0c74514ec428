package io.cnn4j.bench;

import io.cnn4j.kernel.ConvAlgorithm;
import io.cnn4j.kernel.CpuKernels;
import io.cnn4j.kernel.Kernels;
import org.openjdk.jmh.annotations.Param;

/** {@link ConvBenchmark} on {@link CpuKernels}: every convolution of the built-in models at the training batch. */
public class CpuConvBenchmark extends ConvBenchmark {

    /** A layer as {@link ModelLayers} names it. */
    @Param({"seed.conv1", "lenet5.conv1", "lenet5.conv2", "small.conv1", "small.conv2"})
    public String layer;

    @Param({"64"})
    public int batch;

    @Param({"1", "2"})
    public int threads;

    /**
     * AUTO is what training uses (measured on this machine, kept in the tuning cache), RULES the fixed rules it
     * replaces; the forced paths are the measurements those choices rest on.
     */
    @Param({"AUTO", "RULES", "IM2COL", "DIRECT", "WINOGRAD"})
    public ConvAlgorithm algorithm;

    @Override
    protected Kernels createKernels() {
        return new CpuKernels(threads, algorithm);
    }

    @Override
    protected ConvLayer convLayer() {
        return ModelLayers.conv(layer, batch);
    }
}
