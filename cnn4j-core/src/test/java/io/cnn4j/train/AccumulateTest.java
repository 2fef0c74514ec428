package io.cnn4j.train;

import io.cnn4j.data.DataLoader;
import io.cnn4j.data.Dataset;
import io.cnn4j.data.ShardedOrder;
import io.cnn4j.nn.BatchNorm2d;
import io.cnn4j.nn.Conv2d;
import io.cnn4j.nn.Flatten;
import io.cnn4j.nn.Linear;
import io.cnn4j.nn.MaxPool2d;
import io.cnn4j.nn.Module;
import io.cnn4j.nn.ReLU;
import io.cnn4j.nn.Sequential;
import io.cnn4j.optim.Adam;
import io.cnn4j.optim.Optimizer;
import io.cnn4j.optim.Sgd;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Gradient accumulation: one micro-batch is the plain step, bit for bit; more train deterministically, to
 * the whole batch's weights up to rounding; and workers in data parallel, each computing one micro-batch
 * and adding the others' in rank order, end with the accumulating process's weights, bit for bit.
 */
class AccumulateTest {
    /** 42 images in batches of 10: micro-batches of unequal sizes, and a last batch of 2 smaller than 4 of them. */
    private static final Dataset DATA = TinyRun.images(42, 3);
    private static final int BATCH = 10;
    private static final int EPOCHS = 2;

    private static Module model(boolean batchNorm) {
        Module m = batchNorm
                ? new Sequential(new Conv2d(1, 4, 3), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(36, 3))
                : new Sequential(new Conv2d(1, 4, 3), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(36, 3));
        m.initialize(new Rng(7));
        return m;
    }

    private static Optimizer sgd(Module m) {
        return new Sgd(m.parameters(), 0.05, 0.9, 0, 1e-4, false);
    }

    private static Optimizer adam(Module m) {
        return new Adam(m.parameters(), 0.01);
    }

    /** Trains a fresh model, {@code configure} setting up its trainer, and returns its weights. */
    private static float[][] train(boolean batchNorm, Function<Module, Optimizer> optimizer,
                                   java.util.function.Consumer<Trainer> configure) {
        return train(batchNorm, optimizer, configure, DataLoader.shuffled(DATA, BATCH, 11));
    }

    private static float[][] train(boolean batchNorm, Function<Module, Optimizer> optimizer,
                                   java.util.function.Consumer<Trainer> configure, DataLoader loader) {
        Module m = model(batchNorm);
        Trainer trainer = new Trainer(m, optimizer.apply(m));
        configure.accept(trainer);
        trainer.fit(loader, null, EPOCHS);
        return weights(m);
    }

    private static ShardedOrder order(int n) {
        return new ShardedOrder(DATA.size(), n, BATCH, 11);
    }

    /** Worker {@code k}'s loader: its shard's images alone. */
    private static DataLoader shardLoader(ShardedOrder order, int k) {
        return DataLoader.shard(DATA.copyOf(order.shardItems(k), "shard " + k), order, k);
    }

    private static float[][] weights(Module m) {
        return m.namedParameters().values().stream().map(Tensor::data).map(float[]::clone).toArray(float[][]::new);
    }

    @Test
    void oneMicroBatchIsThePlainStepBitForBit() {
        for (var opt : List.<Function<Module, Optimizer>>of(AccumulateTest::sgd, AccumulateTest::adam)) {
            float[][] plain = train(true, opt, t -> { });
            assertBitwiseEqual(plain, train(true, opt, t -> t.accumulate(1)));
            // The micro-batch path itself, as one worker alone runs it: a weight of exactly 1.
            assertBitwiseEqual(plain, train(true, opt, t -> t.dataParallel(0, 1, values -> { })));
        }
    }

    @Test
    void accumulationIsDeterministicAndApproximatesTheWholeBatch() {
        for (int n : new int[] {2, 4}) {
            float[][] first = train(false, AccumulateTest::adam, t -> t.accumulate(n));
            assertBitwiseEqual(first, train(false, AccumulateTest::adam, t -> t.accumulate(n)));
            float[][] whole = train(false, AccumulateTest::adam, t -> { });
            for (int p = 0; p < whole.length; p++) {
                assertArrayEquals(whole[p], first[p], 2e-4f, "parameter " + p + " with " + n + " micro-batches");
            }
            assertFalse(java.util.Arrays.deepEquals(whole, train(true, AccumulateTest::adam, t -> t.accumulate(n))),
                    "batch norm normalises each micro-batch alone");
        }
    }

    @Test
    void dataParallelWorkersEqualAccumulationBitForBit() throws Exception {
        for (var opt : List.<Function<Module, Optimizer>>of(AccumulateTest::sgd, AccumulateTest::adam)) {
            for (int n : new int[] {2, 4}) {
                float[][] accumulated = train(true, opt, t -> t.accumulate(n));
                List<float[][]> workers = inThreads(n, opt);
                for (float[][] w : workers) {
                    assertBitwiseEqual(accumulated, w);
                }
            }
        }
    }

