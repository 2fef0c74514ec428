package io.cnn4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * Single-precision matrix multiply {@code C = beta*C + op(A) op(B)} in the style of GotoBLAS/BLIS:
 * B is packed into panels of {@link #NR} columns and A into strips of {@link #MR} rows, and a
 * register-tiled micro-kernel multiplies a strip by a panel with vector FMAs. Transposed operands are
 * read in the packing step, so backward passes never materialise a transpose.
 *
 * <p>The micro-kernel's tile is as many rows by 4 vectors as the registers hold: 2 rows on AVX2 (16
 * registers: 8 accumulators, four B vectors and one broadcast), 4 rows with AVX-512 (32 registers, 16
 * accumulators), where the panel's four vectors a step come from L2 and more rows halve that traffic per
 * FMA. Four vectors wide, a tile covers the convolutions' sides of 64 and 128 without edge tiles.
 * Each element is summed over k in the same order whatever the tile height, so results are bitwise the same
 * on both. Each strip and panel is an array of its own, starting at index 0, so that the micro-kernel's
 * indexes are plain multiples of its loop counter: C2 then spends one instruction a step on them.
 * A block over k of {@link #KC} leaves the panel in L2, not L1, but spares the passes over C (whose tiles
 * come from far down the memory hierarchy) that smaller blocks need: a multiply with k up to KC writes each
 * tile of C once. Blocks of {@link #MC} rows of A read the packed block of B from L3 rarely (a panel's first
 * use runs at L3's pace).
 *
 * <p>Where A is stored row by row (not transposed), its strips are not packed: the micro-kernel reads its
 * {@link #MR} rows in place, plain streams that the prefetchers follow, which spares a copy of A per block of B
 * (a large share of the convolutions' weight gradients, whose A is the output gradient).
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
    static final int MR = L >= 16 ? 4 : 2;
    static final int NR = 4 * L;
    private static final int KC = 1024;
    /**
     * Rows of A packed at a time: 1 MB, in L3, which every panel of B (in L2) meets in turn. A whole number
     * of strips for both tile heights.
     */
    private static final int MC = 264;
    private static final int NC = 32 * NR;
    /** Below this many multiply-adds a call is not worth waking other threads for. */
    private static final long PARALLEL_MIN_MACS = 1L << 18;

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private Gemm() {
    }

    /** Packing space of one thread, allocated once. */
    private static final class Buffers {
        /**
         * Strips and panels are allocated as a multiply first needs them: all of them take 1 MB, and 4 MB (8
         * lanes) or 8 MB (16 lanes).
         */
        final float[][] packedA = new float[MC / MR][];
        final float[][] packedB = new float[NC / NR][];
        final float[] tile = new float[MR * NR];
    }

    /**
     * The multiply on {@code parallel}'s threads: they pack B's block and A's rows together, then each
     * claims panels (or, where there are too few, ranges of strips) one at a time, so a thread that the
     * host slows down takes fewer.
     */
    static void multiply(Parallel parallel, boolean transA, boolean transB, int m, int n, int k,
                         float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                         float beta, float[] c, int cOff, int ldc) {
        boolean alone = parallel == null || parallel.threads() == 1 || (long) m * n * k < PARALLEL_MIN_MACS;
        blocked(alone ? null : parallel, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** The multiply on the calling thread; arguments as {@link Kernels#gemm}. */
    static void multiply(boolean transA, boolean transB, int m, int n, int k,
                         float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                         float beta, float[] c, int cOff, int ldc) {
        blocked(null, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * The blocked multiply. For each block of B, packed into panels, and each block of {@link #MC} rows
     * of A, packed into strips, every panel meets all the strips in turn: its {@link #NR} floats a step come
     * from L2 and the strips' {@link #MR} from L3. Every element of C is summed over k in the same order however the
     * work is split.
     */
    private static void blocked(Parallel parallel, boolean transA, boolean transB, int m, int n, int k,
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
        Buffers own = BUFFERS.get();
        float[][] panels = own.packedB;
        float[][] strips = own.packedA;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            int panelCount = Math.ceilDiv(nc, NR);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean first = store && pc == 0;
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    int stripCount = Math.ceilDiv(mc, MR);
                    int cBlock = cOff + ic * ldc + jc;
                    // Whole strips of an A stored row by row are read in place, two plain streams: only a
                    // transposed A, and the rows left over at its edge, are packed.
                    float[] inPlace = transA ? null : a;
                    int aBlock = aOff + ic * lda + pc;
                    int packedFrom = transA ? 0 : mc / MR;
                    // Plain loops on one thread: the lambdas below would allocate on every call, and the
                    // convolutions make thousands of small single-threaded calls a step.
                    if (parallel == null) {
                        if (ic == 0) {
                            for (int q = 0; q < panelCount; q++) {
                                packB(transB, b, bOff, ldb, pc, jc, kc, nc, panels, q);
                            }
                        }
                        for (int s = packedFrom; s < stripCount; s++) {
                            packA(transA, a, aOff, lda, ic, pc, mc, kc, strips, s);
                        }
                        multiplyBlock(inPlace, aBlock, lda, strips, 0, stripCount, panels, 0, panelCount,
                                mc, nc, kc, c, cBlock, ldc, first);
                        continue;
                    }
                    int i0 = ic;
                    int k0 = pc;
                    int col0 = jc;
                    if (ic == 0) {
                        parallel.forEach(panelCount, q -> packB(transB, b, bOff, ldb, k0, col0, kc, nc, panels, q));
                    }
                    parallel.forEach(stripCount - packedFrom,
                            s -> packA(transA, a, aOff, lda, i0, k0, mc, kc, strips, packedFrom + s));
                    if (panelCount >= parallel.threads()) {
                        parallel.forEach(panelCount, q -> multiplyBlock(inPlace, aBlock, lda, strips, 0, stripCount,
                                panels, q, q + 1, mc, nc, kc, c, cBlock, ldc, first));
                    } else {
                        int range = Math.ceilDiv(stripCount, parallel.threads());
                        parallel.forEach(Math.ceilDiv(stripCount, range), r -> multiplyBlock(inPlace, aBlock, lda, strips,
                                r * range, Math.min(stripCount, (r + 1) * range), panels, 0, panelCount,
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

    /** Packs strip {@code s} of op(A)[ic:ic+mc, pc:pc+kc]: MR rows, stored k-major, zero-padded. */
    private static void packA(boolean transA, float[] a, int aOff, int lda, int ic, int pc, int mc, int kc,
                              float[][] strips, int s) {
        if (strips[s] == null) {
            strips[s] = new float[MR * KC];
        }
        float[] dst = strips[s];
        int i0 = s * MR;
        int rows = Math.min(MR, mc - i0);
        if (transA) {
            for (int p = 0; p < kc; p++) {
                int src = aOff + (pc + p) * lda + ic + i0;
                int d = p * MR;
                for (int r = 0; r < rows; r++) {
                    dst[d + r] = a[src + r];
                }
                for (int r = rows; r < MR; r++) {
                    dst[d + r] = 0f;
                }
            }
        } else {
            for (int r = 0; r < MR; r++) {
                if (r < rows) {
                    int src = aOff + (ic + i0 + r) * lda + pc;
                    for (int p = 0; p < kc; p++) {
                        dst[p * MR + r] = a[src + p];
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        dst[p * MR + r] = 0f;
                    }
                }
            }
        }
    }

    /** Packs panel {@code q} of op(B)[pc:pc+kc, jc:jc+nc]: NR columns, stored k-major, zero-padded. */
    private static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int jc, int kc, int nc,
                              float[][] panels, int q) {
        if (panels[q] == null) {
            panels[q] = new float[NR * KC];
        }
        float[] dst = panels[q];
        int j0 = jc + q * NR;
        int cols = Math.min(NR, nc - q * NR);
        if (transB) {
            for (int jj = 0; jj < NR; jj++) {
                if (jj < cols) {
                    int src = bOff + (j0 + jj) * ldb + pc;
                    for (int p = 0; p < kc; p++) {
                        dst[p * NR + jj] = b[src + p];
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        dst[p * NR + jj] = 0f;
                    }
                }
            }
        } else if (cols == NR) {
            for (int p = 0; p < kc; p++) {
                int src = bOff + (pc + p) * ldb + j0;
                FloatVector.fromArray(S, b, src).intoArray(dst, p * NR);
                FloatVector.fromArray(S, b, src + L).intoArray(dst, p * NR + L);
                FloatVector.fromArray(S, b, src + 2 * L).intoArray(dst, p * NR + 2 * L);
                FloatVector.fromArray(S, b, src + 3 * L).intoArray(dst, p * NR + 3 * L);
            }
        } else {
            for (int p = 0; p < kc; p++) {
                int src = bOff + (pc + p) * ldb + j0;
                System.arraycopy(b, src, dst, p * NR, cols);
                Arrays.fill(dst, p * NR + cols, (p + 1) * NR, 0f);
            }
        }
    }

    /**
     * C's tiles for strips {@code [s0, s1)} and panels {@code [q0, q1)} plus (or, with {@code store}, set to)
     * their products. With {@code a} not null, whole strips are A's rows read in place from {@code aBlock}.
     */
    private static void multiplyBlock(float[] a, int aBlock, int lda, float[][] strips, int s0, int s1,
                                      float[][] panels, int q0, int q1, int mc, int nc, int kc,
                                      float[] c, int cOff, int ldc, boolean store) {
        for (int q = q0; q < q1; q++) {
            int cols = Math.min(NR, nc - q * NR);
            for (int s = s0; s < s1; s++) {
                int rows = Math.min(MR, mc - s * MR);
                int cIdx = cOff + s * MR * ldc + q * NR;
                boolean inPlace = a != null && rows == MR;
                int a0 = aBlock + s * MR * lda;
                if (rows == MR && cols == NR) {
                    if (inPlace) {
                        inPlaceKernel(kc, a, a0, lda, panels[q], c, cIdx, ldc, !store);
                    } else {
                        microKernel(kc, strips[s], panels[q], c, cIdx, ldc, !store);
                    }
                } else {
                    // A tile cut by C's edge: the micro-kernel writes a scratch tile, and the part inside C is copied.
                    float[] tile = BUFFERS.get().tile;
                    if (inPlace) {
                        inPlaceKernel(kc, a, a0, lda, panels[q], tile, 0, NR, false);
                    } else {
                        microKernel(kc, strips[s], panels[q], tile, 0, NR, false);
                    }
                    for (int r = 0; r < rows; r++) {
                        for (int j = 0; j < cols; j++) {
                            int at = cIdx + r * ldc + j;
                            c[at] = store ? tile[r * NR + j] : c[at] + tile[r * NR + j];
                        }
                    }
                }
            }
        }
    }

    /**
     * {@code C[MR x NR] += A-strip * B-panel} over {@code kc}, accumulating in registers; with {@code
     * accumulate} false, {@code C = A-strip * B-panel}, whatever C held.
     */
    static void microKernel(int kc, float[] ap, float[] bp, float[] c, int co, int ldc, boolean accumulate) {
        if (MR == 4) {
            microKernel4(kc, ap, bp, c, co, ldc, accumulate);
        } else {
            microKernel2(kc, ap, bp, c, co, ldc, accumulate);
        }
    }

    /**
     * The micro-kernel on {@link #MR} rows of an A stored row by row, read in place: from {@code a0}, {@code
     * a0 + rowStride} and so on.
     */
    private static void inPlaceKernel(int kc, float[] a, int a0, int rowStride, float[] bp,
                                      float[] c, int co, int ldc, boolean accumulate) {
        if (MR == 4) {
            microKernel4(kc, a, a0, rowStride, bp, c, co, ldc, accumulate);
        } else {
            microKernel2(kc, a, a0, rowStride, bp, c, co, ldc, accumulate);
        }
    }

    private static void microKernel2(int kc, float[] ap, float[] bp, float[] c, int co, int ldc, boolean accumulate) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z, c10 = z, c11 = z, c12 = z, c13 = z;
        for (int q = 0; q < kc * MR; q += MR) {
            int bq = q * (NR / MR);
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
     * The 2-row micro-kernel on an A read in place ({@link #inPlaceKernel}). A twin of the packed one (as the
     * 4-row kernels are twins), because each way of making them one costs more than it saves: a stride per
     * step ({@code a[a0 + p * step]}) costs an instruction in the inner loop; packed strips laid out row after
     * row slow Winograd's products, which read them; and an epilogue shared through a method that takes the
     * accumulators boxes them whenever C2 compiles the call without inlining it.
     */
    private static void microKernel2(int kc, float[] a, int a0, int rowStride, float[] bp,
                                     float[] c, int co, int ldc, boolean accumulate) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z, c10 = z, c11 = z, c12 = z, c13 = z;
        int a1 = a0 + rowStride;
        for (int p = 0; p < kc; p++) {
            int bq = p * NR;
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

    private static void microKernel4(int kc, float[] ap, float[] bp, float[] c, int co, int ldc, boolean accumulate) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z, c10 = z, c11 = z, c12 = z, c13 = z;
        FloatVector c20 = z, c21 = z, c22 = z, c23 = z, c30 = z, c31 = z, c32 = z, c33 = z;
        for (int q = 0; q < kc * MR; q += MR) {
            int bq = q * (NR / MR);
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

    private static void microKernel4(int kc, float[] a, int a0, int rowStride, float[] bp,
                                     float[] c, int co, int ldc, boolean accumulate) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z, c10 = z, c11 = z, c12 = z, c13 = z;
        FloatVector c20 = z, c21 = z, c22 = z, c23 = z, c30 = z, c31 = z, c32 = z, c33 = z;
        int a1 = a0 + rowStride;
        int a2 = a1 + rowStride;
        int a3 = a2 + rowStride;
        for (int p = 0; p < kc; p++) {
            int bq = p * NR;
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
}
