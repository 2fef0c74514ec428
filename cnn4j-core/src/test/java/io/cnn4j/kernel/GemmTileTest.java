package io.cnn4j.kernel;

import jdk.incubator.vector.FloatVector;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every micro-kernel tile computes bitwise what the fixed rule's computes, whatever the shape, transposes,
 * beta, offsets and threads, so the tile measured on one machine changes its speed, never its results. Each
 * tile runs here whatever this JVM's vector width (the AVX2 shapes on 16 lanes too).
 */
class GemmTileTest {
    private static final ReferenceKernels REF = new ReferenceKernels();
    private static final Parallel TWO = new Parallel(2);
    private static final Parallel THREE = new Parallel(3);

    @AfterContainer
    static void stopWorkers() {
        TWO.close();
        THREE.close();
    }

    @Property(tries = 60)
    void everyTileComputesTheSameBits(@ForAll @IntRange(min = 1, max = 80) int m, @ForAll @IntRange(min = 1, max = 80) int n,
                                      @ForAll @IntRange(min = 0, max = 300) int k, @ForAll boolean transA,
                                      @ForAll boolean transB, @ForAll @IntRange(min = 0, max = 2) int betaCase,
                                      @ForAll @IntRange(min = 0, max = 3) int pad) {
        Random r = new Random(m * 31L + n * 7L + k);
        int lda = (transA ? m : k) + pad;
        int ldb = (transB ? k : n) + pad;
        int ldc = n + pad;
        float[] a = CpuKernelsTest.random(r, pad + (transA ? k : m) * lda);
        float[] b = CpuKernelsTest.random(r, pad + (transB ? n : k) * ldb);
        float[] c0 = CpuKernelsTest.random(r, pad + m * ldc);
        float beta = betaCase == 0 ? 0f : betaCase == 1 ? 1f : 0.5f;
        float[] expected = c0.clone();
        REF.gemm(transA, transB, m, n, k, a, pad, lda, b, pad, ldb, beta, expected, pad, ldc);
        float[] fixed = c0.clone();
        Gemm.multiply(GemmTile.fixedRule(), null, transA, transB, m, n, k, a, pad, lda, b, pad, ldb, beta, fixed, pad, ldc);
        String what = "gemm " + m + "x" + n + "x" + k + " tA=" + transA + " tB=" + transB + " beta=" + beta + " pad=" + pad;
        CpuKernelsTest.assertClose(expected, fixed, k, what);
        for (GemmTile tile : GemmTile.values()) {
            for (Parallel parallel : new Parallel[] {null, TWO, THREE}) {
                float[] actual = c0.clone();
                Gemm.multiply(tile, parallel, transA, transB, m, n, k, a, pad, lda, b, pad, ldb, beta, actual, pad, ldc);
                assertArrayEquals(fixed, actual, what + " with " + tile.label() + " on "
                        + (parallel == null ? 1 : parallel.threads()) + " threads");
            }
        }
    }

    /**
     * Past every block, with partial last ones: rows over MC and k over KC in one multiply, columns over a block
     * of B's panels in another.
     */
    @Test
    void everyTileComputesTheSameBitsPastEveryBlock() {
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        sameBitsForEveryTile(Gemm.MC + 13, 2 * lanes + 3, Gemm.KC + 9, false, true);
        sameBitsForEveryTile(7, 128 * lanes + 5, 20, true, false);
    }

    private static void sameBitsForEveryTile(int m, int n, int k, boolean transA, boolean transB) {
        Random r = new Random(5);
        float[] a = CpuKernelsTest.random(r, m * k);
        float[] b = CpuKernelsTest.random(r, k * n);
        float[] c0 = CpuKernelsTest.random(r, m * n);
        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        float[] fixed = c0.clone();
        Gemm.multiply(GemmTile.fixedRule(), null, transA, transB, m, n, k, a, 0, lda, b, 0, ldb, 1f, fixed, 0, n);
        float[] expected = c0.clone();
        REF.gemm(transA, transB, m, n, k, a, 0, lda, b, 0, ldb, 1f, expected, 0, n);
        CpuKernelsTest.assertClose(expected, fixed, k, m + "x" + n + "x" + k);
        for (GemmTile tile : GemmTile.values()) {
            float[] actual = c0.clone();
            Gemm.multiply(tile, TWO, transA, transB, m, n, k, a, 0, lda, b, 0, ldb, 1f, actual, 0, n);
            assertArrayEquals(fixed, actual, m + "x" + n + "x" + k + " with " + tile.label());
        }
    }

    @Test
    void tilesAreNamedByTheirShape() {
        List<GemmTile> candidates = GemmTile.candidates();
        assertEquals(candidates.getFirst(), GemmTile.fixedRule());
        assertTrue(candidates.size() > 1, "more than the fixed rule to choose from: " + candidates);
        for (GemmTile tile : candidates) {
            assertEquals(tile, GemmTile.named(" " + tile.label().toUpperCase() + " ", "test"));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GemmTile.named("3x7v", "-Dcnn4j.gemm.tile"));
        assertEquals("-Dcnn4j.gemm.tile: unknown matrix multiply tile '3x7v' for " + FloatVector.SPECIES_PREFERRED.length()
                + "-lane vectors; expected one of " + candidates.stream().map(GemmTile::label).toList(), e.getMessage());
    }

    @Test
    void theMeasuredTileIsKeptPerProcessor(@TempDir Path dir) throws IOException {
        TuningCache cache = TuningCache.in(dir);
        GemmTile measured = GemmTile.keptOrMeasured(cache);
        assertTrue(GemmTile.candidates().contains(measured), measured.toString());
        assertEquals(Optional.of(measured.label()), Optional.ofNullable(cache.choices().get("gemm.tile")));
        assertTrue(Files.readString(dir.resolve(TuningCache.processorKey() + ".properties"))
                .contains("gemm.tile=" + measured.label()), "kept in the processor's file");
        assertEquals(measured, GemmTile.keptOrMeasured(cache), "measured once");
    }

    @Test
    void aKeptTileIsUsedWithoutMeasuring(@TempDir Path dir) throws IOException {
        GemmTile last = GemmTile.candidates().getLast();
        Files.writeString(dir.resolve(TuningCache.processorKey() + ".properties"), "gemm.tile=" + last.label() + "\n");
        assertEquals(last, GemmTile.keptOrMeasured(TuningCache.in(dir)));
        Path other = dir.resolve("other");
        Files.createDirectories(other);
        Files.writeString(other.resolve(TuningCache.processorKey() + ".properties"), "gemm.tile=99x9v\n");
        assertEquals(GemmTile.fixedRule(), GemmTile.keptOrMeasured(TuningCache.in(other)), "a tile this version lacks");
        assertEquals(GemmTile.fixedRule(), GemmTile.keptOrMeasured(TuningCache.none()));
    }
}
