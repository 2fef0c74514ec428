package io.cnn4j.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
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
