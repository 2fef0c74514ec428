package io.cnn4j.cli;

import io.cnn4j.io.ModelDescription;
import io.cnn4j.kernel.CountingKernels;
import io.cnn4j.kernel.Kernels;
import io.cnn4j.nn.LayerConfig;
import io.cnn4j.nn.LayerRegistry;
import io.cnn4j.nn.Module;
import io.cnn4j.tensor.Execution;
import io.cnn4j.tensor.GradMode;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.Workspace;

import java.util.Arrays;
import java.util.Locale;

/**
 * {@code cnn4j bench --layer JSON --input N,C,...}: one layer alone, as a model description gives it, on a
 * random input. Timed as {@code scripts/bench-layers-vs-pytorch} times the PyTorch module of the same name and
 * arguments beside it: the forward pass without gradients, and a training pass (forward, then backward from a
 * fixed random output gradient into the input and every parameter); each a second of untimed calls for the
 * JIT, then calls timed one by one for about {@code seconds}; it reports the median and the best, and the
 * milliseconds a training pass spends in each kernel (the mean of three passes through {@link CountingKernels}).
 */
record LayerTiming(LayerConfig description, Shape input, double seconds) {
    private static final double WARM_UP_SECONDS = 1;

    /** The layer {@code json} describes on inputs of {@code shape} ({@code N,C,...}), timed for {@code seconds} per pass. */
    static LayerTiming parse(String json, String shape, double seconds) {
        if (shape == null) {
            throw new IllegalArgumentException("--layer needs --input, the input's shape (N,C,...), e.g. 32,64,1024");
        }
        int[] dims;
        try {
            dims = Arrays.stream(shape.split(",", -1)).map(String::trim).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--input: expected whole numbers separated by commas, e.g. 8,3,16,56,56; got '"
                    + shape + "'");
        }
        if (dims.length < 2 || Arrays.stream(dims).min().getAsInt() < 1) {
            throw new IllegalArgumentException("--input: expected a batch, channels and sizes, each >= 1; got '" + shape + "'");
        }
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("--seconds: must be > 0, got " + seconds);
        }
        return new LayerTiming(ModelDescription.parse(json), Shape.of(dims), seconds);
    }

    /** Times the layer on {@code kernels} and returns one JSON object. */
    String measure(Kernels kernels, int threads) {
        Module layer = LayerRegistry.builtIn().build(description).initialize(new Rng(0));
        Shape output = layer.outputShape(input);
        Tensor x = random(input, 1);
        Tensor dy = random(output, 2);
        Workspace workspace = new Workspace();
        Runnable forward = () -> {
            try (var step = workspace.open(); var noGrad = GradMode.noGrad()) {
                layer.forward(x);
            }
        };
        Runnable train = () -> {
            try (var step = workspace.open()) {
                layer.zeroGrad();
                layer.forward(x.detach().requiresGrad(true)).backward(dy);
            }
        };
        CountingKernels counter = new CountingKernels(kernels);
        Execution.run(counter, forward);
        long macs = counter.multiplyAdds();
        GemmTiming.time(WARM_UP_SECONDS, forward);
        double[] forwardSeconds = sorted(GemmTiming.time(seconds, forward)[0]);
        GemmTiming.time(WARM_UP_SECONDS, train);
        double[] trainSeconds = sorted(GemmTiming.time(seconds, train)[0]);
        counter.reset();
        Execution.run(counter, () -> GemmTiming.time(0, train));
        StringBuilder perKernel = new StringBuilder();
        counter.nanos().forEach((kernel, nanos) -> perKernel.append(perKernel.isEmpty() ? "" : ",")
                .append(String.format(Locale.ROOT, "\"%s\":%.3f", kernel, nanos / 3e6)));
        return String.format(Locale.ROOT,
                "{\"layer\":\"%s\",\"input\":%s,\"output\":%s,\"threads\":%d,\"forward_calls\":%d,\"forward_ms_median\":%.3f,"
                        + "\"forward_ms_best\":%.3f,\"forward_gflops\":%.2f,\"train_calls\":%d,\"train_ms_median\":%.3f,"
                        + "\"train_ms_best\":%.3f,\"train_kernels_ms\":{%s},\"kernels\":\"%s\",\"java\":\"%s\",\"cpu\":\"%s\"}",
                layer, Arrays.toString(input.dims()).replace(" ", ""), Arrays.toString(output.dims()).replace(" ", ""), threads,
                forwardSeconds.length, 1e3 * median(forwardSeconds), 1e3 * forwardSeconds[0],
                2.0 * macs / median(forwardSeconds) / 1e9, trainSeconds.length, 1e3 * median(trainSeconds),
                1e3 * trainSeconds[0], perKernel, kernels.name(), Runtime.version(), Machine.cpu());
    }

    private static double[] sorted(double[] values) {
        Arrays.sort(values);
        return values;
    }

    private static double median(double[] sorted) {
        return sorted[sorted.length / 2];
    }

    private static Tensor random(Shape shape, long seed) {
        Rng rng = new Rng(seed);
        float[] values = new float[shape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = rng.uniform(-1, 1);
        }
        return Tensor.of(values, shape);
    }
}
