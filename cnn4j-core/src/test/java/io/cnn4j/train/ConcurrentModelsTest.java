package io.cnn4j.train;

import io.cnn4j.data.DataLoader;
import io.cnn4j.data.Dataset;
import io.cnn4j.nn.BatchNorm2d;
import io.cnn4j.nn.Conv2d;
import io.cnn4j.nn.Conv2dConfig;
import io.cnn4j.nn.Dropout;
import io.cnn4j.nn.Flatten;
import io.cnn4j.nn.Linear;
import io.cnn4j.nn.MaxPool2d;
import io.cnn4j.nn.Module;
import io.cnn4j.nn.ReLU;
import io.cnn4j.nn.Sequential;
import io.cnn4j.nn.Tanh;
import io.cnn4j.optim.Adam;
import io.cnn4j.optim.Sgd;
import io.cnn4j.tensor.GradMode;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two models trained at once in one JVM (a web service, a test suite, two Spark tasks in one executor)
 * get bitwise the weights each gets alone, and one model serves inference to many threads at once. Both
 * run on the default kernels, which the threads share.
 */
class ConcurrentModelsTest {
    private static final int STEPS = 24;
    /** More than one weight-gradient task (8 images each), so the kernels' per-task partial sums are used. */
    private static final int BATCH = 32;

    /** A convolution net with batch norm and dropout, trained by Adam. */
    private static Run convNet() {
        Module model = new Sequential(new Conv2d(Conv2dConfig.of(1, 8, 3).padding(1)), new BatchNorm2d(8), new ReLU(),
                new MaxPool2d(2), new Flatten(), new Dropout(0.2f), new Linear(8 * 6 * 6, 3)).initialize(new Rng(1));
        return new Run(model, new Trainer(model, new Adam(model.parameters(), 3e-3)), 11);
    }

    /** A different net, trained by SGD with momentum on other data. */
    private static Run tanhNet() {
        Module model = new Sequential(new Conv2d(Conv2dConfig.of(1, 4, 5).padding(2)), new Tanh(), new Flatten(),
                new Linear(4 * 12 * 12, 3)).initialize(new Rng(2));
        return new Run(model, new Trainer(model, new Sgd(model.parameters(), 0.05, 0.9, 0, 0, false)), 12);
    }

    private record Run(Module model, Trainer trainer, long dataSeed) {
        List<float[]> train() {
            Dataset data = TinyRun.images(BATCH * 4, dataSeed).withDescription("blobs");
            trainer.maxSteps(STEPS).fit(new DataLoader(upscaled(data), BATCH, true, false, new Rng(dataSeed)), null,
                    STEPS);
            List<float[]> weights = new ArrayList<>();
            model.stateDict().values().forEach(t -> weights.add(t.data().clone()));
            return weights;
        }
    }

    /** TinyRun's 8x8 blobs made 12x12 by a border, so that pooling and padding have work to do. */
    private static Dataset upscaled(Dataset d) {
        byte[] pixels = new byte[d.size() * 144];
        float[] image = new float[64];
        for (int i = 0; i < d.size(); i++) {
            d.copyImages(new int[] {i}, 0, 1, image, 0);
            for (int p = 0; p < 64; p++) {
                pixels[i * 144 + (p / 8 + 2) * 12 + p % 8 + 2] = (byte) Math.round(image[p] * 255);
            }
        }
        return Dataset.of(pixels, d.labels(), 1, 12, 12, d.classNames(), "12x12 " + d.description());
    }

    @Test
    void twoModelsTrainingAtOnceGetBitwiseTheWeightsEachGetsAlone() throws Exception {
        List<float[]> convAlone = convNet().train();
        List<float[]> tanhAlone = tanhNet().train();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 3; round++) {
                CyclicBarrier start = new CyclicBarrier(2);
                Future<List<float[]>> conv = pool.submit(started(start, ConcurrentModelsTest::convNet));
                Future<List<float[]>> tanh = pool.submit(started(start, ConcurrentModelsTest::tanhNet));
                assertSame(convAlone, conv.get(), "conv net, round " + round);
                assertSame(tanhAlone, tanh.get(), "tanh net, round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Callable<List<float[]>> started(CyclicBarrier start, Supplier<Run> run) {
        return () -> {
            Run r = run.get();
            start.await();
            return r.train();
        };
    }

    @Test
    void inferenceOnOneModelFromEightThreadsGivesTheSingleThreadOutputs() throws Exception {
        Run trained = convNet();
        trained.train();
        Module model = trained.model().eval();
        List<Tensor> inputs = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Dataset data = upscaled(TinyRun.images(BATCH, 100 + t));
            Tensor images = data.batch(java.util.stream.IntStream.range(0, data.size()).toArray());
            inputs.add(images);
            try (var ignored = GradMode.noGrad()) {
                expected.add(model.forward(images).data().clone());
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CyclicBarrier start = new CyclicBarrier(8);
            List<Future<List<float[]>>> outputs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Tensor images = inputs.get(t);
                outputs.add(pool.submit(() -> {
                    start.await();
                    List<float[]> out = new ArrayList<>();
                    try (var ignored = GradMode.noGrad()) {
                        for (int i = 0; i < 25; i++) {
                            out.add(model.forward(images).data().clone());
                        }
                    }
                    return out;
                }));
            }
            for (int t = 0; t < 8; t++) {
                for (float[] logits : outputs.get(t).get()) {
                    assertArrayEquals(expected.get(t), logits, "thread " + t);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertSame(List<float[]> expected, List<float[]> actual, String what) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), what + ", tensor " + i);
        }
    }
}
