package io.cnn4j.kernel;

import jdk.incubator.vector.FloatVector;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A shape of the matrix multiply's micro-kernel: {@link #rows()} rows of C (broadcasts of A) by {@link
 * #vectors()} vectors (loads of B's panel) a step, each tile of C in as many accumulators. {@link Gemm} has
 * one micro-kernel per shape; which serves best depends on the microarchitecture (see {@link Gemm}), so
 * {@link #inUse()} is chosen by measurement and kept in the {@link TuningCache}.
 *
 * <p>Every shape sums each element of C over k in the same order, so they all compute the same bits: the
 * choice changes the speed, never the result.
 */
enum GemmTile {
    /** 4 rows by 4 vectors: 16 accumulators, the fixed rule with 32 registers (AVX-512). */
    R4V4(4, 4, 16),
    /**
     * 12 rows by 2 vectors: 24 accumulators (BLIS's SkylakeX shape, transposed). Two loads of the panel for 24
     * FMAs instead of four for 16: a third of 4x4's traffic from L2 per FMA, where the panel lives.
     */
    R12V2(12, 2, 16),
    /** 6 rows by 4 vectors: 24 accumulators, the panel as wide as 4x4's with half its loads per FMA. */
    R6V4(6, 4, 16),
    /** 2 rows by 4 vectors: 8 accumulators, the fixed rule with 16 registers (AVX2). */
    R2V4(2, 4, 8),
    /**
     * 3 rows by 3 vectors: 9 accumulators, two thirds of 2x4's loads of B per FMA. (BLIS's Haswell 6 rows by 2
     * vectors, 12 accumulators, leaves C2 too few of the 16 registers: it spilled and ran at half speed.)
     */
    R3V3(3, 3, 8);

    private static final int L = FloatVector.SPECIES_PREFERRED.length();
    /** The system property that forces a shape by name (for comparisons), overriding the measured choice. */
    static final String PROPERTY = "cnn4j.gemm.tile";
    /** The key of the measured choice in the {@link TuningCache}. */
    static final String KEY = "gemm.tile";
    private static final List<GemmTile> CANDIDATES =
            Arrays.stream(values()).filter(t -> t.lanes == (L >= 16 ? 16 : 8)).toList();
    /** {@link #inUse()}, once decided. */
    private static volatile GemmTile chosen;

    private final int rows;
    private final int vectors;
    /** The vectors this shape is a candidate for: 16 lanes and up (32 registers), else 8 (16 registers). */
    private final int lanes;

    GemmTile(int rows, int vectors, int lanes) {
        this.rows = rows;
        this.vectors = vectors;
        this.lanes = lanes;
    }

    /** Rows of C a micro-kernel call computes: the height of a strip of A. */
    int rows() {
        return rows;
    }

    /** Vectors of C a micro-kernel row computes. */
    int vectors() {
        return vectors;
    }

    /**
     * Whether the micro-kernel reads the rows of an A stored row by row in place, sparing their packing. Not
     * for 12 rows: their 12 indexes a step outnumber x86's free general registers, and on Zen 4 the kernel ran
     * 12% slower in place than on packed strips (6 rows ran 5% faster in place, 8 rows as fast).
     */
    boolean readsAInPlace() {
        return rows <= 8;
    }

    /** Columns of C a micro-kernel call computes: the width of a panel of B. */
    int columns() {
        return vectors * L;
    }

    /** The shape's name: rows by vectors, e.g. {@code 12x2v}. */
    String label() {
        return rows + "x" + vectors + "v";
    }

    /** The shapes whose accumulators fit this JVM's vector registers, the fixed rule's first. */
    static List<GemmTile> candidates() {
        return CANDIDATES;
    }

    /**
     * The shape used without measurement: the widest tile of 4 vectors the registers hold. Allocates nothing, as
     * {@link Winograd} multiplies with its kernel thousands of times a step.
     */
    static GemmTile fixedRule() {
        return CANDIDATES.getFirst();
    }

    /** The candidate called {@code label}, as {@link #label()} writes it. */
    static GemmTile named(String label, String where) {
        String wanted = label.strip().toLowerCase(Locale.ROOT);
        for (GemmTile t : candidates()) {
            if (t.label().equals(wanted)) {
                return t;
            }
        }
        throw new IllegalArgumentException(where + ": unknown matrix multiply tile '" + label + "' for " + L
                + "-lane vectors; expected one of " + candidates().stream().map(GemmTile::label).toList());
    }

    /**
     * The shape this process multiplies with: the one the system property names, else the one measured on this
     * processor (measuring it on first use if the {@link TuningCache#defaultCache() cache} has none), else
     * the fixed rule. Decided once per process.
     */
    static GemmTile inUse() {
        GemmTile tile = chosen;
        return tile != null ? tile : decide();
    }

    /**
     * Decided once: threads that get here together all take the cache's one measurement (or kept choice), so they
     * agree. No lock is held meanwhile, as a convolution's measurement multiplies on the worker threads while its
     * own calling thread waits for them.
     */
    private static GemmTile decide() {
        String forced = System.getProperty(PROPERTY);
        GemmTile tile = forced != null && !forced.isBlank() ? named(forced, "-D" + PROPERTY)
                : keptOrMeasured(TuningCache.defaultCache());
        chosen = tile;
        return tile;
    }

    /**
     * The tile {@code cache} keeps for this processor, measured and kept there if it has none (or names no
     * current candidate); the fixed rule where the cache does not measure.
     */
    static GemmTile keptOrMeasured(TuningCache cache) {
        List<GemmTile> candidates = candidates();
        if (candidates.size() == 1) {
            return candidates.getFirst();
        }
        return cache.choice(KEY, () -> GemmTileTiming.fastest(candidates).label()).flatMap(GemmTile::kept)
                .orElse(fixedRule());
    }

    /** A kept choice, or none if the file names no current candidate (written by another version). */
    private static Optional<GemmTile> kept(String label) {
        return candidates().stream().filter(t -> t.label().equals(label)).findFirst();
    }
}
