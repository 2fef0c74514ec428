package io.cnn4j.cli;

import io.cnn4j.data.Batch;
import io.cnn4j.data.DataLoader;
import io.cnn4j.data.Dataset;
import io.cnn4j.data.DataSplit;
import io.cnn4j.data.Datasets;
import io.cnn4j.kernel.CountingKernels;
import io.cnn4j.kernel.CpuKernels;
import io.cnn4j.kernel.Kernels;
import io.cnn4j.loss.Losses;
import io.cnn4j.models.Models;
import io.cnn4j.nn.Module;
import io.cnn4j.optim.Adam;
import io.cnn4j.tensor.Execution;
import io.cnn4j.tensor.GradMode;
import io.cnn4j.tensor.Rng;
import io.cnn4j.train.EpochMetrics;
import io.cnn4j.train.Evaluation;
import io.cnn4j.train.Evaluator;
import io.cnn4j.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code cnn4j bench}: training and inference throughput of the built-in models on the real data, the
 * figures that {@code scripts/bench-vs-pytorch} sets beside PyTorch's.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, abbreviateSynopsis = true,
        description = {"Measure training and inference speed, or a matrix multiply's.",
                "For each model: an untimed warm-up, one timed epoch of training (batch 64, Adam 1e-3) and one timed"
                        + " pass of inference over the test set (batch 256). Prints one JSON object per model.",
                "With --gemm, times the matrix multiply alone instead; with --layer, one layer alone."})
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "NAME[,NAME...]", split = ",", hideParamSyntax = true, defaultValue = "seed,lenet5,small",
            description = "Models to measure (default: ${DEFAULT-VALUE}).")
    List<String> models;

    @Option(names = "--data", paramLabel = "DIR", description = "As for 'cnn4j train' (default: the full Fashion-MNIST when installed).")
    String data;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64", description = "Training batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--infer-batch-size", paramLabel = "N", defaultValue = "256", description = "Inference batch (default: ${DEFAULT-VALUE}).")
    int inferBatchSize;

    @Option(names = "--warmup-steps", paramLabel = "N", defaultValue = "60", description = "Untimed training steps first (default: ${DEFAULT-VALUE}).")
    int warmupSteps;

    @Option(names = "--profile", paramLabel = "STEPS", arity = "0..1", fallbackValue = "100", defaultValue = "0",
            description = "After the timings, train STEPS more steps (default 100; at most an epoch) and infer over the test set, and print "
                    + "where the time goes: milliseconds per training step and per inference batch in each kernel, "
                    + "and outside the kernels.")
    int profileSteps;

    @Option(names = "--json", description = "Print only the JSON objects (no description line).")
    boolean json;

    @Option(names = "--gemm", paramLabel = "N|MxKxN",
            description = "Instead of the models, time C = A B (A: M x K, B: K x N; N alone: square) for about three seconds on "
                    + "--threads threads and print one JSON object with the best and median GFLOP/s.")
    String gemm;

    @Option(names = "--openblas", paramLabel = "LIBRARY", arity = "0..1", fallbackValue = OpenBlas.DEFAULT_LIBRARY,
            description = "With --gemm: alternate cnn4j's multiply with OpenBLAS's cblas_sgemm call by call for about "
                    + "five seconds, on the same number of threads, and print both and the median ratio. LIBRARY: " + OpenBlas.DEFAULT_LIBRARY
                    + " by default, or a path, or a name the dynamic linker finds.")
    String openblas;

    @Option(names = "--layer", paramLabel = "JSON",
            description = "Instead of the models, time one layer, described as in a model description (e.g. "
                    + "'{\"type\":\"Conv1d\",\"args\":{\"in_channels\":64,\"out_channels\":64,\"kernel_size\":9}}'), "
                    + "on a random input of shape --input: its forward pass without gradients and its training pass "
                    + "(forward and backward), and print one JSON object with the median and best milliseconds of each.")
    String layer;

    @Option(names = "--input", paramLabel = "N,C,...", description = "With --layer: the input's shape, e.g. 32,64,1024.")
    String input;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "2",
            description = "With --layer: seconds of timed calls per pass, after one untimed (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Mixin
    RuntimeOptions runtime;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        return runtime.run(() -> bench(out));
    }

    private int bench(PrintWriter out) throws Exception {
        if (openblas != null && gemm == null) {
            throw new IllegalArgumentException("--openblas: only with --gemm (it times the matrix multiply against OpenBLAS's)");
        }
        if (layer != null) {
            out.println(LayerTiming.parse(layer, input, seconds).measure(Execution.kernels(), runtime.threads));
            return 0;
        }
        if (input != null) {
            throw new IllegalArgumentException("--input: only with --layer (it is the shape of the layer's input)");
        }
        if (gemm != null) {
            GemmTiming timing = GemmTiming.parse(gemm);
            out.println(openblas == null ? timing.measure(Execution.kernels(), runtime.threads)
                    : timing.measureAgainst(Execution.kernels(), runtime.threads, OpenBlas.load(openblas, runtime.threads)));
            return 0;
        }
        for (String m : models) {
            if (!Models.names().contains(m)) {
                throw new IllegalArgumentException("--model: unknown model '" + m + "'; built-in models: " + Models.names());
            }
        }
        DataSplit split = Datasets.resolve(data);
        if (!json) {
            out.printf(Locale.ROOT, "data: %s; kernels: %s; tuning: %s%n", split.description(), Execution.kernels().name(),
                    tuningFile(Execution.kernels()));
        }
        for (String name : models) {
            out.println(measure(name, split));
            out.flush();
        }
        return 0;
    }

    private String measure(String name, DataSplit split) throws IOException {
        Kernels kernels = Execution.kernels();
        Module model = Models.create(name, new Rng(0));
        Adam adam = new Adam(model.parameters(), 1e-3);

        CountingKernels counter = new CountingKernels(kernels);
        long images = Execution.call(counter, () -> warmUp(model, adam, split));
        double trainMacsPerImage = (double) counter.multiplyAdds() / images;
        counter.reset();
        int inferred = Execution.call(counter, () -> inferWarmUp(model, split));
        double inferMacsPerImage = (double) counter.multiplyAdds() / inferred;

        long gcBefore = gcMillis();
        EpochMetrics epoch = new Trainer(model, adam).evalBatchSize(inferBatchSize)
                .fit(new DataLoader(split.train(), batchSize, true, false, new Rng(1)), null, 1).get(0);
        double gcPercent = 100.0 * (gcMillis() - gcBefore) / 1000.0 / epoch.seconds();

        long t0 = System.nanoTime();
        Evaluation eval = Evaluator.evaluate(model, split.test(), inferBatchSize);
        double inferSeconds = (System.nanoTime() - t0) / 1e9;
        double inferRate = split.test().size() / inferSeconds;
        String profile = profileSteps > 0 ? "\n" + profile(name, model, adam, split, counter) : "";
        return String.format(Locale.ROOT,
                "{\"model\":\"%s\",\"threads\":%d,\"batch\":%d,\"train_images\":%d,\"train_seconds\":%.3f,"
                        + "\"train_images_per_second\":%.1f,\"train_gflops\":%.2f,\"infer_batch\":%d,\"infer_images\":%d,"
                        + "\"infer_seconds\":%.3f,\"infer_images_per_second\":%.1f,\"infer_gflops\":%.2f,\"gc_percent\":%.2f,"
                        + "\"peak_rss_mb\":%.1f,\"test_accuracy\":%.4f,\"kernels\":\"%s\",\"java\":\"%s\",\"cpu\":\"%s\","
                        + "\"tuning\":\"%s\"}",
                name, runtime.threads, batchSize, split.train().size(), epoch.seconds(), epoch.imagesPerSecond(),
                2 * trainMacsPerImage * epoch.imagesPerSecond() / 1e9, inferBatchSize, split.test().size(), inferSeconds,
                inferRate, 2 * inferMacsPerImage * inferRate / 1e9, gcPercent, peakRssMegabytes(), eval.accuracy(),
                kernels.name(), Runtime.version(), Machine.cpu(), tuningFile(kernels).replace("\\", "\\\\").replace("\"", "\\\"")) + profile;
    }

    /** The file in which the kernels keep the choices they measured, or "off" where fixed rules choose. */
    private static String tuningFile(Kernels kernels) {
        return kernels instanceof CpuKernels cpu ? cpu.tuning().file().map(Path::toString).orElse("off") : "off";
    }

    /**
     * Trains {@link #profileSteps} steps through the counting kernels, then runs inference over the test
     * set through them, and returns one JSON object: the wall time of a training step and of an inference
     * batch, and the milliseconds of each spent in each kernel (convolutions by shape). What is left
     * ("outside_kernels") is autograd bookkeeping, the optimizer's own loops and the workspace.
     */
    private String profile(String name, Module model, Adam adam, DataSplit split, CountingKernels counter) {
        counter.reset();
        EpochMetrics run = new Trainer(model, adam).maxSteps(profileSteps).kernels(counter)
                .fit(new DataLoader(split.train(), batchSize, true, false, new Rng(3)), null, 1).get(0);
        // An epoch of fewer batches than the steps asked for ends the run early: divide by the steps taken.
        String training = perKernel(counter, 1e3 * run.seconds(), (int) run.steps());
        counter.reset();
        long t0 = System.nanoTime();
        Execution.run(counter, () -> Evaluator.evaluate(model, split.test(), inferBatchSize));
        int batches = Math.ceilDiv(split.test().size(), inferBatchSize);
        String inference = perKernel(counter, (System.nanoTime() - t0) / 1e6, batches);
        return String.format(Locale.ROOT, "{\"model\":\"%s\",\"profile_steps\":%d,\"train_step\":%s,\"infer_batch\":%s}",
                name, run.steps(), training, inference);
    }

    /** {@code {"ms":..,"outside_kernels_ms":..,"kernels_ms":{..}}} per unit of {@code units} that took {@code totalMs}. */
    private static String perKernel(CountingKernels counter, double totalMs, int units) {
        StringBuilder per = new StringBuilder();
        double inside = 0;
        for (var e : counter.nanos().entrySet()) {
            double ms = e.getValue() / 1e6 / units;
            inside += ms;
            per.append(per.isEmpty() ? "" : ",").append(String.format(Locale.ROOT, "\"%s\":%.3f", e.getKey(), ms));
        }
        double ms = totalMs / units;
        return String.format(Locale.ROOT, "{\"ms\":%.3f,\"outside_kernels_ms\":%.3f,\"kernels_ms\":{%s}}", ms, ms - inside, per);
    }

    /**
     * Untimed training steps so the JIT has compiled the hot paths, and one step at the size of the epoch's last
     * batch, so that the kernels have measured their choices for both batch sizes before the timed epoch (they
     * measure on a shape's first call); returns the images they used.
     */
    private long warmUp(Module model, Adam adam, DataSplit split) {
        DataLoader loader = new DataLoader(split.train(), batchSize, true, false, new Rng(2));
        long images = 0;
        int steps = 0;
        model.train(true);
        while (steps < warmupSteps) {
            for (Batch batch : loader.nextEpoch()) {
                if (steps++ >= warmupSteps) {
                    break;
                }
                images += trainStep(model, adam, batch);
            }
        }
        int lastBatch = split.train().size() % batchSize;
        if (lastBatch > 0) {
            images += trainStep(model, adam, firstBatch(split.train(), lastBatch));
        }
        return images;
    }

    /** The first {@code size} items of {@code data}, as one batch. */
    private static Batch firstBatch(Dataset data, int size) {
        return DataLoader.sequential(data, size).nextEpoch().iterator().next();
    }

    private static int trainStep(Module model, Adam adam, Batch batch) {
        adam.zeroGrad();
        Losses.crossEntropy(model.forward(batch.images()), batch.labels()).backward();
        adam.step();
        return batch.size();
    }

    /** Untimed inference: a few batches, then one at the size of the timed pass's last; returns the images. */
    private int inferWarmUp(Module model, DataSplit split) {
        model.eval();
        try (var ignored = GradMode.noGrad()) {
            int done = 0;
            int images = 0;
            for (Batch batch : DataLoader.sequential(split.test(), inferBatchSize).nextEpoch()) {
                if (done++ == 4) {
                    break;
                }
                model.forward(batch.images());
                images += batch.size();
            }
            // The timed pass's last batch is smaller: its shapes' choices are measured here, not in the timing.
            int lastBatch = split.test().size() % inferBatchSize;
            if (lastBatch > 0) {
                model.forward(firstBatch(split.test(), lastBatch).images());
                images += lastBatch;
            }
            return images;
        } finally {
            model.train(true);
        }
    }

    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    /** The process's peak resident set (VmHWM), or NaN where /proc is not available. */
    private static double peakRssMegabytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
