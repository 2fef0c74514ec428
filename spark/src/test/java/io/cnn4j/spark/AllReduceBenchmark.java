package io.cnn4j.spark;

import io.cnn4j.data.Batch;
import io.cnn4j.data.DataLoader;
import io.cnn4j.data.Dataset;
import io.cnn4j.data.Datasets;
import io.cnn4j.kernel.CpuKernels;
import io.cnn4j.loss.Losses;
import io.cnn4j.models.Models;
import io.cnn4j.nn.Module;
import io.cnn4j.optim.Adam;
import io.cnn4j.tensor.Execution;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Workspace;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The figures of docs/SPARK.md: the all-reduce's time over loopback for 50k, 420k and 1.7M parameters on
 * 2 and 4 workers (threads of this JVM), and the training step of a built-in model at the batches one
 * worker of 1, 2, 4 and 16 computes. Run: see docs/SPARK.md ("Reproducing the figures").
 */
public final class AllReduceBenchmark {
    public static void main(String[] args) throws Exception {
        String model = args.length > 0 ? args[0] : "small";
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        for (int n : new int[] {2, 4}) {
            for (int length : new int[] {50_000, 420_000, 1_700_000}) {
                double[] t = allReduce(n, length);
                System.out.printf(Locale.ROOT, "all-reduce %d workers, %,d floats: fastest %.2f ms, median %.2f ms%n", n, length,
                        t[0], t[t.length / 2]);
            }
        }
        Dataset data = Datasets.embedded().train();
        for (int micro : new int[] {batch, batch / 2, batch / 4, Math.max(1, batch / 16)}) {
            double[] t = step(model, data, micro, threads);
            System.out.printf(Locale.ROOT, "%s step, batch %d, %d thread(s): fastest %.2f ms, median %.2f ms%n", model, micro,
                    threads, t[0], t[t.length / 2]);
        }
    }

    /**
     * The milliseconds of one sum over {@code n} workers, after warming up, sorted: the fastest is the figure
     * least disturbed by other work on a shared machine.
     */
    static double[] allReduce(int n, int length) throws Exception {
        int rounds = 30;
        double[][] times = new double[n][rounds];
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            var futures = SocketAllReduceTest.workers(n, Duration.ofSeconds(30), pool, reduce -> {
                float[] v = new float[length];
                Arrays.fill(v, reduce.rank());
                for (int i = 0; i < 10; i++) {
                    reduce.sumInPlace(v);
                }
                for (int i = 0; i < rounds; i++) {
                    long t = System.nanoTime();
                    reduce.sumInPlace(v);
                    times[reduce.rank()][i] = (System.nanoTime() - t) / 1e6;
                }
                return null;
            });
            for (var f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        // A call ends when its slowest worker is done.
        double[] calls = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            for (double[] worker : times) {
                calls[i] = Math.max(calls[i], worker[i]);
            }
        }
        Arrays.sort(calls);
        return calls;
    }

    /** The milliseconds of forward, backward and Adam steps of {@code model} at {@code batch} images, sorted. */
    static double[] step(String model, Dataset data, int batch, int threads) {
        try (CpuKernels kernels = new CpuKernels(threads)) {
            return Execution.call(kernels, () -> {
                Module m = Models.create(model, Shape.of(1, 28, 28), 10, new Rng(1));
                m.train(true);
                Adam adam = new Adam(m.parameters(), 1e-3);
                DataLoader loader = DataLoader.shuffled(data, batch, 1);
                Workspace workspace = new Workspace();
                double[] times = new double[40];
                var batches = loader.nextEpoch().iterator();
                for (int i = -10; i < times.length; i++) {
                    Batch b = batches.next();
                    long t = System.nanoTime();
                    try (var scope = workspace.open()) {
                        adam.zeroGrad();
                        var loss = Losses.crossEntropy(m.forward(b.images()), b.labels(), 0);
                        loss.backward();
                        adam.step();
                    }
                    if (i >= 0) {
                        times[i] = (System.nanoTime() - t) / 1e6;
                    }
                }
                Arrays.sort(times);
                return times;
            });
        }
    }
}
