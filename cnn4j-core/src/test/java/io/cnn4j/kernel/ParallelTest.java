package io.cnn4j.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Random;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The hand-over between the caller and the workers: every task once, no lost wake-up, errors passed on. */
@Timeout(60)
class ParallelTest {

    @Test
    void runsEveryTaskExactlyOnceAcrossManyQuickCalls() {
        try (Parallel p = new Parallel(3)) {
            for (int call = 0; call < 20_000; call++) {
                int tasks = 1 + call % 7;
                AtomicIntegerArray seen = new AtomicIntegerArray(tasks);
                p.forEach(tasks, seen::incrementAndGet);
                for (int i = 0; i < tasks; i++) {
                    assertEquals(1, seen.get(i), "call " + call + ", task " + i);
                }
            }
        }
    }

    @Test
    void sumsSlicesInSliceOrderWhateverTheThreadCount() {
        Random random = new Random(7);
        for (int size : new int[] {1, 5, 17, 1000}) {
            int slices = 1 + size % 6;
            float[] data = new float[slices * size + 3];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) random.nextGaussian() * (i % 3 == 0 ? 1e6f : 1f);
            }
            float[] expected = new float[size];
            for (int i = 0; i < size; i++) {
                float s = data[i];
                for (int slice = 1; slice < slices; slice++) {
                    s += data[slice * size + i];
                }
                expected[i] = s;
            }
            for (int threads = 1; threads <= 3; threads++) {
                float[] partial = data.clone();
                try (Parallel p = new Parallel(threads)) {
                    p.sumSlices(partial, slices, size);
                }
                for (int i = 0; i < size; i++) {
                    assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(partial[i]),
                            "size " + size + ", " + threads + " threads, element " + i);
                }
                assertEquals(data[slices * size], partial[slices * size], "past the slices");
            }
        }
    }

    @Test
    void wakesParkedWorkersAfterIdlePauses() throws InterruptedException {
        try (Parallel p = new Parallel(2)) {
            for (int call = 0; call < 20; call++) {
                Thread.sleep(2); // longer than the workers spin: they park and must be woken
                AtomicIntegerArray seen = new AtomicIntegerArray(4);
                p.forEach(4, seen::incrementAndGet);
                for (int i = 0; i < 4; i++) {
                    assertEquals(1, seen.get(i));
                }
            }
        }
    }

    @Test
    void callersOnSeveralThreadsTakeTurns() throws InterruptedException {
        try (Parallel p = new Parallel(2)) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread[] callers = new Thread[3];
            for (int c = 0; c < callers.length; c++) {
                callers[c] = new Thread(() -> {
                    try {
                        for (int call = 0; call < 2_000; call++) {
                            AtomicIntegerArray seen = new AtomicIntegerArray(5);
                            p.forEach(5, seen::incrementAndGet);
                            for (int i = 0; i < 5; i++) {
                                assertEquals(1, seen.get(i));
                            }
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                });
                callers[c].start();
            }
            for (Thread t : callers) {
                t.join();
            }
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
        }
    }

    @Test
    void aFailingTaskFailsTheCallAndLeavesThePoolUsable() {
        try (Parallel p = new Parallel(2)) {
            IllegalStateException boom = new IllegalStateException("task 3");
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> p.forEach(8, i -> {
                if (i == 3) {
                    throw boom;
                }
            }));
            assertSame(boom, thrown);
            AtomicIntegerArray seen = new AtomicIntegerArray(8);
            p.forEach(8, seen::incrementAndGet);
            for (int i = 0; i < 8; i++) {
                assertEquals(1, seen.get(i));
            }
        }
    }

    @Test
    void nestedCallsRunOnTheCallingThread() {
        try (Parallel p = new Parallel(2)) {
            AtomicIntegerArray seen = new AtomicIntegerArray(16);
            p.forEach(4, outer -> p.forEach(4, inner -> seen.incrementAndGet(outer * 4 + inner)));
            for (int i = 0; i < 16; i++) {
                assertEquals(1, seen.get(i));
            }
        }
    }
}
