package io.cnn4j.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TuningCacheTest {
    @Test
    void measuresEachKeyOnceAndKeepsItInTheProcessorsFile(@TempDir Path dir) throws IOException {
        TuningCache cache = TuningCache.in(dir);
        AtomicInteger measured = new AtomicInteger();
        assertEquals(Optional.of("a"), cache.choice("gemm.tile", () -> { measured.incrementAndGet(); return "a"; }));
        assertEquals(Optional.of("a"), cache.choice("gemm.tile", () -> { measured.incrementAndGet(); return "b"; }));
        assertEquals(1, measured.get());
        assertSame(cache, TuningCache.in(dir), "one instance per file, shared by every kernels object");

        Path file = dir.resolve(TuningCache.processorKey() + ".properties");
        assertEquals(Optional.of(file.toAbsolutePath().normalize()), cache.file());
        Properties kept = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            kept.load(in);
        }
        assertEquals("a", kept.getProperty("gemm.tile"));
    }

    @Test
    void aFileWrittenByAnotherProcessIsReadAndItsChoicesWin(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(TuningCache.processorKey() + ".properties"), "conv.k=direct\n");
        TuningCache cache = TuningCache.in(dir);
        assertEquals(Optional.of("direct"), cache.choice("conv.k", () -> "im2col"));
        cache.choice("conv.j", () -> "winograd");
        assertTrue(Files.readString(dir.resolve(TuningCache.processorKey() + ".properties")).contains("conv.k=direct"),
                "adding a choice keeps the others");
    }

    /**
     * A convolution's measurement runs its candidates on the worker threads, whose first multiply asks the same
     * cache for the matrix multiply's tile: the cache holds no lock while measuring, or they would wait for
     * each other for ever.
     */
    @Test
    @Timeout(10)
    void aMeasurementMayAskForAnotherKeyFromAnotherThread(@TempDir Path dir) {
        TuningCache cache = TuningCache.in(dir);
        Optional<String> outer = cache.choice("conv.k", () -> {
            CompletableFuture<Optional<String>> inner = CompletableFuture.supplyAsync(() -> cache.choice("gemm.tile", () -> "4x4v"));
            return inner.join().orElseThrow().equals("4x4v") ? "direct" : "wrong";
        });
        assertEquals(Optional.of("direct"), outer);
        assertEquals(Map.of("conv.k", "direct", "gemm.tile", "4x4v"), cache.choices());
    }

    @Test
    @Timeout(10)
    void concurrentCallersForOneKeyShareOneMeasurement(@TempDir Path dir) throws Exception {
        TuningCache cache = TuningCache.in(dir);
        AtomicInteger measured = new AtomicInteger();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Optional<String>> first = CompletableFuture.supplyAsync(() -> cache.choice("k", () -> {
            measured.incrementAndGet();
            inside.countDown();
            await(release);
            return "a";
        }));
        inside.await();
        CompletableFuture<Optional<String>> second = CompletableFuture.supplyAsync(() -> cache.choice("k", () -> {
            measured.incrementAndGet();
            return "b";
        }));
        release.countDown();
        assertEquals(Optional.of("a"), first.get());
        assertEquals(Optional.of("a"), second.get());
        assertEquals(1, measured.get());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aGarbledFileCostsOnlyANewMeasurement(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(TuningCache.processorKey() + ".properties"), "\\u12");
        assertEquals(Optional.of("x"), TuningCache.in(dir).choice("k", () -> "x"));
    }

    @Test
    void noneMeasuresNothing() {
        assertFalse(TuningCache.none().measures());
        assertEquals(Optional.empty(), TuningCache.none().choice("k", () -> { throw new AssertionError("measured"); }));
        assertEquals(Optional.empty(), TuningCache.none().file());
        assertEquals(Map.of(), TuningCache.none().choices());
    }

    @Test
    void theProcessorKeyIsAFileNameNamingTheVectorWidth() {
        String key = TuningCache.processorKey();
        assertTrue(key.matches("[A-Za-z0-9._-]+lanes"), key);
    }
}
