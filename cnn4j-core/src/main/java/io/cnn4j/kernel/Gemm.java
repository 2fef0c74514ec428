package io.cnn4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * Single-precision matrix multiply {@code C = beta*C + op(A) op(B)} in the style of GotoBLAS/BLIS:
 * B is packed into panels of {@link #NR} columns and A into strips of {@link #MR} rows, each block
 * sized to stay in L2 (MC x KC of A and a KC x NR panel), and a register-tiled micro-kernel
 * multiplies a strip by a panel with vector FMAs. Transposed operands are read in the packing step,
 * so backward passes never materialise a transpose.
 *
 * <p>The micro-kernel is 3 rows by 3 vectors: on AVX2 (16 registers) that is 9 accumulators, three B
 * vectors and one broadcast, which C2 keeps in registers (a 4 x 3 or 6 x 2 tile makes it spill, and
 * runs at 40 GFLOP/s). Alone in L1 it is as fast as the 4 x 2 tile (97 GFLOP/s per core), but this
 * host's slow spells, when something else shares the core, cost it 20% where they cost the 4 x 2 tile
 * 45% (75-80 against 52-55 GFLOP/s, alternated call by call with OpenBLAS, which then makes 75).
 * Each strip and panel is an array of its own, starting at index 0, so that the micro-kernel's
 * indexes are plain multiples of its loop counter: C2 then spends one instruction a step on them.
 * A block over k of 1024 leaves the 96 KB panel in L2, not L1, but spares the passes over C (whose
 * tiles come from far down the memory hierarchy) that smaller blocks need: one pass where 256 made
 * four, 0.90 of OpenBLAS against 0.83, and 1.01-1.03 times the speed of blocks of 512.
 *
 * <p>Every element of C is summed over k in the same order whatever the blocking over m and n, so
 * splitting rows or columns across threads gives bitwise the same result.
 */
final class Gemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    static final int MR = 3;
    static final int NR = 3 * L;
    private static final int KC = 1024;
    private static final int MC = 22 * MR;
    private static final int NC = 43 * NR;
    /** Below this many multiply-adds a call is not worth waking other threads for. */
    private static final long PARALLEL_MIN_MACS = 1L << 18;

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private Gemm() {
    }

    /** Packing space of one thread, allocated once. */
    private static final class Buffers {
        final float[][] packedA = new float[MC / MR][MR * KC];
        /** Panels allocated as a multiply first needs them: all of them take 4 MB. */
        final float[][] packedB = new float[NC / NR][];
        final float[] tile = new float[MR * NR];
    }

    /**
     * The multiply on {@code parallel}'s threads. With enough rows, they share each packed block of B and
     * claim blocks of {@link #MC} rows of C one at a time, so a thread that the host slows down takes
     * fewer; otherwise each takes a share of C's columns.
     */
    static void multiply(Parallel parallel, boolean transA, boolean transB, int m, int n, int k,
                         float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                         float beta, float[] c, int cOff, int ldc) {
        int threads = parallel == null ? 1 : parallel.threads();
        if (threads == 1 || (long) m * n * k < PARALLEL_MIN_MACS) {
            blocked(null, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        } else if (Math.ceilDiv(m, MC) >= threads) {
            blocked(parallel, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        } else {
            int cols = roundUp(Math.ceilDiv(n, threads), NR);
            int tasks = Math.ceilDiv(n, cols);
            parallel.forEach(tasks, t -> {
                int j0 = t * cols;
                int nj = Math.min(cols, n - j0);
                int bStart = transB ? bOff + j0 * ldb : bOff + j0;
                blocked(null, transA, transB, m, nj, k, a, aOff, lda, b, bStart, ldb, beta, c, cOff + j0, ldc);
            });
        }
    }

    private static int roundUp(int x, int multiple) {
        return Math.ceilDiv(x, multiple) * multiple;
    }

    /** The multiply on the calling thread; arguments as {@link Kernels#gemm}. */
    static void multiply(boolean transA, boolean transB, int m, int n, int k,
                         float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                         float beta, float[] c, int cOff, int ldc) {
        blocked(null, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * The blocked multiply; with {@code parallel}, B's block is packed into the calling thread's panels by
     * all threads, then each block of rows is packed and multiplied by whichever thread claims it. Every
     * element of C is summed over k in the same order either way.
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
        float[][] panels = BUFFERS.get().packedB;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                int panelCount = Math.ceilDiv(nc, NR);
                int blocks = Math.ceilDiv(m, MC);
                boolean first = store && pc == 0;
                // Plain loops on one thread: the lambdas below would allocate on every call, and the
                // convolutions make thousands of small single-threaded calls a step.
                if (parallel == null) {
                    for (int q = 0; q < panelCount; q++) {
                        packB(transB, b, bOff, ldb, pc, jc, kc, nc, panels, q);
                    }
                    for (int block = 0; block < blocks; block++) {
                        rowBlock(block, transA, m, a, aOff, lda, pc, kc, panels, nc, c, cOff + jc, ldc, first);
                    }
                } else {
                    int k0 = pc;
                    int col0 = jc;
                    parallel.forEach(panelCount, q -> packB(transB, b, bOff, ldb, k0, col0, kc, nc, panels, q));
                    parallel.forEach(blocks, block ->
                            rowBlock(block, transA, m, a, aOff, lda, k0, kc, panels, nc, c, cOff + col0, ldc, first));
                }
            }
        }
    }

    /** Block {@code block} of MC rows of C: packs its rows of A on the calling thread and multiplies them by the panels. */
    private static void rowBlock(int block, boolean transA, int m, float[] a, int aOff, int lda, int pc, int kc,
                                 float[][] panels, int nc, float[] c, int cOff, int ldc, boolean store) {
        Buffers own = BUFFERS.get();
        int ic = block * MC;
        int mc = Math.min(MC, m - ic);
        packA(transA, a, aOff, lda, ic, pc, mc, kc, own.packedA);
        macroKernel(own, panels, mc, nc, kc, c, cOff + ic * ldc, ldc, store);
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

    /** Packs op(A)[ic:ic+mc, pc:pc+kc] as strips of MR rows, each stored k-major, zero-padded. */
    private static void packA(boolean transA, float[] a, int aOff, int lda, int ic, int pc, int mc, int kc, float[][] strips) {
        for (int i0 = 0; i0 < mc; i0 += MR) {
            float[] dst = strips[i0 / MR];
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
            } else if (rows == MR) {
                int s0 = aOff + (ic + i0) * lda + pc;
                int s1 = s0 + lda;
                int s2 = s1 + lda;
                for (int p = 0; p < kc; p++) {
                    dst[p * MR] = a[s0 + p];
                    dst[p * MR + 1] = a[s1 + p];
                    dst[p * MR + 2] = a[s2 + p];
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
            }
        } else {
            for (int p = 0; p < kc; p++) {
                int src = bOff + (pc + p) * ldb + j0;
                System.arraycopy(b, src, dst, p * NR, cols);
                Arrays.fill(dst, p * NR + cols, (p + 1) * NR, 0f);
            }
        }
    }

    /** C's block plus (or, with {@code store}, set to) the packed A block times the packed B block. */
    private static void macroKernel(Buffers buf, float[][] panels, int mc, int nc, int kc, float[] c, int cOff, int ldc,
                                    boolean store) {
        for (int j0 = 0; j0 < nc; j0 += NR) {
            int cols = Math.min(NR, nc - j0);
            for (int i0 = 0; i0 < mc; i0 += MR) {
                int rows = Math.min(MR, mc - i0);
                int cIdx = cOff + i0 * ldc + j0;
                if (rows == MR && cols == NR) {
                    microKernel(kc, buf.packedA[i0 / MR], panels[j0 / NR], c, cIdx, ldc, !store);
                } else {
                    float[] tile = buf.tile;
                    microKernel(kc, buf.packedA[i0 / MR], panels[j0 / NR], tile, 0, NR, false);
                    for (int r = 0; r < rows; r++) {
                        for (int j = 0; j < cols; j++) {
                            c[cIdx + r * ldc + j] = store ? tile[r * NR + j] : c[cIdx + r * ldc + j] + tile[r * NR + j];
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
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c10 = z, c11 = z, c12 = z, c20 = z, c21 = z, c22 = z;
        for (int q = 0; q < kc * MR; q += MR) {
            int bq = q * (NR / MR);
            FloatVector b0 = FloatVector.fromArray(S, bp, bq);
            FloatVector b1 = FloatVector.fromArray(S, bp, bq + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bq + 2 * L);
            FloatVector a = FloatVector.broadcast(S, ap[q]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            c02 = a.fma(b2, c02);
            a = FloatVector.broadcast(S, ap[q + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            c12 = a.fma(b2, c12);
            a = FloatVector.broadcast(S, ap[q + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            c22 = a.fma(b2, c22);
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
