package io.cnn4j.bench;

import io.cnn4j.kernel.Kernels;
import io.cnn4j.kernel.ReferenceKernels;
import org.openjdk.jmh.annotations.Param;

/**
 * {@link ConvBenchmark} on {@link ReferenceKernels}, the plain loops, at one small size: the baseline
 * that shows how much the fast kernels gain. At the training batch they would take seconds a call.
 */
public class ReferenceConvBenchmark extends ConvBenchmark {

    @Param({"seed.conv1"})
    public String layer;

    @Param({"8"})
    public int batch;

    @Override
    protected Kernels createKernels() {
        return new ReferenceKernels();
    }

    @Override
    protected ConvLayer convLayer() {
        return ModelLayers.conv(layer, batch);
    }
}
