package io.cnn4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * Single-precision matrix multiply {@code C = beta*C + op(A) op(B)} in the style of GotoBLAS/BLIS:
 * B is packed into panels of a tile's columns and A into strips of its rows, and a register-tiled
 * micro-kernel multiplies a strip by a panel with vector FMAs. Transposed operands are read in the packing
 * step, so backward passes never materialise a transpose.
 *
 * <p>The tile ({@link GemmTile}) is chosen by measurement, because the shape that reaches the FMA peak on one
 * microarchitecture falls short on another. Each panel of B sits in L2 while every strip of A meets it, so a
 * step of the micro-kernel loads its vectors from L2 and broadcasts its rows from L3. Zen 4 (one 512-bit FMA a
 * cycle, 64 bytes a cycle from L2) reaches 96% of its peak with 4 rows by 4 vectors; an Intel core with two
 * 512-bit FMA ports needs twice the bytes a cycle from its L2 for the same tile, the likely reason it stopped
 * at about 62% of its peak. Taller, narrower tiles load fewer vectors per FMA: 12 rows by 2 vectors (BLIS's
 * SkylakeX shape) a third as many, 8 by 3 three eighths, 6 by 4 half. On AVX2 (16 registers) the fixed rule is
 * 2 rows by 4 vectors; 4 by 2 halves the loads, 3 by 3 takes two thirds. On first use in a process, {@link
 * GemmTile#inUse()} takes the choice the {@link TuningCache} keeps for this processor, or times the candidates
 * on the calling thread ({@link GemmTileTiming}) and keeps the fastest; {@code -Dcnn4j.gemm.tile=12x2v} forces
 * one, and a cache turned off keeps the fixed rule. Each tile has its own micro-kernel method with its shape
 * in constants, as C2 needs to keep the accumulators in registers. {@link Winograd} lays out its operands for
 * the fixed rule's kernel, whatever the choice.
 *
 * <p>Every tile sums each element over k in the same order (blocks of {@link #KC} summed from zero, then
 * added to C), so all of them compute bitwise the same C: the choice changes the speed, never the result.
 * Each strip and panel is an array of its own, starting at index 0, so that the micro-kernel's
 * indexes are plain multiples of its loop counter: C2 then spends one instruction a step on them.
 * A block over k of {@link #KC} leaves the panel in L2, not L1, but spares the passes over C (whose tiles
 * come from far down the memory hierarchy) that smaller blocks need: a multiply with k up to KC writes each
 * tile of C once. Blocks of {@link #MC} rows of A read the packed block of B from L3 rarely (a panel's first
 * use runs at L3's pace).
 *
 * <p>Where A is stored row by row (not transposed), tiles of up to 8 rows do not pack its strips: the
 * micro-kernel reads its rows in place, plain streams that the prefetchers follow, which spares a copy of A per
 * block of B (a large share of the convolutions' weight gradients, whose A is the output gradient).
 *
 * <p>Every element of C is summed over k in the same order whatever the blocking over m and n, so
 * splitting rows or columns across threads gives bitwise the same result.
 *
 * <p>The micro-kernels keep their vectors inside themselves, epilogue included: a vector passed to a helper
 * that C2 does not inline is boxed on every call (see {@link Lanes}).
 */
final class Gemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows of the fixed rule's tile, whose strips {@link Winograd} lays out for {@link #microKernel}. */
    static final int MR = GemmTile.fixedRule().rows();
    /** Columns of the fixed rule's tile. */
    static final int NR = GemmTile.fixedRule().columns();
    /**
     * Depth of a block over k, the same for every tile: it decides how each element's sum over k is grouped
     * (each block summed on its own, then added to C), so a tile with another would compute other bits.
     */
    static final int KC = 1024;
    /**
     * Rows of A packed at a time: 1 MB, in L3, which every panel of B (in L2) meets in turn. A whole number
     * of strips for every tile height.
     */
    static final int MC = 264;
    /** Columns of B packed at a time: 128 vectors, whatever the tile (a whole number of its panels). */
    private static final int NC_VECTORS = 128;
    /** Below this many multiply-adds a call is not worth waking other threads for. */
    private static final long PARALLEL_MIN_MACS = 1L << 18;

    private static final ThreadLocal<Buffers[]> BUFFERS =
            ThreadLocal.withInitial(() -> new Buffers[GemmTile.values().length]);

    private Gemm() {
    }

    /** Packing space of one thread for one tile, allocated once. */
    private static final class Buffers {
        final GemmTile tile;
        /**
         * Strips and panels are allocated as a multiply first needs them: all of them take 1 MB, and 4 MB (8
         * lanes) or 8 MB (16 lanes).
         */
        final float[][] packedA;
        final float[][] packedB;
        final float[] edge;
        /** {@link GatherMap#of} B's row stride, kept for the next transposed B with the same stride. */
        private int[] rows = GatherMap.of(0);
        private int rowStride;

        Buffers(GemmTile tile) {
            this.tile = tile;
            packedA = new float[MC / tile.rows()][];
            packedB = new float[ncOf(tile) / tile.columns()][];
            edge = new float[tile.rows() * tile.columns()];
        }

        int[] rows(int ldb) {
            if (ldb != rowStride) {
                rows = GatherMap.of(ldb);
                rowStride = ldb;
            }
            return rows;
        }

        static Buffers of(GemmTile tile) {
            Buffers[] own = BUFFERS.get();
            Buffers b = own[tile.ordinal()];
            if (b == null) {
                b = own[tile.ordinal()] = new Buffers(tile);
            }
            return b;
        }
    }

    /** Lets go of the calling thread's packing space for {@code tile}: megabytes, for a tile measured and not chosen. */
    static void releaseBuffers(GemmTile tile) {
        BUFFERS.get()[tile.ordinal()] = null;
    }

    /** {@code tile} with the blocking around it, e.g. {@code 4x4v kc1024 mc264}. */
    static String describe(GemmTile tile) {
        return tile.label() + " kc" + KC + " mc" + MC;
    }

    private static int ncOf(GemmTile tile) {
        return NC_VECTORS / tile.vectors() * tile.columns();
    }

    /**
     * The multiply on {@code parallel}'s threads: they pack B's block and A's rows together, then each
     * claims panels (or, where there are too few, ranges of strips) one at a time, so a thread that the
     * host slows down takes fewer.
     */
    static void multiply(Parallel parallel, boolean transA, boolean transB, int m, int n, int k,
                         float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                         float beta, float[] c, int cOff, int ldc) {
        multiply(GemmTile.inUse(), parallel, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** The multiply on the calling thread; arguments as {@link Kernels#gemm}. */
    static void multiply(boolean transA, boolean transB, int m, int n, int k,
                         float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                         float beta, float[] c, int cOff, int ldc) {
        blocked(GemmTile.inUse(), null, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** The multiply with {@code tile}'s micro-kernel (for the measurement that chooses one, and tests). */
    static void multiply(GemmTile tile, Parallel parallel, boolean transA, boolean transB, int m, int n, int k,
                         float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                         float beta, float[] c, int cOff, int ldc) {
        boolean alone = parallel == null || parallel.threads() == 1 || (long) m * n * k < PARALLEL_MIN_MACS;
        blocked(tile, alone ? null : parallel, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * The blocked multiply. For each block of B, packed into panels, and each block of {@link #MC} rows
     * of A, packed into strips, every panel meets all the strips in turn: its columns a step come from L2 and
     * the strips' rows from L3. Every element of C is summed over k in the same order however the work is
     * split, and whatever the tile.
     */
    private static void blocked(GemmTile tile, Parallel parallel, boolean transA, boolean transB, int m, int n, int k,
                                float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                float beta, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        // With beta 0 the first block over k stores its products instead of adding them to zeroed C: one
        // pass less over C, whose tiles come from far down the memory hierarchy.
        boolean store = beta == 0f;
        if (k == 0 || !store) {
            scale(m, n, beta, c, cOff, ldc);
        }
        if (k == 0) {
            return;
        }
        Buffers own = Buffers.of(tile);
        int[] rows = transB ? own.rows(ldb) : null;
        int mr = tile.rows();
        int nr = tile.columns();
        int ncMax = ncOf(tile);
        for (int jc = 0; jc < n; jc += ncMax) {
            int nc = Math.min(ncMax, n - jc);
            int panelCount = Math.ceilDiv(nc, nr);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean first = store && pc == 0;
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    int stripCount = Math.ceilDiv(mc, mr);
                    int cBlock = cOff + ic * ldc + jc;
                    // Whole strips of an A stored row by row are read in place, plain streams, by the tiles that
                    // can: only a transposed A, and the rows left over at its edge, are packed.
                    boolean packAll = transA || !tile.readsAInPlace();
                    float[] inPlace = packAll ? null : a;
                    int aBlock = aOff + ic * lda + pc;
                    int packedFrom = packAll ? 0 : mc / mr;
                    // Plain loops on one thread: the lambdas below would allocate on every call, and the
                    // convolutions make thousands of small single-threaded calls a step.
                    if (parallel == null) {
                        if (ic == 0) {
                            for (int q = 0; q < panelCount; q++) {
                                packB(nr, transB, b, bOff, ldb, rows, pc, jc, kc, nc, own.packedB, q);
                            }
                        }
                        for (int s = packedFrom; s < stripCount; s++) {
                            packA(mr, transA, a, aOff, lda, ic, pc, mc, kc, own.packedA, s);
                        }
                        multiplyBlock(own, inPlace, aBlock, lda, 0, stripCount, 0, panelCount,
                                mc, nc, kc, c, cBlock, ldc, first);
                        continue;
                    }
                    int i0 = ic;
                    int k0 = pc;
                    int col0 = jc;
                    if (ic == 0) {
                        parallel.forEach(panelCount, q -> packB(nr, transB, b, bOff, ldb, rows, k0, col0, kc, nc,
                                own.packedB, q));
                    }
                    parallel.forEach(stripCount - packedFrom,
                            s -> packA(mr, transA, a, aOff, lda, i0, k0, mc, kc, own.packedA, packedFrom + s));
                    if (panelCount >= parallel.threads()) {
                        parallel.forEach(panelCount, q -> multiplyBlock(own, inPlace, aBlock, lda, 0, stripCount,
                                q, q + 1, mc, nc, kc, c, cBlock, ldc, first));
                    } else {
                        int range = Math.ceilDiv(stripCount, parallel.threads());
                        parallel.forEach(Math.ceilDiv(stripCount, range), r -> multiplyBlock(own, inPlace, aBlock, lda,
                                r * range, Math.min(stripCount, (r + 1) * range), 0, panelCount,
                                mc, nc, kc, c, cBlock, ldc, first));
                    }
                }
            }
        }
    }

    private static void scale(int m, int n, float beta, float[] c, int cOff, int ldc) {
        if (beta == 1f) {
            return;
        }
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            if (beta == 0f) {
                Arrays.fill(c, row, row + n, 0f);
            } else {
                for (int j = 0; j < n; j++) {
                    c[row + j] *= beta;
                }
            }
        }
    }

    /** Packs strip {@code s} of op(A)[ic:ic+mc, pc:pc+kc]: {@code mr} rows, stored k-major, zero-padded. */
    private static void packA(int mr, boolean transA, float[] a, int aOff, int lda, int ic, int pc, int mc, int kc,
                              float[][] strips, int s) {
        if (strips[s] == null) {
            strips[s] = new float[mr * KC];
        }
        float[] dst = strips[s];
        int i0 = s * mr;
        int rows = Math.min(mr, mc - i0);
        if (transA) {
            for (int p = 0; p < kc; p++) {
                int src = aOff + (pc + p) * lda + ic + i0;
                int d = p * mr;
                for (int r = 0; r < rows; r++) {
                    dst[d + r] = a[src + r];
                }
                for (int r = rows; r < mr; r++) {
                    dst[d + r] = 0f;
                }
            }
        } else {
            for (int r = 0; r < mr; r++) {
                if (r < rows) {
                    int src = aOff + (ic + i0 + r) * lda + pc;
                    for (int p = 0; p < kc; p++) {
                        dst[p * mr + r] = a[src + p];
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        dst[p * mr + r] = 0f;
                    }
                }
            }
        }
    }

    /** Packs panel {@code q} of op(B)[pc:pc+kc, jc:jc+nc]: {@code nr} columns, stored k-major, zero-padded. */
    private static void packB(int nr, boolean transB, float[] b, int bOff, int ldb, int[] rows, int pc, int jc, int kc,
                              int nc, float[][] panels, int q) {
        if (panels[q] == null) {
            panels[q] = new float[nr * KC];
        }
        float[] dst = panels[q];
        int j0 = jc + q * nr;
        int cols = Math.min(nr, nc - q * nr);
        if (transB && cols % L == 0) {
            packTransposed(nr, cols, b, bOff + j0 * ldb + pc, ldb, rows, kc, dst);
        } else if (transB) {
            for (int jj = 0; jj < nr; jj++) {
                if (jj < cols) {
                    int src = bOff + (j0 + jj) * ldb + pc;
                    for (int p = 0; p < kc; p++) {
                        dst[p * nr + jj] = b[src + p];
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        dst[p * nr + jj] = 0f;
                    }
                }
            }
        } else if (cols == nr) {
            for (int p = 0; p < kc; p++) {
                int src = bOff + (pc + p) * ldb + j0;
                for (int v = 0; v < nr; v += L) {
                    FloatVector.fromArray(S, b, src + v).intoArray(dst, p * nr + v);
                }
            }
        } else {
            for (int p = 0; p < kc; p++) {
                int src = bOff + (pc + p) * ldb + j0;
                System.arraycopy(b, src, dst, p * nr, cols);
                Arrays.fill(dst, p * nr + cols, (p + 1) * nr, 0f);
            }
        }
    }

    /**
     * A panel of a transposed B, {@code cols} of its rows from {@code b[from]} (a whole number of vectors), a
     * vector of the panel's row at a time gathered down B's rows ({@code rows}: {@code GatherMap.of(ldb)}), zero
     * past them. A float at a time wrote each column {@code nr} floats apart, a cache line a store, through a
     * panel larger than L1: Winograd's weight gradient spent most of its time there. A method of its own, so
     * that C2 compiles its gathers whatever the profile of the packing around it.
     */
    private static void packTransposed(int nr, int cols, float[] b, int from, int ldb, int[] rows, int kc, float[] dst) {
        FloatVector zero = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int v = 0;
            for (; v < cols; v += L) {
                FloatVector.fromArray(S, b, from + p + v * ldb, rows, 0).intoArray(dst, p * nr + v);
            }
            for (; v < nr; v += L) {
                zero.intoArray(dst, p * nr + v);
            }
        }
    }

    /**
     * C's tiles for strips {@code [s0, s1)} and panels {@code [q0, q1)} plus (or, with {@code store}, set to)
     * their products, with the strips and panels packed in {@code own}. With {@code a} not null, whole strips are
     * A's rows read in place from {@code aBlock}.
     */
    private static void multiplyBlock(Buffers own, float[] a, int aBlock, int lda, int s0, int s1, int q0, int q1,
                                      int mc, int nc, int kc, float[] c, int cOff, int ldc, boolean store) {
        GemmTile tile = own.tile;
        int mr = tile.rows();
        int nr = tile.columns();
        for (int q = q0; q < q1; q++) {
            int cols = Math.min(nr, nc - q * nr);
            float[] panel = own.packedB[q];
            for (int s = s0; s < s1; s++) {
                int rows = Math.min(mr, mc - s * mr);
                int cIdx = cOff + s * mr * ldc + q * nr;
                boolean inPlace = a != null && rows == mr;
                int a0 = aBlock + s * mr * lda;
                if (rows == mr && cols == nr) {
                    if (inPlace) {
                        inPlaceKernel(tile, kc, a, a0, lda, panel, c, cIdx, ldc, !store);
                    } else {
                        packedKernel(tile, kc, own.packedA[s], panel, c, cIdx, ldc, !store);
                    }
                } else {
                    // A tile cut by C's edge: the micro-kernel writes a scratch tile, and the part inside C is copied.
                    float[] edge = Buffers.of(tile).edge;
                    if (inPlace) {
                        inPlaceKernel(tile, kc, a, a0, lda, panel, edge, 0, nr, false);
                    } else {
                        packedKernel(tile, kc, own.packedA[s], panel, edge, 0, nr, false);
                    }
                    for (int r = 0; r < rows; r++) {
                        for (int j = 0; j < cols; j++) {
                            int at = cIdx + r * ldc + j;
                            c[at] = store ? edge[r * nr + j] : c[at] + edge[r * nr + j];
                        }
                    }
                }
            }
        }
    }

    /**
     * The fixed rule's micro-kernel, {@code C[MR x NR] += A-strip * B-panel} over {@code kc}, accumulating in
     * registers; with {@code accumulate} false, {@code C = A-strip * B-panel}, whatever C held.
     */
    static void microKernel(int kc, float[] ap, float[] bp, float[] c, int co, int ldc, boolean accumulate) {
        packedKernel(GemmTile.fixedRule(), kc, ap, bp, c, co, ldc, accumulate);
    }

    /** {@code tile}'s micro-kernel on a packed strip of A. */
    private static void packedKernel(GemmTile tile, int kc, float[] ap, float[] bp, float[] c, int co, int ldc,
                                     boolean accumulate) {
        switch (tile) {
            case R4V4 -> kernel4x4(kc, ap, bp, c, co, ldc, accumulate);
            case R2V4 -> kernel2x4(kc, ap, bp, c, co, ldc, accumulate);
            case R12V2 -> kernel12x2(kc, ap, bp, c, co, ldc, accumulate);
            case R6V4 -> kernel6x4(kc, ap, bp, c, co, ldc, accumulate);
            case R3V3 -> kernel3x3(kc, ap, bp, c, co, ldc, accumulate);
        }
    }

    /**
     * {@code tile}'s micro-kernel on its rows of an A stored row by row, read in place: from {@code a0}, {@code
     * a0 + rowStride} and so on. Only for the tiles that {@link GemmTile#readsAInPlace() read A in place}.
     */
    private static void inPlaceKernel(GemmTile tile, int kc, float[] a, int a0, int rowStride, float[] bp,
                                      float[] c, int co, int ldc, boolean accumulate) {
        switch (tile) {
            case R4V4 -> kernel4x4(kc, a, a0, rowStride, bp, c, co, ldc, accumulate);
            case R2V4 -> kernel2x4(kc, a, a0, rowStride, bp, c, co, ldc, accumulate);
            case R6V4 -> kernel6x4(kc, a, a0, rowStride, bp, c, co, ldc, accumulate);
            case R3V3 -> kernel3x3(kc, a, a0, rowStride, bp, c, co, ldc, accumulate);
            case R12V2 -> throw new IllegalStateException("12 rows of A are always packed");
        }
    }

    private static void kernel2x4(int kc, float[] ap, float[] bp, float[] c, int co, int ldc, boolean accumulate) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z, c10 = z, c11 = z, c12 = z, c13 = z;
        for (int q = 0; q < kc * 2; q += 2) {
            int bq = q * (4 * L / 2);
            FloatVector b0 = FloatVector.fromArray(S, bp, bq);
            FloatVector b1 = FloatVector.fromArray(S, bp, bq + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bq + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, bp, bq + 3 * L);
            FloatVector a = FloatVector.broadcast(S, ap[q]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            c02 = a.fma(b2, c02);
            c03 = a.fma(b3, c03);
            a = FloatVector.broadcast(S, ap[q + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            c12 = a.fma(b2, c12);
            c13 = a.fma(b3, c13);
        }
        if (accumulate) {
            c00 = c00.add(FloatVector.fromArray(S, c, co));
            c01 = c01.add(FloatVector.fromArray(S, c, co + L));
            c02 = c02.add(FloatVector.fromArray(S, c, co + 2 * L));
            c03 = c03.add(FloatVector.fromArray(S, c, co + 3 * L));
            c10 = c10.add(FloatVector.fromArray(S, c, co + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, co + ldc + L));
            c12 = c12.add(FloatVector.fromArray(S, c, co + ldc + 2 * L));
            c13 = c13.add(FloatVector.fromArray(S, c, co + ldc + 3 * L));
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + L);
        c02.intoArray(c, co + 2 * L);
        c03.intoArray(c, co + 3 * L);
        c10.intoArray(c, co + ldc);
        c11.intoArray(c, co + ldc + L);
        c12.intoArray(c, co + ldc + 2 * L);
        c13.intoArray(c, co + ldc + 3 * L);
    }

    /**
     * The 2-row micro-kernel on an A read in place ({@link #inPlaceKernel}). A twin of the packed one (as are
     * the other tiles' kernels that read A in place), because each way of making them one costs more than it
     * saves: a stride per step ({@code a[a0 + p * step]}) costs an instruction in the inner loop; packed strips
     * laid out row after row slow Winograd's products, which read them; and an epilogue shared through a method
     * that takes the accumulators boxes them whenever C2 compiles the call without inlining it.
     */
    private static void kernel2x4(int kc, float[] a, int a0, int rowStride, float[] bp,
                                     float[] c, int co, int ldc, boolean accumulate) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z, c10 = z, c11 = z, c12 = z, c13 = z;
        int a1 = a0 + rowStride;
        for (int p = 0; p < kc; p++) {
            int bq = p * (4 * L);
            FloatVector b0 = FloatVector.fromArray(S, bp, bq);
            FloatVector b1 = FloatVector.fromArray(S, bp, bq + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bq + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, bp, bq + 3 * L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            c13 = x.fma(b3, c13);
        }
        if (accumulate) {
            c00 = c00.add(FloatVector.fromArray(S, c, co));
            c01 = c01.add(FloatVector.fromArray(S, c, co + L));
            c02 = c02.add(FloatVector.fromArray(S, c, co + 2 * L));
            c03 = c03.add(FloatVector.fromArray(S, c, co + 3 * L));
            c10 = c10.add(FloatVector.fromArray(S, c, co + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, co + ldc + L));
            c12 = c12.add(FloatVector.fromArray(S, c, co + ldc + 2 * L));
            c13 = c13.add(FloatVector.fromArray(S, c, co + ldc + 3 * L));
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + L);
        c02.intoArray(c, co + 2 * L);
        c03.intoArray(c, co + 3 * L);
        c10.intoArray(c, co + ldc);
        c11.intoArray(c, co + ldc + L);
        c12.intoArray(c, co + ldc + 2 * L);
        c13.intoArray(c, co + ldc + 3 * L);
    }

    private static void kernel4x4(int kc, float[] ap, float[] bp, float[] c, int co, int ldc, boolean accumulate) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z, c10 = z, c11 = z, c12 = z, c13 = z;
        FloatVector c20 = z, c21 = z, c22 = z, c23 = z, c30 = z, c31 = z, c32 = z, c33 = z;
        for (int q = 0; q < kc * 4; q += 4) {
            int bq = q * L;
            FloatVector b0 = FloatVector.fromArray(S, bp, bq);
            FloatVector b1 = FloatVector.fromArray(S, bp, bq + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bq + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, bp, bq + 3 * L);
            FloatVector a = FloatVector.broadcast(S, ap[q]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            c02 = a.fma(b2, c02);
            c03 = a.fma(b3, c03);
            a = FloatVector.broadcast(S, ap[q + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            c12 = a.fma(b2, c12);
            c13 = a.fma(b3, c13);
            a = FloatVector.broadcast(S, ap[q + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            c22 = a.fma(b2, c22);
            c23 = a.fma(b3, c23);
            a = FloatVector.broadcast(S, ap[q + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            c32 = a.fma(b2, c32);
            c33 = a.fma(b3, c33);
        }
        if (accumulate) {
            c00 = c00.add(FloatVector.fromArray(S, c, co));
            c01 = c01.add(FloatVector.fromArray(S, c, co + L));
            c02 = c02.add(FloatVector.fromArray(S, c, co + 2 * L));
            c03 = c03.add(FloatVector.fromArray(S, c, co + 3 * L));
            c10 = c10.add(FloatVector.fromArray(S, c, co + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, co + ldc + L));
            c12 = c12.add(FloatVector.fromArray(S, c, co + ldc + 2 * L));
            c13 = c13.add(FloatVector.fromArray(S, c, co + ldc + 3 * L));
            c20 = c20.add(FloatVector.fromArray(S, c, co + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(S, c, co + 2 * ldc + L));
            c22 = c22.add(FloatVector.fromArray(S, c, co + 2 * ldc + 2 * L));
            c23 = c23.add(FloatVector.fromArray(S, c, co + 2 * ldc + 3 * L));
            c30 = c30.add(FloatVector.fromArray(S, c, co + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(S, c, co + 3 * ldc + L));
            c32 = c32.add(FloatVector.fromArray(S, c, co + 3 * ldc + 2 * L));
            c33 = c33.add(FloatVector.fromArray(S, c, co + 3 * ldc + 3 * L));
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + L);
        c02.intoArray(c, co + 2 * L);
        c03.intoArray(c, co + 3 * L);
        c10.intoArray(c, co + ldc);
        c11.intoArray(c, co + ldc + L);
        c12.intoArray(c, co + ldc + 2 * L);
        c13.intoArray(c, co + ldc + 3 * L);
        c20.intoArray(c, co + 2 * ldc);
        c21.intoArray(c, co + 2 * ldc + L);
        c22.intoArray(c, co + 2 * ldc + 2 * L);
        c23.intoArray(c, co + 2 * ldc + 3 * L);
        c30.intoArray(c, co + 3 * ldc);
        c31.intoArray(c, co + 3 * ldc + L);
        c32.intoArray(c, co + 3 * ldc + 2 * L);
        c33.intoArray(c, co + 3 * ldc + 3 * L);
    }

    private static void kernel4x4(int kc, float[] a, int a0, int rowStride, float[] bp,
                                     float[] c, int co, int ldc, boolean accumulate) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z, c10 = z, c11 = z, c12 = z, c13 = z;
        FloatVector c20 = z, c21 = z, c22 = z, c23 = z, c30 = z, c31 = z, c32 = z, c33 = z;
        int a1 = a0 + rowStride;
        int a2 = a1 + rowStride;
        int a3 = a2 + rowStride;
        for (int p = 0; p < kc; p++) {
            int bq = p * (4 * L);
            FloatVector b0 = FloatVector.fromArray(S, bp, bq);
            FloatVector b1 = FloatVector.fromArray(S, bp, bq + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bq + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, bp, bq + 3 * L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
            c33 = x.fma(b3, c33);
        }
        if (accumulate) {
            c00 = c00.add(FloatVector.fromArray(S, c, co));
            c01 = c01.add(FloatVector.fromArray(S, c, co + L));
            c02 = c02.add(FloatVector.fromArray(S, c, co + 2 * L));
            c03 = c03.add(FloatVector.fromArray(S, c, co + 3 * L));
            c10 = c10.add(FloatVector.fromArray(S, c, co + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, co + ldc + L));
            c12 = c12.add(FloatVector.fromArray(S, c, co + ldc + 2 * L));
            c13 = c13.add(FloatVector.fromArray(S, c, co + ldc + 3 * L));
            c20 = c20.add(FloatVector.fromArray(S, c, co + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(S, c, co + 2 * ldc + L));
            c22 = c22.add(FloatVector.fromArray(S, c, co + 2 * ldc + 2 * L));
            c23 = c23.add(FloatVector.fromArray(S, c, co + 2 * ldc + 3 * L));
            c30 = c30.add(FloatVector.fromArray(S, c, co + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(S, c, co + 3 * ldc + L));
            c32 = c32.add(FloatVector.fromArray(S, c, co + 3 * ldc + 2 * L));
            c33 = c33.add(FloatVector.fromArray(S, c, co + 3 * ldc + 3 * L));
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + L);
        c02.intoArray(c, co + 2 * L);
        c03.intoArray(c, co + 3 * L);
        c10.intoArray(c, co + ldc);
        c11.intoArray(c, co + ldc + L);
        c12.intoArray(c, co + ldc + 2 * L);
        c13.intoArray(c, co + ldc + 3 * L);
        c20.intoArray(c, co + 2 * ldc);
        c21.intoArray(c, co + 2 * ldc + L);
        c22.intoArray(c, co + 2 * ldc + 2 * L);
        c23.intoArray(c, co + 2 * ldc + 3 * L);
        c30.intoArray(c, co + 3 * ldc);
        c31.intoArray(c, co + 3 * ldc + L);
        c32.intoArray(c, co + 3 * ldc + 2 * L);
        c33.intoArray(c, co + 3 * ldc + 3 * L);
    }

    private static void kernel12x2(int kc, float[] ap, float[] bp, float[] c, int co, int ldc, boolean accumulate) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c000 = z, c001 = z, c010 = z, c011 = z, c020 = z, c021 = z, c030 = z, c031 = z;
        FloatVector c040 = z, c041 = z, c050 = z, c051 = z, c060 = z, c061 = z, c070 = z, c071 = z;
        FloatVector c080 = z, c081 = z, c090 = z, c091 = z, c100 = z, c101 = z, c110 = z, c111 = z;
        for (int p = 0, q = 0; p < kc; p++, q += 12) {
            int bq = p * (2 * L);
            FloatVector b0 = FloatVector.fromArray(S, bp, bq);
            FloatVector b1 = FloatVector.fromArray(S, bp, bq + L);
            FloatVector x = FloatVector.broadcast(S, ap[q]);
            c000 = x.fma(b0, c000);
            c001 = x.fma(b1, c001);
            x = FloatVector.broadcast(S, ap[q + 1]);
            c010 = x.fma(b0, c010);
            c011 = x.fma(b1, c011);
            x = FloatVector.broadcast(S, ap[q + 2]);
            c020 = x.fma(b0, c020);
            c021 = x.fma(b1, c021);
            x = FloatVector.broadcast(S, ap[q + 3]);
            c030 = x.fma(b0, c030);
            c031 = x.fma(b1, c031);
            x = FloatVector.broadcast(S, ap[q + 4]);
            c040 = x.fma(b0, c040);
            c041 = x.fma(b1, c041);
            x = FloatVector.broadcast(S, ap[q + 5]);
            c050 = x.fma(b0, c050);
            c051 = x.fma(b1, c051);
            x = FloatVector.broadcast(S, ap[q + 6]);
            c060 = x.fma(b0, c060);
            c061 = x.fma(b1, c061);
            x = FloatVector.broadcast(S, ap[q + 7]);
            c070 = x.fma(b0, c070);
            c071 = x.fma(b1, c071);
            x = FloatVector.broadcast(S, ap[q + 8]);
            c080 = x.fma(b0, c080);
            c081 = x.fma(b1, c081);
            x = FloatVector.broadcast(S, ap[q + 9]);
            c090 = x.fma(b0, c090);
            c091 = x.fma(b1, c091);
            x = FloatVector.broadcast(S, ap[q + 10]);
            c100 = x.fma(b0, c100);
            c101 = x.fma(b1, c101);
            x = FloatVector.broadcast(S, ap[q + 11]);
            c110 = x.fma(b0, c110);
            c111 = x.fma(b1, c111);
        }
        if (accumulate) {
            c000 = c000.add(FloatVector.fromArray(S, c, co));
            c001 = c001.add(FloatVector.fromArray(S, c, co + L));
            c010 = c010.add(FloatVector.fromArray(S, c, co + ldc));
            c011 = c011.add(FloatVector.fromArray(S, c, co + ldc + L));
            c020 = c020.add(FloatVector.fromArray(S, c, co + 2 * ldc));
            c021 = c021.add(FloatVector.fromArray(S, c, co + 2 * ldc + L));
            c030 = c030.add(FloatVector.fromArray(S, c, co + 3 * ldc));
            c031 = c031.add(FloatVector.fromArray(S, c, co + 3 * ldc + L));
            c040 = c040.add(FloatVector.fromArray(S, c, co + 4 * ldc));
            c041 = c041.add(FloatVector.fromArray(S, c, co + 4 * ldc + L));
            c050 = c050.add(FloatVector.fromArray(S, c, co + 5 * ldc));
            c051 = c051.add(FloatVector.fromArray(S, c, co + 5 * ldc + L));
            c060 = c060.add(FloatVector.fromArray(S, c, co + 6 * ldc));
            c061 = c061.add(FloatVector.fromArray(S, c, co + 6 * ldc + L));
            c070 = c070.add(FloatVector.fromArray(S, c, co + 7 * ldc));
            c071 = c071.add(FloatVector.fromArray(S, c, co + 7 * ldc + L));
            c080 = c080.add(FloatVector.fromArray(S, c, co + 8 * ldc));
            c081 = c081.add(FloatVector.fromArray(S, c, co + 8 * ldc + L));
            c090 = c090.add(FloatVector.fromArray(S, c, co + 9 * ldc));
            c091 = c091.add(FloatVector.fromArray(S, c, co + 9 * ldc + L));
            c100 = c100.add(FloatVector.fromArray(S, c, co + 10 * ldc));
            c101 = c101.add(FloatVector.fromArray(S, c, co + 10 * ldc + L));
            c110 = c110.add(FloatVector.fromArray(S, c, co + 11 * ldc));
            c111 = c111.add(FloatVector.fromArray(S, c, co + 11 * ldc + L));
        }
        c000.intoArray(c, co);
        c001.intoArray(c, co + L);
        c010.intoArray(c, co + ldc);
        c011.intoArray(c, co + ldc + L);
        c020.intoArray(c, co + 2 * ldc);
        c021.intoArray(c, co + 2 * ldc + L);
        c030.intoArray(c, co + 3 * ldc);
        c031.intoArray(c, co + 3 * ldc + L);
        c040.intoArray(c, co + 4 * ldc);
        c041.intoArray(c, co + 4 * ldc + L);
        c050.intoArray(c, co + 5 * ldc);
        c051.intoArray(c, co + 5 * ldc + L);
        c060.intoArray(c, co + 6 * ldc);
        c061.intoArray(c, co + 6 * ldc + L);
        c070.intoArray(c, co + 7 * ldc);
        c071.intoArray(c, co + 7 * ldc + L);
        c080.intoArray(c, co + 8 * ldc);
        c081.intoArray(c, co + 8 * ldc + L);
        c090.intoArray(c, co + 9 * ldc);
        c091.intoArray(c, co + 9 * ldc + L);
        c100.intoArray(c, co + 10 * ldc);
        c101.intoArray(c, co + 10 * ldc + L);
        c110.intoArray(c, co + 11 * ldc);
        c111.intoArray(c, co + 11 * ldc + L);
    }

    private static void kernel6x4(int kc, float[] ap, float[] bp, float[] c, int co, int ldc, boolean accumulate) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z, c10 = z, c11 = z, c12 = z, c13 = z;
        FloatVector c20 = z, c21 = z, c22 = z, c23 = z, c30 = z, c31 = z, c32 = z, c33 = z;
        FloatVector c40 = z, c41 = z, c42 = z, c43 = z, c50 = z, c51 = z, c52 = z, c53 = z;
        for (int p = 0, q = 0; p < kc; p++, q += 6) {
            int bq = p * (4 * L);
            FloatVector b0 = FloatVector.fromArray(S, bp, bq);
            FloatVector b1 = FloatVector.fromArray(S, bp, bq + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bq + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, bp, bq + 3 * L);
            FloatVector x = FloatVector.broadcast(S, ap[q]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(S, ap[q + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(S, ap[q + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(S, ap[q + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
            c33 = x.fma(b3, c33);
            x = FloatVector.broadcast(S, ap[q + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            c42 = x.fma(b2, c42);
            c43 = x.fma(b3, c43);
            x = FloatVector.broadcast(S, ap[q + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            c52 = x.fma(b2, c52);
            c53 = x.fma(b3, c53);
        }
        if (accumulate) {
            c00 = c00.add(FloatVector.fromArray(S, c, co));
            c01 = c01.add(FloatVector.fromArray(S, c, co + L));
            c02 = c02.add(FloatVector.fromArray(S, c, co + 2 * L));
            c03 = c03.add(FloatVector.fromArray(S, c, co + 3 * L));
            c10 = c10.add(FloatVector.fromArray(S, c, co + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, co + ldc + L));
            c12 = c12.add(FloatVector.fromArray(S, c, co + ldc + 2 * L));
            c13 = c13.add(FloatVector.fromArray(S, c, co + ldc + 3 * L));
            c20 = c20.add(FloatVector.fromArray(S, c, co + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(S, c, co + 2 * ldc + L));
            c22 = c22.add(FloatVector.fromArray(S, c, co + 2 * ldc + 2 * L));
            c23 = c23.add(FloatVector.fromArray(S, c, co + 2 * ldc + 3 * L));
            c30 = c30.add(FloatVector.fromArray(S, c, co + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(S, c, co + 3 * ldc + L));
            c32 = c32.add(FloatVector.fromArray(S, c, co + 3 * ldc + 2 * L));
            c33 = c33.add(FloatVector.fromArray(S, c, co + 3 * ldc + 3 * L));
            c40 = c40.add(FloatVector.fromArray(S, c, co + 4 * ldc));
            c41 = c41.add(FloatVector.fromArray(S, c, co + 4 * ldc + L));
            c42 = c42.add(FloatVector.fromArray(S, c, co + 4 * ldc + 2 * L));
            c43 = c43.add(FloatVector.fromArray(S, c, co + 4 * ldc + 3 * L));
            c50 = c50.add(FloatVector.fromArray(S, c, co + 5 * ldc));
            c51 = c51.add(FloatVector.fromArray(S, c, co + 5 * ldc + L));
            c52 = c52.add(FloatVector.fromArray(S, c, co + 5 * ldc + 2 * L));
            c53 = c53.add(FloatVector.fromArray(S, c, co + 5 * ldc + 3 * L));
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + L);
        c02.intoArray(c, co + 2 * L);
        c03.intoArray(c, co + 3 * L);
        c10.intoArray(c, co + ldc);
        c11.intoArray(c, co + ldc + L);
        c12.intoArray(c, co + ldc + 2 * L);
        c13.intoArray(c, co + ldc + 3 * L);
        c20.intoArray(c, co + 2 * ldc);
        c21.intoArray(c, co + 2 * ldc + L);
        c22.intoArray(c, co + 2 * ldc + 2 * L);
        c23.intoArray(c, co + 2 * ldc + 3 * L);
        c30.intoArray(c, co + 3 * ldc);
        c31.intoArray(c, co + 3 * ldc + L);
        c32.intoArray(c, co + 3 * ldc + 2 * L);
        c33.intoArray(c, co + 3 * ldc + 3 * L);
        c40.intoArray(c, co + 4 * ldc);
        c41.intoArray(c, co + 4 * ldc + L);
        c42.intoArray(c, co + 4 * ldc + 2 * L);
        c43.intoArray(c, co + 4 * ldc + 3 * L);
        c50.intoArray(c, co + 5 * ldc);
        c51.intoArray(c, co + 5 * ldc + L);
        c52.intoArray(c, co + 5 * ldc + 2 * L);
        c53.intoArray(c, co + 5 * ldc + 3 * L);
    }

    private static void kernel6x4(int kc, float[] a, int a0, int rowStride, float[] bp,
                                     float[] c, int co, int ldc, boolean accumulate) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z, c10 = z, c11 = z, c12 = z, c13 = z;
        FloatVector c20 = z, c21 = z, c22 = z, c23 = z, c30 = z, c31 = z, c32 = z, c33 = z;
        FloatVector c40 = z, c41 = z, c42 = z, c43 = z, c50 = z, c51 = z, c52 = z, c53 = z;
        int a1 = a0 + rowStride;
        int a2 = a1 + rowStride;
        int a3 = a2 + rowStride;
        int a4 = a3 + rowStride;
        int a5 = a4 + rowStride;
        for (int p = 0; p < kc; p++) {
            int bq = p * (4 * L);
            FloatVector b0 = FloatVector.fromArray(S, bp, bq);
            FloatVector b1 = FloatVector.fromArray(S, bp, bq + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bq + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, bp, bq + 3 * L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
            c33 = x.fma(b3, c33);
            x = FloatVector.broadcast(S, a[a4 + p]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            c42 = x.fma(b2, c42);
            c43 = x.fma(b3, c43);
            x = FloatVector.broadcast(S, a[a5 + p]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            c52 = x.fma(b2, c52);
            c53 = x.fma(b3, c53);
        }
        if (accumulate) {
            c00 = c00.add(FloatVector.fromArray(S, c, co));
            c01 = c01.add(FloatVector.fromArray(S, c, co + L));
            c02 = c02.add(FloatVector.fromArray(S, c, co + 2 * L));
            c03 = c03.add(FloatVector.fromArray(S, c, co + 3 * L));
            c10 = c10.add(FloatVector.fromArray(S, c, co + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, co + ldc + L));
            c12 = c12.add(FloatVector.fromArray(S, c, co + ldc + 2 * L));
            c13 = c13.add(FloatVector.fromArray(S, c, co + ldc + 3 * L));
            c20 = c20.add(FloatVector.fromArray(S, c, co + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(S, c, co + 2 * ldc + L));
            c22 = c22.add(FloatVector.fromArray(S, c, co + 2 * ldc + 2 * L));
            c23 = c23.add(FloatVector.fromArray(S, c, co + 2 * ldc + 3 * L));
            c30 = c30.add(FloatVector.fromArray(S, c, co + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(S, c, co + 3 * ldc + L));
            c32 = c32.add(FloatVector.fromArray(S, c, co + 3 * ldc + 2 * L));
            c33 = c33.add(FloatVector.fromArray(S, c, co + 3 * ldc + 3 * L));
            c40 = c40.add(FloatVector.fromArray(S, c, co + 4 * ldc));
            c41 = c41.add(FloatVector.fromArray(S, c, co + 4 * ldc + L));
            c42 = c42.add(FloatVector.fromArray(S, c, co + 4 * ldc + 2 * L));
            c43 = c43.add(FloatVector.fromArray(S, c, co + 4 * ldc + 3 * L));
            c50 = c50.add(FloatVector.fromArray(S, c, co + 5 * ldc));
            c51 = c51.add(FloatVector.fromArray(S, c, co + 5 * ldc + L));
            c52 = c52.add(FloatVector.fromArray(S, c, co + 5 * ldc + 2 * L));
            c53 = c53.add(FloatVector.fromArray(S, c, co + 5 * ldc + 3 * L));
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + L);
        c02.intoArray(c, co + 2 * L);
        c03.intoArray(c, co + 3 * L);
        c10.intoArray(c, co + ldc);
        c11.intoArray(c, co + ldc + L);
        c12.intoArray(c, co + ldc + 2 * L);
        c13.intoArray(c, co + ldc + 3 * L);
        c20.intoArray(c, co + 2 * ldc);
        c21.intoArray(c, co + 2 * ldc + L);
        c22.intoArray(c, co + 2 * ldc + 2 * L);
        c23.intoArray(c, co + 2 * ldc + 3 * L);
        c30.intoArray(c, co + 3 * ldc);
        c31.intoArray(c, co + 3 * ldc + L);
        c32.intoArray(c, co + 3 * ldc + 2 * L);
        c33.intoArray(c, co + 3 * ldc + 3 * L);
        c40.intoArray(c, co + 4 * ldc);
        c41.intoArray(c, co + 4 * ldc + L);
        c42.intoArray(c, co + 4 * ldc + 2 * L);
        c43.intoArray(c, co + 4 * ldc + 3 * L);
        c50.intoArray(c, co + 5 * ldc);
        c51.intoArray(c, co + 5 * ldc + L);
        c52.intoArray(c, co + 5 * ldc + 2 * L);
        c53.intoArray(c, co + 5 * ldc + 3 * L);
    }

    private static void kernel3x3(int kc, float[] ap, float[] bp, float[] c, int co, int ldc, boolean accumulate) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c10 = z, c11 = z, c12 = z, c20 = z, c21 = z;
        FloatVector c22 = z;
        for (int p = 0, q = 0; p < kc; p++, q += 3) {
            int bq = p * (3 * L);
            FloatVector b0 = FloatVector.fromArray(S, bp, bq);
            FloatVector b1 = FloatVector.fromArray(S, bp, bq + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bq + 2 * L);
            FloatVector x = FloatVector.broadcast(S, ap[q]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            x = FloatVector.broadcast(S, ap[q + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            x = FloatVector.broadcast(S, ap[q + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
        }
        if (accumulate) {
            c00 = c00.add(FloatVector.fromArray(S, c, co));
            c01 = c01.add(FloatVector.fromArray(S, c, co + L));
            c02 = c02.add(FloatVector.fromArray(S, c, co + 2 * L));
            c10 = c10.add(FloatVector.fromArray(S, c, co + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, co + ldc + L));
            c12 = c12.add(FloatVector.fromArray(S, c, co + ldc + 2 * L));
            c20 = c20.add(FloatVector.fromArray(S, c, co + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(S, c, co + 2 * ldc + L));
            c22 = c22.add(FloatVector.fromArray(S, c, co + 2 * ldc + 2 * L));
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + L);
        c02.intoArray(c, co + 2 * L);
        c10.intoArray(c, co + ldc);
        c11.intoArray(c, co + ldc + L);
        c12.intoArray(c, co + ldc + 2 * L);
        c20.intoArray(c, co + 2 * ldc);
        c21.intoArray(c, co + 2 * ldc + L);
        c22.intoArray(c, co + 2 * ldc + 2 * L);
    }

    private static void kernel3x3(int kc, float[] a, int a0, int rowStride, float[] bp,
                                     float[] c, int co, int ldc, boolean accumulate) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c10 = z, c11 = z, c12 = z, c20 = z, c21 = z;
        FloatVector c22 = z;
        int a1 = a0 + rowStride;
        int a2 = a1 + rowStride;
        for (int p = 0; p < kc; p++) {
            int bq = p * (3 * L);
            FloatVector b0 = FloatVector.fromArray(S, bp, bq);
            FloatVector b1 = FloatVector.fromArray(S, bp, bq + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bq + 2 * L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
        }
        if (accumulate) {
            c00 = c00.add(FloatVector.fromArray(S, c, co));
            c01 = c01.add(FloatVector.fromArray(S, c, co + L));
            c02 = c02.add(FloatVector.fromArray(S, c, co + 2 * L));
            c10 = c10.add(FloatVector.fromArray(S, c, co + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, co + ldc + L));
            c12 = c12.add(FloatVector.fromArray(S, c, co + ldc + 2 * L));
            c20 = c20.add(FloatVector.fromArray(S, c, co + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(S, c, co + 2 * ldc + L));
            c22 = c22.add(FloatVector.fromArray(S, c, co + 2 * ldc + 2 * L));
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + L);
        c02.intoArray(c, co + 2 * L);
        c10.intoArray(c, co + ldc);
        c11.intoArray(c, co + ldc + L);
        c12.intoArray(c, co + ldc + 2 * L);
        c20.intoArray(c, co + 2 * ldc);
        c21.intoArray(c, co + 2 * ldc + L);
        c22.intoArray(c, co + 2 * ldc + 2 * L);
    }
}