    @Test
    void workersHoldingOnlyTheirShardEqualOneProcessInTheShardedOrderBitForBit() throws Exception {
        for (var opt : List.<Function<Module, Optimizer>>of(AccumulateTest::sgd, AccumulateTest::adam)) {
            for (int n : new int[] {2, 4}) {
                ShardedOrder order = order(n);
                float[][] accumulated = train(true, opt, t -> t.accumulate(n), DataLoader.sharded(DATA, order));
                InMemorySum sum = new InMemorySum(n);
                for (float[][] w : workersInThreads(n, rank -> train(true, opt, t -> t.dataParallel(rank, n, sum.of(rank)),
                        shardLoader(order, rank)))) {
                    assertBitwiseEqual(accumulated, w);
                }
            }
        }
    }

    @Test
    void aShardedRunResumedMidEpochEqualsOneThatNeverStopped() {
        ShardedOrder order = order(4);
        float[][] straight = train(false, AccumulateTest::adam, t -> t.accumulate(4), DataLoader.sharded(DATA, order));
        // Stopped in the second epoch's second step, then continued by a new trainer and loader from the checkpoint.
        Module m = model(false);
        Trainer first = new Trainer(m, adam(m)).accumulate(4);
        first.addListener(new TrainingListener() {
            @Override
            public void onStep(StepMetrics step) {
                if (step.step() == 5) {
                    first.requestStop();
                }
            }
        });
        var feed = io.cnn4j.data.BatchFeed.of(DataLoader.sharded(DATA, order));
        assertThrows(StoppedException.class, () -> first.fit(feed, null, EPOCHS));
        Checkpoint saved = first.checkpoint(feed);
        assertEquals(2, saved.data().position());
        Module resumed = model(false);
        Trainer second = new Trainer(resumed, adam(resumed)).accumulate(4);
        var again = io.cnn4j.data.BatchFeed.of(DataLoader.sharded(DATA, order));
        second.restore(saved, again);
        second.fit(again, null, EPOCHS);
        assertBitwiseEqual(straight, weights(resumed));
    }

    @Test
    void aShardedOrderNeedsOneMicroBatchPerShard() {
        Module m = model(false);
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(m, sgd(m)).accumulate(2).fit(DataLoader.sharded(DATA, order(4)), null, 1));
        assertEquals("the training batches follow a sharded order of 4 shards, but each step has 2 micro-batch(es):"
                + " accumulate one per shard", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(m, sgd(m)).accumulate(4).fit(shardLoader(order(4), 1), null, 1));
        assertEquals("the training batches are shard 1's micro-batches alone, which only data-parallel worker 1 of 4"
                + " trains on", e.getMessage());
    }

    @Test
    void accumulationNeedsAMicroBatch() {
        Module m = model(false);
        var e = assertThrows(IllegalArgumentException.class, () -> new Trainer(m, sgd(m)).accumulate(0));
        assertEquals("gradient accumulation needs at least 1 micro-batch per step, got 0", e.getMessage());
    }

    /** {@code n} workers in threads, summing through memory in rank order. */
    private static List<float[][]> inThreads(int n, Function<Module, Optimizer> opt) throws Exception {
        InMemorySum sum = new InMemorySum(n);
        return workersInThreads(n, rank -> train(true, opt, t -> t.dataParallel(rank, n, sum.of(rank))));
    }

    /** {@code n} workers in threads, {@code worker} training rank {@code r} and returning its weights. */
    private static List<float[][]> workersInThreads(int n, java.util.function.IntFunction<float[][]> worker) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<float[][]>> futures = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                int rank = r;
                futures.add(pool.submit(() -> worker.apply(rank)));
            }
            List<float[][]> out = new ArrayList<>();
            for (var f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Every worker's array posted, then each adds them all up itself in rank order. */
    private static final class InMemorySum {
        private final float[][] posted;
        private final CyclicBarrier barrier;

        InMemorySum(int n) {
            posted = new float[n][];
            barrier = new CyclicBarrier(n);
        }

        GradientSum of(int rank) {
            return values -> {
                try {
                    posted[rank] = values.clone();
                    barrier.await();
                    for (int i = 0; i < values.length; i++) {
                        float s = posted[0][i];
                        for (int r = 1; r < posted.length; r++) {
                            s += posted[r][i];
                        }
                        values[i] = s;
                    }
                    barrier.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
        }
    }

    private static void assertBitwiseEqual(float[][] expected, float[][] actual) {
        assertEquals(expected.length, actual.length);
        for (int p = 0; p < expected.length; p++) {
            for (int i = 0; i < expected[p].length; i++) {
                assertEquals(Float.floatToRawIntBits(expected[p][i]), Float.floatToRawIntBits(actual[p][i]),
                        "parameter " + p + " value " + i + ": " + expected[p][i] + " vs " + actual[p][i]);
            }
        }
    }
}
