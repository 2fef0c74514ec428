package io.cnn4j.bench;

import io.cnn4j.autograd.ConvTranspose2dSpec;
import io.cnn4j.autograd.Functional;
import io.cnn4j.kernel.CpuKernels;
import io.cnn4j.tensor.Execution;
import io.cnn4j.tensor.GradMode;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.Workspace;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

import java.util.concurrent.TimeUnit;

/**
 * A transposed convolution with bias as a layer runs it in training, each call in a {@link Workspace} scope
 * (so its activations and gradients reuse the last call's memory), in milliseconds per call: the forward pass
 * alone, and a training step (forward, then backward to the input, the weight and the bias). Each call is
 * timed on its own (JMH's sample mode): on a machine that other work shares, the fastest calls and the
 * median ({@code p0.00}, {@code p0.50}) say more than an average over whatever else ran. The shapes are
 * those {@code scripts/bench-layers-vs-pytorch} sets beside PyTorch ({@code convtranspose2d-*}): a
 * DCGAN-style decoder layer, 64 channels at 14x14 to 32 at 28x28 with a 4x4 kernel, and the two of the
 * built-in autoencoder at its training batch.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ConvTranspose2dBenchmark extends KernelBenchmark {

    /** {@code batch,in,height,width,out,kernel,stride,padding,outputPadding}. */
    @Param({"32,64,14,14,32,4,2,1,0", "128,32,7,7,16,3,2,1,1", "128,16,14,14,1,3,2,1,1"})
    public String shape;

    @Param({"2"})
    public int threads;

    private Tensor x;
    private Tensor w;
    private Tensor b;
    private Tensor dy;
    private ConvTranspose2dSpec spec;
    private final Workspace workspace = new Workspace();

    @Setup(Level.Trial)
    public void setUp() {
        int[] s = java.util.Arrays.stream(shape.split(",")).mapToInt(Integer::parseInt).toArray();
        Rng rng = new Rng(0);
        x = random(rng, s[0], s[1], s[2], s[3]).requiresGrad(true);
        w = random(rng, s[1], s[4], s[5], s[5]).requiresGrad(true);
        b = random(rng, s[4]).requiresGrad(true);
        spec = ConvTranspose2dSpec.of(s[6], s[7], s[8], 1, 1);
        int out = (s[2] - 1) * s[6] - 2 * s[7] + s[5] + s[8];
        dy = random(rng, s[0], s[4], out, out);
        kernels = new CpuKernels(threads);
    }

    private static Tensor random(Rng rng, int... dims) {
        Tensor t = Tensor.zeros(dims);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = rng.uniform(-1, 1);
        }
        return t;
    }

    @Benchmark
    public float forward() {
        return Execution.call(kernels, () -> {
            try (var scope = workspace.open(); var ignored = GradMode.noGrad()) {
                return Functional.convTranspose2d(x, w, b, spec).data()[0];
            }
        });
    }

    @Benchmark
    public float trainingStep() {
        return Execution.call(kernels, () -> {
            try (var scope = workspace.open()) {
                x.zeroGrad();
                w.zeroGrad();
                b.zeroGrad();
                Functional.convTranspose2d(x, w, b, spec).backward(dy);
                return w.grad().data()[0];
            }
        });
    }
}
