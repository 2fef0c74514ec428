package io.cnn4j.kernel;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One {@link CpuKernels} called from two threads at once, as by two models training in one JVM: each
 * caller gets bitwise the result it gets alone. The weight gradients are the calls at risk, since their
 * tasks' partial sums live in a scratch array that outlives the parallel loop.
 */
class ConcurrentCallersTest {
    private static final int ROUNDS = 20;

    /** A weight-gradient call on random data: different sizes, so shared scratch would be both overwritten and regrown. */
    private record Call(ConvGeometry g, float[] x, float[] dy) {
        static Call random(ConvGeometry g, long seed) {
            Random r = new Random(seed);
            return new Call(g, CpuKernelsTest.random(r, g.batch() * g.inputImageSize()),
                    CpuKernelsTest.random(r, g.batch() * g.outputImageSize()));
        }

        float[] run(Kernels kernels) {
            float[] dw = new float[g.weightSize()];
            float[] db = new float[g.outChannels()];
            kernels.conv2dBackwardWeight(g, x, dy, dw, db);
            float[] both = Arrays.copyOf(dw, dw.length + db.length);
            System.arraycopy(db, 0, both, dw.length, db.length);
            return both;
        }
    }

    @Test
    void weightGradientsFromTwoThreadsAreTheirSingleThreadResults() throws Exception {
        // 3x3 stride 1 takes every path (im2col, direct, Winograd); 5x5 on 3 channels the direct loop over pixels.
        Call wide = Call.random(ConvGeometry.of(24, 32, 9, 9, 32, 3, 3, 1, 1, 1, 1), 1);
        Call narrow = Call.random(ConvGeometry.of(40, 3, 12, 12, 20, 5, 5, 1, 2, 1, 1), 2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (ConvAlgorithm algorithm : ConvAlgorithm.values()) {
                try (CpuKernels kernels = new CpuKernels(2, algorithm)) {
                    float[] wideAlone = wide.run(kernels);
                    float[] narrowAlone = narrow.run(kernels);
                    CyclicBarrier start = new CyclicBarrier(2);
                    List<Future<Integer>> mismatches = new ArrayList<>();
                    for (Call call : List.of(wide, narrow)) {
                        float[] alone = call == wide ? wideAlone : narrowAlone;
                        mismatches.add(pool.submit(() -> {
                            start.await();
                            int wrong = 0;
                            for (int round = 0; round < ROUNDS; round++) {
                                wrong += Arrays.equals(alone, call.run(kernels)) ? 0 : 1;
                            }
                            return wrong;
                        }));
                    }
                    for (Future<Integer> m : mismatches) {
                        assertEquals(0, m.get(1, TimeUnit.MINUTES),
                                "calls of " + ROUNDS + " that differed from the single-thread result on " + kernels.name());
                    }
                }
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }
}
