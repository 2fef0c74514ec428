package io.cnn4j.spark;

import io.cnn4j.tensor.Rng;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** N workers in threads of one JVM, over loopback. */
class SocketAllReduceTest {

    /** Connects {@code n} workers and runs {@code work} in each, returning their results by rank. */
    static <T> List<Future<T>> workers(int n, Duration timeout, ExecutorService pool, Work<T> work) throws Exception {
        List<ServerSocket> servers = new ArrayList<>();
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            ServerSocket s = SocketAllReduce.listen();
            servers.add(s);
            addresses.add(new InetSocketAddress("127.0.0.1", s.getLocalPort()));
        }
        List<Future<T>> futures = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            int rank = r;
            futures.add(pool.submit(() -> {
                try (ServerSocket server = servers.get(rank);
                     SocketAllReduce reduce = SocketAllReduce.connect(rank, addresses, server, timeout)) {
                    return work.run(reduce);
                }
            }));
        }
        return futures;
    }

    interface Work<T> {
        T run(SocketAllReduce reduce) throws Exception;
    }

    private static float[] values(int rank, int length) {
        Rng rng = new Rng(100 + rank);
        float[] v = new float[length];
        for (int i = 0; i < length; i++) {
            v[i] = (float) (rng.nextGaussian() * Math.pow(10, rng.nextInt(6) - 3));
        }
        return v;
    }

    @Test
    void everyWorkerGetsTheSumInRankOrderBitForBit() throws Exception {
        for (int n : new int[] {2, 3, 4}) {
            for (int length : new int[] {1, 5, 1000, 12_345}) {
                float[] expected = values(0, length);
                for (int r = 1; r < n; r++) {
                    float[] v = values(r, length);
                    for (int i = 0; i < length; i++) {
                        expected[i] += v[i];
                    }
                }
                ExecutorService pool = Executors.newFixedThreadPool(n);
                try {
                    var futures = workers(n, Duration.ofSeconds(10), pool, reduce -> {
                        float[] v = values(reduce.rank(), length);
                        reduce.sumInPlace(v);
                        float[] again = values(reduce.rank(), length);
                        reduce.sumInPlace(again);
                        assertEquals(java.util.Arrays.toString(v), java.util.Arrays.toString(again), "a second call sums alike");
                        return v;
                    });
                    for (var f : futures) {
                        float[] got = f.get(30, TimeUnit.SECONDS);
                        for (int i = 0; i < length; i++) {
                            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(got[i]),
                                    n + " workers, " + length + " values, value " + i);
                        }
                    }
                } finally {
                    pool.shutdownNow();
                }
            }
        }
    }

    @Test
    void aWorkerThatDiesFailsTheOthersPromptlyNamingIt() throws Exception {
        int n = 3;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            long start = System.nanoTime();
            var futures = workers(n, Duration.ofSeconds(20), pool, reduce -> {
                float[] v = values(reduce.rank(), 100_000);
                reduce.sumInPlace(v);
                if (reduce.rank() == 2) {
                    // Dies between two steps: its connections close, as a killed process's do.
                    reduce.close();
                    return null;
                }
                reduce.sumInPlace(v);
                return v;
            });
            // A survivor that notices first closes its own connections, so the other may learn of it from that one.
            List<Integer> named = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                var e = assertInstanceOf(PeerFailedException.class,
                        assertThrows(futures.get(r)).getCause(), "worker " + r);
                assertTrue(e.getMessage().matches("worker \\d \\(127\\.0\\.0\\.1:\\d+\\) closed its connection \\(its process"
                        + " ended or failed\\)|worker \\d \\(127\\.0\\.0\\.1:\\d+\\) (could not be sent to|failed): .*"), e.getMessage());
                named.add(e.rank());
            }
            assertTrue(named.contains(2), "the dead worker is named: " + named);
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds < 10, "the failure took " + seconds + " s, not the 20 s timeout");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aWorkerThatHangsFailsTheOthersAtTheTimeout() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            var futures = workers(2, Duration.ofMillis(500), pool, reduce -> {
                if (reduce.rank() == 1) {
                    Thread.sleep(3000);
                    return null;
                }
                reduce.sumInPlace(new float[10]);
                return null;
            });
            var e = assertInstanceOf(PeerFailedException.class, assertThrows(futures.get(0)).getCause());
            assertEquals(1, e.rank());
            assertTrue(e.getMessage().matches("worker 1 \\(127\\.0\\.0\\.1:\\d+\\) sent nothing for 500 ms"), e.getMessage());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void workersThatLoadedDifferentDataAreStoppedBeforeTheFirstStep() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            var train = io.cnn4j.data.Datasets.embedded().train();
            var futures = workers(2, Duration.ofSeconds(10), pool, reduce -> {
                Worker.requireSameData(reduce, reduce.rank() == 0 ? train : train.subset(100), "data");
                return null;
            });
            var e = assertThrows(futures.get(1)).getCause();
            assertEquals("the workers loaded different training sets from 'data': worker 1 has 100 images of [1, 28, 28] in 10"
                    + " classes, labels' CRC " + e.getMessage().replaceAll(".*labels' CRC (\\w+), worker 0.*", "$1")
                    + ", worker 0 10000 images of [1, 28, 28] in 10 classes, labels' CRC "
                    + e.getMessage().replaceAll(".*worker 0 .* labels' CRC (\\w+);.*", "$1")
                    + "; every executor must read the same data", e.getMessage());
        } finally {
            pool.shutdownNow();
        }
    }

    private static ExecutionException assertThrows(Future<?> f) {
        return org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
    }
}
