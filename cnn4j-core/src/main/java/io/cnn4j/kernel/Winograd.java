package io.cnn4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * 3x3 stride-1 convolution by Winograd's minimal filtering F(2x2, 3x3) (Lavin and Gray, 2015): each 2x2
 * block of outputs, a tile, comes from a 4x4 input patch, and a pair of channels costs 16 multiplies
 * per tile instead of 36. Input patches and weights are each turned into 16 matrices, one per point
 * of the 4x4 transform; the 16 products over input channels run on {@link Gemm}'s micro-kernel, reading
 * the transformed inputs where the transform wrote them; each tile's 16 sums are turned back into its
 * 2x2 outputs.
 *
 * <p>Vectors over tiles without a gather: each padded image is split by row and column parity into four
 * planes, so value {@code (i, j)} of tile {@code (th, tw)}'s patch is plane {@code (i%2, j%2)} at place
 * {@code (th + i/2, tw + j/2)}. A place holds that value for each of a task's images, side by side, so a
 * row of tiles over all of them is one run of floats in every plane: a vector's lanes are full even where
 * a row of one image has 4 tiles (7x7). Tiles are numbered by place, row by row, and by image within it,
 * with nothing between rows, so the products waste no work on the ragged edges of small feature maps (7x7
 * has 16 tiles to a plane of 25 places).
 *
 * <p>Batches of feature maps where it saves multiplies take F(4x4, 3x3) instead ({@link WinogradF4},
 * {@link #tileSize}) for the forward pass and the input gradient: 6x6 patches, 36 products, 4x4 outputs a
 * tile, the planes split by row and column modulo 4. The weight gradient takes either tile, as measured against
 * each other and the direct path; in 4x4 tiles ({@link #backwardWeightF4}) it keeps no partial sums per task
 * (128 channels at 7x7, batch 128: 7.3-8.0 against 8.9-9.6 ms in 2x2 tiles on an Intel Xeon, 2 threads).
 *
 * <p>Numerics: the transforms add, subtract and halve, so a result differs from the direct sum by
 * float32 reassociation; each tile's sums run over input channels in one order whatever the thread
 * count, so results do not depend on it.
 */
final class Winograd {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Points of the 4x4 transform: one matrix product each. */
    private static final int POINTS = 16;
    /** Tiles a task aims at, filling the GEMM's panels when feature maps are small. */
    private static final int TASK_TILES = 256;
    /**
     * Tiles transformed, multiplied and turned back at a time: one panel of the GEMM, so the transformed
     * inputs are its packed B operand as they are written, an input channel's tiles to a row.
     */
    private static final int CHUNK = Gemm.NR;

    /**
     * Floats from one output channel's products to the next, for a transform of {@code points} points: a
     * line more than its points' rows, so that the rows of a register tile, stored together, do not all
     * fall in one L1 cache set.
     */
    private static int productStride(int points) {
        return points * CHUNK + Gemm.NR;
    }

    /** Images per task of the weight gradient, fixed so that its sums do not depend on the thread count. */
    private static final int GRADIENT_IMAGES = 16;
    /** Tiles per product of the weight gradient: the inner dimension of its GEMMs. */
    private static final int GRADIENT_TILES = 256;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private Winograd() {
    }

    /** Per-thread working arrays, grown on demand and kept for the next call. */
    private static final class Scratch {
        float[][] weights = new float[0][];
        float[] planes = new float[0];
        float[] gradientPlanes = new float[0];
        float[][] inputs = new float[0][];
        float[] products = new float[0];
        float[] outputs = new float[0];
        /** A larger tile's input transform between its two steps: six columns of six vectors. */
        final float[][] inputSteps = new float[6][6 * L];
        /** Its output transform between its two steps: six rows of four vectors. */
        final float[] outputSteps = new float[24 * L];
        /** Its weight transform's taps and its intermediate {@code G g} ({@link WinogradF4#WEIGHT_STEPS}). */
        final float[] weightSteps = new float[WinogradF4.WEIGHT_STEPS];
        /** {@link Layout#rowRuns} of a chunk: a chunk has at most one run per tile. */
        final int[] runs = new int[3 * Math.max(CHUNK, GRADIENT_TILES)];
        /** {@link #rowOfTiles} maps kept for the next chunk: one for whole rows of tiles, one for the last row. */
        final int[][] rowMaps = new int[2][];
        final long[] rowMapKeys = {-1, -1};
        /** {@link RowBlocks} kept for the next split, and which of the two to replace next. */
        final RowBlocks[] rowBlocks = new RowBlocks[2];
        int nextRowBlocks;
        /**
         * {@link GatherMap#of} an image's size, kept for the next split: the weight gradient splits one channel a
         * call, hundreds of calls a pass, by turns from inputs and output gradients of different image sizes.
         */
        final int[][] imageMaps = new int[2][];
        final int[] imageMapSteps = {-1, -1};
        int nextImageMap;

        int[] imageMap(int imageSize) {
            for (int k = 0; k < 2; k++) {
                if (imageMapSteps[k] == imageSize) {
                    return imageMaps[k];
                }
            }
            int k = nextImageMap;
            nextImageMap ^= 1;
            imageMapSteps[k] = imageSize;
            return imageMaps[k] = GatherMap.of(imageSize);
        }
    }

    private static float[] atLeast(float[] a, int size) {
        return a.length >= size ? a : new float[size];
    }

    /**
     * Grown in both dimensions to the largest yet asked for: layers of one model ask for more rows and
     * shorter ones by turns (F(4x4)'s 36 points, F(2x2)'s 16), and replacing the array with each call's own
     * shape would allocate megabytes a step.
     */
    private static float[][] atLeast(float[][] a, int rows, int size) {
        if (a.length >= rows && (a.length == 0 || a[0].length >= size)) {
            return a;
        }
        return new float[Math.max(rows, a.length)][Math.max(size, a.length == 0 ? 0 : a[0].length)];
    }

    /**
     * Whether this path computes {@code g}: 3x3, stride 1, no dilation, one group, the same padding on
     * opposite sides, little enough that it can flip it for backward.
     */
    static boolean applies(ConvGeometry g) {
        return g.kH() == 3 && g.kW() == 3 && g.strideH() == 1 && g.strideW() == 1 && g.symmetricPadding() && g.dilationH() == 1
                && g.dilationW() == 1 && g.groups() == 1 && g.padH() <= 2 && g.padW() <= 2;
    }

    /**
     * Outputs along a tile's side for {@code batch} outputs of {@code h x w}: 4 ({@link WinogradF4}) where its
     * 36 products per 4x4 outputs take at most three quarters of the multiplies that 2x2 tiles take for the
     * same map, the edges' waste counted (7x7, 11x11 and 14x14 and up; not 5x5, 6x6 or 9x9), and the batch has
     * {@link #TASK_TILES} such tiles to fill a task's products; 2 otherwise. Timed per pass with the images
     * side by side (Zen 4, batch 64, 16 lanes and 8): 7x7 at 128 channels 2.9 against 3.3 ms, 14x14 at 64
     * channels 3.0 against 3.9, while one image at 14x14 took twice as long in larger tiles and 4x4 and 5x5
     * maps a third longer.
     */
    static int tileSize(int batch, int h, int w) {
        long large = (long) Math.ceilDiv(h, WinogradF4.M) * Math.ceilDiv(w, WinogradF4.M);
        long small = (long) Math.ceilDiv(h, 2) * Math.ceilDiv(w, 2);
        boolean fewerProducts = 4 * 36 * large <= 3 * POINTS * small;
        return fewerProducts && batch * large >= TASK_TILES ? WinogradF4.M : 2;
    }

    /**
     * Forward pass with optional bias and ReLU in tiles of {@code m x m} outputs, 2 (F(2x2, 3x3)) or 4
     * ({@link WinogradF4}); other arguments as {@link Kernels#conv2d}.
     */
    static void forward(Parallel parallel, ConvGeometry g, int m, float[] x, float[] w, float[] bias, boolean relu,
                        float[] y) {
        convolve(parallel, g, m, x, new Weights(w, 9 * g.inChannels(), 9, false), bias, relu, y);
    }

    /**
     * Gradient to the input in tiles of {@code m x m}; other arguments as {@link Kernels#conv2dBackwardInput}.
     * It is the convolution of the output gradient, padded by {@code 2 - pad}, with the kernel turned by 180°
     * and its channel axes swapped.
     */
    static void backwardInput(Parallel parallel, ConvGeometry g, int m, float[] dy, float[] w, float[] dx) {
        ConvGeometry back = new ConvGeometry(g.batch(), g.outChannels(), g.outH(), g.outW(), g.inChannels(), 3, 3,
                1, 1, 2 - g.padH(), 2 - g.padW(), 1, 1, 1, g.inH(), g.inW());
        convolve(parallel, back, m, dy, new Weights(w, 9, 9 * g.inChannels(), true), null, false, dx);
    }

    /**
     * Gradient to the weights; arguments as {@link Kernels#conv2dBackwardWeight} without the bias, with
     * {@code partials} lending the per-task sums. Each point's {@code dU = sum over tiles of (A dY A^T) V},
     * a GEMM with the tiles as its inner dimension, {@code dY} a tile's 2x2 output gradient and {@code V}
     * its transformed input patch as in the forward pass; then {@code dw = G^T dU G}.
     */
    static void backwardWeight(Parallel parallel, ConvGeometry g, float[] x, float[] dy, float[] dw,
                               IntFunction<float[]> partials) {
        int cin = g.inChannels();
        int cout = g.outChannels();
        int size = POINTS * cout * cin;
        int tasks = Math.ceilDiv(g.batch(), GRADIENT_IMAGES);
        float[] partial = partials.apply(tasks * size);
        Layout lay = Layout.of(g, 1, 2);
        int width = GRADIENT_TILES + L;
        parallel.forEach(tasks, task -> {
            Scratch s = SCRATCH.get();
            int n0 = task * GRADIENT_IMAGES;
            int images = Math.min(GRADIENT_IMAGES, g.batch() - n0);
            int run = images * lay.plane();
            float[] planes = s.planes = atLeast(s.planes, 4 * cin * run + slack(lay, images));
            float[] gradients = s.gradientPlanes = atLeast(s.gradientPlanes, 4 * cout * run + L);
            float[][] v = s.inputs = atLeast(s.inputs, POINTS, cin * width);
            float[] dm = s.products = atLeast(s.products, POINTS * cout * width);
            split(x, cin, 0, cin, g.inH(), g.inW(), g.padH(), g.padW(), lay, n0, images, run, planes);
            split(dy, cout, 0, cout, g.outH(), g.outW(), 0, 0, lay, n0, images, run, gradients);
            int off = task * size;
            int tiles = images * lay.imageTiles();
            for (int t0 = 0; t0 < tiles; t0 += GRADIENT_TILES) {
                int count = Math.min(GRADIENT_TILES, tiles - t0);
                transformInputs(cin, lay, images, planes, run, t0, count, v, width, s.runs);
                transformGradients(cout, lay, images, gradients, run, t0, count, dm, width, cout * width, s.runs);
                for (int point = 0; point < POINTS; point++) {
                    // The first chunk's products set the task's partial (beta 0), the later ones add to it.
                    Gemm.multiply(false, true, cout, cin, count, dm, point * cout * width, width, v[point], 0, width,
                            t0 == 0 ? 0f : 1f, partial, off + point * cout * cin, cin);
                }
            }
        });
        parallel.sumSlices(partial, tasks, size);
        int threads = parallel.threads();
        int outputs = Math.ceilDiv(cout, threads);
        parallel.forEach(threads, th -> untransformWeights(th * outputs, Math.min(cout, (th + 1) * outputs), cin, partial,
                cout * cin, dw));
    }

    /**
     * Gradient to the weights in 4x4 tiles ({@link WinogradF4}); arguments as {@link #backwardWeight}, {@code
     * partials} lending {@code dU}. The batch goes through in groups of images side by side, as the forward
     * pass's tasks take them; for each group, the threads share its channels (split and transformed, inputs
     * to {@code V}, output gradients to {@code dM = A dY A^T}), then its 36 points, each a GEMM over the group's
     * tiles that adds to that point's {@code dU}; then {@code dw = G^T dU G}. Each point's sums run over the
     * groups in batch order on one thread at a time, so no partial sums per task are kept or added, and the
     * result does not depend on the thread count.
     */
    static void backwardWeightF4(Parallel parallel, ConvGeometry g, float[] x, float[] dy, float[] dw,
                                 IntFunction<float[]> partials) {
        int cin = g.inChannels();
        int cout = g.outChannels();
        int points = WinogradF4.POINTS;
        if (g.batch() == 0) {
            Arrays.fill(dw, 0, g.weightSize(), 0f);
            return;
        }
        float[] du = partials.apply(points * cout * cin);
        Layout lay = Layout.of(g, 1, WinogradF4.M);
        // A channel's row of tiles, a vector more: the last run's vector spills into it, not into the next
        // channel's row, which another thread may be writing.
        int width = (Math.ceilDiv(lay.images() * lay.imageTiles(), L) + 1) * L;
        int most = lay.images() * lay.plane();
        Scratch s = SCRATCH.get();
        float[] planes = s.planes = atLeast(s.planes, 16 * cin * most + slack(lay, lay.images()));
        float[] gradients = s.gradientPlanes = atLeast(s.gradientPlanes, 16 * cout * most + slack(lay, lay.images()));
        float[][] v = s.inputs = atLeast(s.inputs, points, cin * width);
        float[] dm = s.products = atLeast(s.products, points * cout * width);
        for (int n0 = 0; n0 < g.batch(); n0 += lay.images()) {
            int first = n0;
            int images = Math.min(lay.images(), g.batch() - n0);
            int run = images * lay.plane();
            int tiles = images * lay.imageTiles();
            parallel.forEach(cin + cout, c -> {
                Scratch own = SCRATCH.get();
                if (c < cin) {
                    split(x, cin, c, c + 1, g.inH(), g.inW(), g.padH(), g.padW(), lay, first, images, run, planes);
                    WinogradF4.transformInputs(c, c + 1, lay, images, planes, run, 0, tiles, v, width, own.runs,
                            own.inputSteps);
                } else {
                    int o = c - cin;
                    split(dy, cout, o, o + 1, g.outH(), g.outW(), 0, 0, lay, first, images, run, gradients);
                    WinogradF4.transformGradients(o, lay, images, gradients, run, tiles, dm, width, cout * width, own.runs,
                            own.outputSteps);
                }
            });
            float beta = n0 == 0 ? 0f : 1f;
            parallel.forEach(points, point -> Gemm.multiply(false, true, cout, cin, tiles, dm, point * cout * width, width,
                    v[point], 0, width, beta, du, point * cout * cin, cin));
        }
        int threads = parallel.threads();
        int outputs = Math.ceilDiv(cout, threads);
        parallel.forEach(threads, th -> WinogradF4.untransformWeights(th * outputs, Math.min(cout, (th + 1) * outputs), cin,
                du, cout * cin, dw, SCRATCH.get().outputSteps));
    }

    /**
     * {@code dM = A dY A^T} for a chunk's tiles, with {@code A = [1 0; 1 1; 1 -1; 0 -1]}, from the output
     * gradient's parity planes (a tile's 2x2 values are the four planes at its own place), into {@code
     * dm[point][output channel][tile]}, laid out as {@link #transformInputs} lays out {@code V}.
     */
    private static void transformGradients(int cout, Layout lay, int images, float[] planes, int run, int t0, int count,
                                           float[] dm, int row, int point, int[] runs) {
        int n = lay.rowRuns(t0, count, images, runs);
        for (int o = 0; o < cout; o++) {
            for (int k0 = 0; k0 < 3 * n; k0 += 3) {
                int at0 = o * 4 * run + runs[k0 + 2];
                int out = o * row + runs[k0];
                for (int q = 0; q < runs[k0 + 1]; q += L) {
                    FloatVector y00 = FloatVector.fromArray(S, planes, at0 + q);
                    FloatVector y01 = FloatVector.fromArray(S, planes, at0 + run + q);
                    FloatVector y10 = FloatVector.fromArray(S, planes, at0 + 2 * run + q);
                    FloatVector y11 = FloatVector.fromArray(S, planes, at0 + 3 * run + q);
                    // Along each row a of dY: r_a = [y_a0, y_a0 + y_a1, y_a0 - y_a1, -y_a1]; then down:
                    // dM rows [r_0, r_0 + r_1, r_0 - r_1, -r_1].
                    FloatVector a1 = y00.add(y01);
                    FloatVector a2 = y00.sub(y01);
                    FloatVector a3 = y01.neg();
                    FloatVector b1 = y10.add(y11);
                    FloatVector b2 = y10.sub(y11);
                    FloatVector b3 = y11.neg();
                    int at = out + q;
                    y00.intoArray(dm, at);
                    a1.intoArray(dm, at + point);
                    a2.intoArray(dm, at + 2 * point);
                    a3.intoArray(dm, at + 3 * point);
                    y00.add(y10).intoArray(dm, at + 4 * point);
                    a1.add(b1).intoArray(dm, at + 5 * point);
                    a2.add(b2).intoArray(dm, at + 6 * point);
                    a3.add(b3).intoArray(dm, at + 7 * point);
                    y00.sub(y10).intoArray(dm, at + 8 * point);
                    a1.sub(b1).intoArray(dm, at + 9 * point);
                    a2.sub(b2).intoArray(dm, at + 10 * point);
                    a3.sub(b3).intoArray(dm, at + 11 * point);
                    y10.neg().intoArray(dm, at + 12 * point);
                    b1.neg().intoArray(dm, at + 13 * point);
                    b2.neg().intoArray(dm, at + 14 * point);
                    b3.neg().intoArray(dm, at + 15 * point);
                }
            }
        }
    }

    /**
     * {@code dw = G^T dU G} for output channels {@code o0..o1}, {@code dU} as {@code [point][output channel][input
     * channel]}, points {@code point} floats apart.
     */
    private static void untransformWeights(int o0, int o1, int cin, float[] du, int point, float[] dw) {
        float[] t = new float[12];
        for (int o = o0; o < o1; o++) {
            for (int c = 0; c < cin; c++) {
                int at = o * cin + c;
                // dU G: 4 rows x 3 columns, G^T's rows being [1 1/2 1/2 0], [0 1/2 -1/2 0], [0 1/2 1/2 1].
                for (int i = 0; i < 4; i++) {
                    float u0 = du[at + 4 * i * point];
                    float u1 = du[at + (4 * i + 1) * point];
                    float u2 = du[at + (4 * i + 2) * point];
                    float u3 = du[at + (4 * i + 3) * point];
                    t[3 * i] = u0 + 0.5f * (u1 + u2);
                    t[3 * i + 1] = 0.5f * (u1 - u2);
                    t[3 * i + 2] = 0.5f * (u1 + u2) + u3;
                }
                int w = at * 9;
                for (int kw = 0; kw < 3; kw++) {
                    float t0 = t[kw];
                    float t1 = t[3 + kw];
                    float t2 = t[6 + kw];
                    float t3 = t[9 + kw];
                    dw[w + kw] = t0 + 0.5f * (t1 + t2);
                    dw[w + 3 + kw] = 0.5f * (t1 - t2);
                    dw[w + 6 + kw] = 0.5f * (t1 + t2) + t3;
                }
            }
        }
    }

    /**
     * The 3x3 kernels a convolution multiplies by, read in place from {@code w}: output channel {@code o} and input
     * channel {@code c} start at {@code o * oStride + c * cStride}, their nine taps row by row, or in reverse
     * order when {@code flipped} (the input gradient's kernel turned by 180 degrees, its channel axes swapped).
     * Strides rather than a function, so that {@link WinogradF4} can gather sixteen kernels' taps at once.
     */
    record Weights(float[] w, int oStride, int cStride, boolean flipped) {
        /** Where the kernel of output channel {@code o}, input channel {@code c} starts. */
        int offset(int o, int c) {
            return o * oStride + c * cStride;
        }

        /** Where tap {@code (kh, kw)} lies from its kernel's start. */
        int tap(int kh, int kw) {
            return flipped ? 8 - 3 * kh - kw : 3 * kh + kw;
        }

        float at(int o, int c, int kh, int kw) {
            return w[offset(o, c) + tap(kh, kw)];
        }
    }

    /**
     * Sizes for one geometry, thread count and tile of {@code m x m} outputs: tiles per image {@code tilesH x
     * tilesW}; planes {@code (tilesH+1) x wt} with {@code wt = tilesW + 1}; images per task; strips of the
     * GEMM's MR output channels.
     */
    record Layout(int m, int tilesH, int tilesW, int wt, int plane, int images, int strips) {
        static Layout of(ConvGeometry g, int threads, int m) {
            int tilesH = Math.ceilDiv(g.outH(), m);
            int tilesW = Math.ceilDiv(g.outW(), m);
            // Enough images per task to fill the panels, in a number of tasks the threads share evenly; no more
            // than make a row of tiles a chunk, where a row of a few tiles fills one (7x7 in 4x4 tiles at batch 128:
            // 32 images, whose rows of tiles chunks take whole, where 64 made each chunk half a row).
            int images = Math.clamp(Math.min(TASK_TILES / (tilesH * tilesW), Math.max(1, CHUNK / tilesW)), 1, g.batch());
            int tasks = Math.ceilDiv(Math.ceilDiv(g.batch(), images), threads) * threads;
            images = Math.ceilDiv(g.batch(), tasks);
            return new Layout(m, tilesH, tilesW, tilesW + 1, (tilesH + 1) * (tilesW + 1), images,
                    Math.ceilDiv(g.outChannels(), Gemm.MR));
        }

        int imageTiles() {
            return tilesH * tilesW;
        }

        /**
         * Where tile {@code t} of a task of {@code images} images has its patch in a plane run: tiles are
         * numbered by place, row by row, and within a place by image, as {@link #split} interleaves them.
         */
        int planeOffset(int t, int images) {
            int place = t / images;
            return (place / tilesW * wt + place % tilesW) * images + t % images;
        }

        /**
         * Cuts tiles {@code t0..t0+count} of a task of {@code images} images at the ends of rows of tiles into
         * {@code runs}, three ints a run: its first tile counted from {@code t0}, its length, and its patch's
         * {@link #planeOffset}; returns how many. Worked out once per chunk, not per channel: the divisions
         * cost more than a short run's transform.
         */
        int rowRuns(int t0, int count, int images, int[] runs) {
            int rowTiles = tilesW * images;
            int n = 0;
            for (int t = t0, end = t0 + count; t < end; n++) {
                int stop = Math.min(end, t - t % rowTiles + rowTiles);
                runs[3 * n] = t - t0;
                runs[3 * n + 1] = stop - t;
                runs[3 * n + 2] = planeOffset(t, images);
                t = stop;
            }
            return n;
        }

        /** Floats of one point's transformed inputs: a line more than its panel, to take a vector's spill past the last input channel. */
        int inputPoint(int cin) {
            return (cin + 1) * CHUNK;
        }
    }

    private static void convolve(Parallel parallel, ConvGeometry g, int m, float[] x, Weights weight, float[] bias,
                                 boolean relu, float[] y) {
        if (g.batch() == 0) {
            return;
        }
        Layout lay = Layout.of(g, parallel.threads(), m);
        int points = (m + 2) * (m + 2);
        int stride = productStride(points);
        float[][] u = transformWeights(parallel, g, lay, points, weight);
        int tasks = Math.ceilDiv(g.batch(), lay.images());
        int cin = g.inChannels();
        int cout = g.outChannels();
        parallel.forEach(tasks, task -> {
            Scratch s = SCRATCH.get();
            int n0 = task * lay.images();
            int images = Math.min(lay.images(), g.batch() - n0);
            int run = images * lay.plane();
            // A vector's reach past the last plane row, shifted a row and a column, stays readable.
            float[] planes = s.planes = atLeast(s.planes, m * m * cin * run + slack(lay, images));
            float[][] v = s.inputs = atLeast(s.inputs, points, lay.inputPoint(cin));
            float[] products = s.products = atLeast(s.products, lay.strips() * Gemm.MR * stride);
            int tiles = images * lay.imageTiles();
            // Where chunks cut rows of a few images' tiles, the task's outputs are kept whole and go out by rows at
            // the end, by gathers, where a chunk's went out a float at a time, a few images at a time.
            int rowTiles = lay.tilesW() * images;
            boolean whole = rowTiles < CHUNK && CHUNK % rowTiles != 0;
            int ybStride = whole ? S.loopBound(tiles + L - 1) : CHUNK;
            float[] yb = s.outputs = atLeast(s.outputs, m * m * cout * ybStride + L);
            split(x, cin, 0, cin, g.inH(), g.inW(), g.padH(), g.padW(), lay, n0, images, run, planes);
            for (int t0 = 0; t0 < tiles; t0 += CHUNK) {
                int count = Math.min(CHUNK, tiles - t0);
                if (m == 2) {
                    transformInputs(cin, lay, images, planes, run, t0, count, v, CHUNK, s.runs);
                } else {
                    WinogradF4.transformInputs(0, cin, lay, images, planes, run, t0, count, v, CHUNK, s.runs, s.inputSteps);
                }
                multiply(cin, lay, points, stride, u, v, products);
                int ybFrom = whole ? t0 : 0;
                if (m == 2) {
                    transformOutputs(g, products, stride, count, bias, relu, yb, ybStride, ybFrom);
                } else {
                    WinogradF4.transformOutputs(cout, products, stride, CHUNK, count, bias, relu, yb, ybStride, ybFrom,
                            s.outputSteps);
                }
                if (!whole) {
                    scatter(g, lay, yb, CHUNK, t0, count, n0, images, y);
                }
            }
            if (whole) {
                scatter(g, lay, yb, ybStride, 0, tiles, n0, images, y);
            }
        });
    }

    /**
     * {@code U = G g G^T} for every channel pair, with {@code G = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1]},
     * laid out as {@link Gemm}'s packed A: {@code u[point * strips + strip of MR output channels][input channel][MR]}.
     * In the calling thread's scratch, which the workers read; a task per strip, since one thread alone took
     * a tenth of a 128-channel 7x7 layer's time.
     */
    private static float[][] transformWeights(Parallel parallel, ConvGeometry g, Layout lay, int points, Weights weight) {
        int cin = g.inChannels();
        int size = cin * Gemm.MR;
        int strips = lay.strips();
        Scratch s = SCRATCH.get();
        float[][] u = s.weights = atLeast(s.weights, points * strips, size);
        int[] lanes = lay.m() == WinogradF4.M ? WinogradF4.kernelLanes(weight) : null;
        parallel.forEach(strips, strip -> {
            for (int point = 0; point < points; point++) {
                Arrays.fill(u[point * strips + strip], 0, size, 0f);
            }
            int o0 = strip * Gemm.MR;
            int o1 = Math.min(g.outChannels(), o0 + Gemm.MR);
            if (lay.m() == WinogradF4.M) {
                WinogradF4.transformWeights(o0, o1, cin, strips, weight, lanes, SCRATCH.get().weightSteps, u);
            } else {
                transformWeights(o0, o1, cin, strips, weight, u);
            }
        });
        return u;
    }

    /** {@code U} of output channels {@code o0..o1} for tiles of 2x2 outputs. */
    private static void transformWeights(int o0, int o1, int cin, int strips, Weights weight, float[][] u) {
        float[] gk = new float[12];
        // Input channel outermost, as in WinogradF4's.
        for (int c = 0; c < cin; c++) {
            for (int o = o0; o < o1; o++) {
                // G g: 4 rows x 3 columns.
                for (int kw = 0; kw < 3; kw++) {
                    float g0 = weight.at(o, c, 0, kw);
                    float g1 = weight.at(o, c, 1, kw);
                    float g2 = weight.at(o, c, 2, kw);
                    gk[kw] = g0;
                    gk[3 + kw] = 0.5f * (g0 + g1 + g2);
                    gk[6 + kw] = 0.5f * (g0 - g1 + g2);
                    gk[9 + kw] = g2;
                }
                for (int i = 0; i < 4; i++) {
                    float a0 = gk[3 * i];
                    float a1 = gk[3 * i + 1];
                    float a2 = gk[3 * i + 2];
                    int strip = 4 * i * strips + o / Gemm.MR;
                    int at = c * Gemm.MR + o % Gemm.MR;
                    u[strip][at] = a0;
                    u[strip + strips][at] = 0.5f * (a0 + a1 + a2);
                    u[strip + 2 * strips][at] = 0.5f * (a0 - a1 + a2);
                    u[strip + 3 * strips][at] = a2;
                }
            }
        }
    }

    /**
     * Floats readable past a task's planes: a vector from the last tile's patch, a plane row down and a
     * plane column along.
     */
    private static int slack(Layout lay, int images) {
        return 2 * (lay.wt() + 1) * images + 2 * L;
    }

    /**
     * Pads images {@code n0..n0+images} of {@code x} ({@code channels x h x w} each, padded by {@code padH,
     * padW} at the top and left) and splits them by row and column modulo the tile size m into {@code
     * planes[channel][pr][pc][row][col][image]}, each plane {@code (tilesH+1) x wt} places of {@code images}
     * floats, zero where the padded image has no input. With the images innermost, a row of tiles over all of
     * a task's images is one run of floats in every plane, so the transforms' vectors are full where a row of
     * one small image would fill a quarter of them (7x7: 4 tiles).
     */
    private static void split(float[] x, int channels, int c0, int c1, int h, int w, int padH, int padW, Layout lay,
                              int n0, int images, int run, float[] planes) {
        int m = lay.m();
        int wt = lay.wt();
        int imageSize = channels * h * w;
        Scratch s = SCRATCH.get();
        int[] across = s.imageMap(imageSize);
        int full = S.loopBound(images);
        RowBlocks blocks = images < L ? RowBlocks.of(m, wt, images, imageSize, w, padW, s) : null;
        Arrays.fill(planes, m * m * c0 * run, m * m * c1 * run, 0f);
        // A place's images are written side by side, read a whole image apart (a gather of L images at a time):
        // the reads of one plane row come back to the same few lines of each image, the writes run on.
        for (int c = c0; c < c1; c++) {
            int src = (n0 * channels + c) * h * w;
            for (int pr = 0; pr < m; pr++) {
                for (int r = 0; r <= lay.tilesH(); r++) {
                    int ih = m * r + pr - padH;
                    if (ih < 0 || ih >= h) {
                        continue;
                    }
                    if (blocks != null) {
                        splitRow(x, src + ih * w, blocks, planes, ((c * m + pr) * m) * run + r * wt * images, run);
                        continue;
                    }
                    for (int pc = 0; pc < m; pc++) {
                        int to = ((c * m + pr) * m + pc) * run + r * wt * images;
                        for (int q = 0; q < wt; q++, to += images) {
                            int iw = m * q + pc - padW;
                            if (iw < 0 || iw >= w) {
                                continue;
                            }
                            int from = src + ih * w + iw;
                            int im = 0;
                            for (; im < full; im += L) {
                                FloatVector.fromArray(S, x, from + im * imageSize, across, 0).intoArray(planes, to + im);
                            }
                            for (; im < images; im++) {
                                planes[to + im] = x[from + im * imageSize];
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * One image row into its block of each of the m planes of its row residue, for images fewer than a vector:
     * block {@code pc} ({@code wt} places of {@code images} floats, at {@code to + pc * run}) gathered from the row
     * of every image at once, where a place's few images took a loop of their own.
     */
    private static void splitRow(float[] x, int from, RowBlocks blocks, float[] planes, int to, int run) {
        FloatVector zero = FloatVector.zero(S);
        int length = blocks.length();
        for (int pc = 0; pc < blocks.sources().length; pc++) {
            int[] sources = blocks.sources()[pc];
            boolean[] inside = blocks.inside()[pc];
            int at = to + pc * run;
            int k = 0;
            for (; k + L <= length; k += L) {
                zero.blend(FloatVector.fromArray(S, x, from, sources, k), VectorMask.fromArray(S, inside, k))
                        .intoArray(planes, at + k);
            }
            if (k < length) {
                zero.blend(FloatVector.fromArray(S, x, from, sources, k), VectorMask.fromArray(S, inside, k))
                        .intoArray(planes, at + k, S.indexInRange(k, length));
            }
        }
    }

    /**
     * Where {@link #splitRow} reads the floats of a block: for column residue {@code pc}, float {@code k} of the
     * block (place {@code k / images}, image {@code k % images}) lies {@code sources[pc][k]} from the row's start in
     * the first image, or outside the image ({@code inside[pc][k]} false: a zero, read from a place inside). Kept in
     * the thread's scratch: two, for the weight gradient, which splits inputs and output gradients by turns.
     */
    private record RowBlocks(int m, int wt, int images, int imageSize, int w, int padW, int length, int[][] sources,
                             boolean[][] inside) {
        static RowBlocks of(int m, int wt, int images, int imageSize, int w, int padW, Scratch s) {
            for (RowBlocks b : s.rowBlocks) {
                if (b != null && b.m == m && b.wt == wt && b.images == images && b.imageSize == imageSize && b.w == w
                        && b.padW == padW) {
                    return b;
                }
            }
            int length = wt * images;
            int padded = Math.ceilDiv(length, L) * L;
            int[][] sources = new int[m][padded];
            boolean[][] inside = new boolean[m][padded];
            for (int pc = 0; pc < m; pc++) {
                for (int k = 0; k < length; k++) {
                    int iw = m * (k / images) + pc - padW;
                    inside[pc][k] = iw >= 0 && iw < w;
                    sources[pc][k] = (k % images) * imageSize + Math.clamp(iw, 0, w - 1);
                }
            }
            RowBlocks b = new RowBlocks(m, wt, images, imageSize, w, padW, length, sources, inside);
            s.rowBlocks[s.nextRowBlocks] = b;
            s.nextRowBlocks ^= 1;
            return b;
        }
    }

    /**
     * {@code V = B^T d B} for a chunk's tiles, with {@code B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]}, into
     * {@code v[point][input channel][tile]}, channels {@code row} floats apart. A row of tiles at a time; a
     * vector running past the row's end writes slots that the next row, the next input channel or the slack
     * after the last one takes.
     */
    private static void transformInputs(int cin, Layout lay, int images, float[] planes, int run, int t0, int count,
                                        float[][] v, int row, int[] runs) {
        int n = lay.rowRuns(t0, count, images, runs);
        int down = lay.wt() * images;
        for (int c = 0; c < cin; c++) {
            for (int k0 = 0; k0 < 3 * n; k0 += 3) {
                // Patch row i: the planes of row parity i%2, i/2 plane rows down.
                int r0 = c * 4 * run + runs[k0 + 2];
                int r1 = r0 + 2 * run;
                int r2 = r0 + down;
                int r3 = r1 + down;
                int out = c * row + runs[k0];
                for (int q = 0; q < runs[k0 + 1]; q += L) {
                    // Row k of V: patch row a + sign * patch row b (the column step of B^T: rows 0 - 2,
                    // 1 + 2, 2 - 1, 1 - 3), then [w0 - w2, w1 + w2, w2 - w1, w1 - w3] across it (the row step).
                    // Patch column j is in the plane of column parity j%2, j/2 along.
                    for (int k = 0; k < 4; k++) {
                        int a = (k == 0 ? r0 : k == 2 ? r2 : r1) + q;
                        int b = (k == 0 || k == 1 ? r2 : k == 2 ? r1 : r3) + q;
                        FloatVector sign = FloatVector.broadcast(S, k == 1 ? 1f : -1f);
                        FloatVector w0 = FloatVector.fromArray(S, planes, b).fma(sign, FloatVector.fromArray(S, planes, a));
                        FloatVector w1 = FloatVector.fromArray(S, planes, b + run).fma(sign, FloatVector.fromArray(S, planes, a + run));
                        FloatVector w2 = FloatVector.fromArray(S, planes, b + images)
                                .fma(sign, FloatVector.fromArray(S, planes, a + images));
                        FloatVector w3 = FloatVector.fromArray(S, planes, b + run + images)
                                .fma(sign, FloatVector.fromArray(S, planes, a + run + images));
                        int at = out + q;
                        w0.sub(w2).intoArray(v[4 * k], at);
                        w1.add(w2).intoArray(v[4 * k + 1], at);
                        w2.sub(w1).intoArray(v[4 * k + 2], at);
                        w1.sub(w3).intoArray(v[4 * k + 3], at);
                    }
                }
            }
        }
    }

    /**
     * The products {@code M[point] = U[point] V[point]} over input channels for a chunk's tiles, into
     * {@code m[output channel][point][tile]}, output channels {@code stride} floats apart.
     */
    private static void multiply(int cin, Layout lay, int points, int stride, float[][] u, float[][] v, float[] m) {
        for (int point = 0; point < points; point++) {
            for (int strip = 0; strip < lay.strips(); strip++) {
                Gemm.microKernel(cin, u[point * lay.strips() + strip], v[point],
                        m, strip * Gemm.MR * stride + point * CHUNK, stride, false);
            }
        }
    }

    /**
     * {@code Y = A^T M A} per tile, with {@code A^T = [1 1 1 0; 0 1 -1 -1]}, a vector of tiles at a time, plus
     * the bias and ReLU: into {@code yb[output channel][4][ybStride]} from tile {@code ybFrom} on, the four outputs
     * of a tile (top left, top right, bottom left, bottom right) {@code ybStride} apart.
     */
    private static void transformOutputs(ConvGeometry g, float[] m, int stride, int count, float[] bias, boolean relu,
                                         float[] yb, int ybStride, int ybFrom) {
        FloatVector floor = FloatVector.broadcast(S, relu ? 0f : Float.NEGATIVE_INFINITY);
        for (int o = 0; o < g.outChannels(); o++) {
            FloatVector b = FloatVector.broadcast(S, bias == null ? 0f : bias[o]);
            for (int q = 0; q < count; q += L) {
                int at = o * stride + q;
                int out = 4 * o * ybStride + ybFrom + q;
                // A^T along each row i of M: e_i0 = m_i0 + m_i1 + m_i2 (left), e_i1 = m_i1 - m_i2 - m_i3 (right).
                FloatVector m1 = FloatVector.fromArray(S, m, at + CHUNK);
                FloatVector m2 = FloatVector.fromArray(S, m, at + 2 * CHUNK);
                FloatVector e00 = FloatVector.fromArray(S, m, at).add(m1).add(m2);
                FloatVector e01 = m1.sub(m2).sub(FloatVector.fromArray(S, m, at + 3 * CHUNK));
                m1 = FloatVector.fromArray(S, m, at + 5 * CHUNK);
                m2 = FloatVector.fromArray(S, m, at + 6 * CHUNK);
                FloatVector e10 = FloatVector.fromArray(S, m, at + 4 * CHUNK).add(m1).add(m2);
                FloatVector e11 = m1.sub(m2).sub(FloatVector.fromArray(S, m, at + 7 * CHUNK));
                m1 = FloatVector.fromArray(S, m, at + 9 * CHUNK);
                m2 = FloatVector.fromArray(S, m, at + 10 * CHUNK);
                FloatVector e20 = FloatVector.fromArray(S, m, at + 8 * CHUNK).add(m1).add(m2);
                FloatVector e21 = m1.sub(m2).sub(FloatVector.fromArray(S, m, at + 11 * CHUNK));
                m1 = FloatVector.fromArray(S, m, at + 13 * CHUNK);
                m2 = FloatVector.fromArray(S, m, at + 14 * CHUNK);
                FloatVector e30 = FloatVector.fromArray(S, m, at + 12 * CHUNK).add(m1).add(m2);
                FloatVector e31 = m1.sub(m2).sub(FloatVector.fromArray(S, m, at + 15 * CHUNK));
                // ... then down each column: top = e0 + e1 + e2, bottom = e1 - e2 - e3; plus bias, floored.
                e00.add(e10).add(e20).add(b).max(floor).intoArray(yb, out);
                e01.add(e11).add(e21).add(b).max(floor).intoArray(yb, out + ybStride);
                e10.sub(e20).sub(e30).add(b).max(floor).intoArray(yb, out + 2 * ybStride);
                e11.sub(e21).sub(e31).add(b).max(floor).intoArray(yb, out + 3 * ybStride);
            }
        }
    }

    /**
     * Copies tiles {@code t0..t0+count} from {@code yb} ({@code [output channel][m x m][ybStride]}, from its start)
     * into NCHW {@code y}, the tiles of one place (its images) at a time; a tile's columns or rows past the output's
     * edge are dropped.
     */
    private static void scatter(ConvGeometry g, Layout lay, float[] yb, int ybStride, int t0, int count, int n0,
                                int images, float[] y) {
        int m = lay.m();
        int outW = g.outW();
        int area = g.outH() * outW;
        int rowTiles = lay.tilesW() * images;
        int lastRows = g.outH() - m * (lay.tilesH() - 1);
        if (t0 % rowTiles == 0 && count % rowTiles == 0 && lastRows * outW >= L) {
            scatterRows(g, lay, yb, ybStride, t0, count, n0, images, y);
            return;
        }
        int imageSize = g.outChannels() * area;
        int end = t0 + count;
        for (int t = t0; t < end; ) {
            int place = t / images;
            int stop = Math.min(end, (place + 1) * images);
            int th = place / lay.tilesW();
            int tw = place % lay.tilesW();
            // A width or height that m does not divide cuts the last tile of a row or column.
            int rows = Math.min(m, g.outH() - m * th);
            int cols = Math.min(m, outW - m * tw);
            int corner = (n0 + t % images) * imageSize + m * th * outW + m * tw;
            for (int o = 0; o < g.outChannels(); o++) {
                for (int a = 0; a < rows; a++) {
                    for (int b = 0; b < cols; b++) {
                        int src = (m * m * o + m * a + b) * ybStride + t - t0;
                        int dst = corner + o * area + a * outW + b;
                        for (int i = 0, n = stop - t; i < n; i++, dst += imageSize) {
                            y[dst] = yb[src + i];
                        }
                    }
                }
            }
            t = stop;
        }
    }

    /**
     * {@link #scatter} for a chunk of whole rows of tiles, by gathers: the outputs of one row of tiles of one
     * channel of one image are one run of {@code rows * outW} floats of {@code y}, each at a fixed distance in
     * {@code yb} from the run's first ({@link #rowOfTiles}), so whole vectors of them are gathered and stored, the
     * last overlapping the one before.
     */
    private static void scatterRows(ConvGeometry g, Layout lay, float[] yb, int ybStride, int t0, int count, int n0,
                                    int images, float[] y) {
        int m = lay.m();
        int outW = g.outW();
        int area = g.outH() * outW;
        int imageSize = g.outChannels() * area;
        int rowTiles = lay.tilesW() * images;
        for (int first = t0; first < t0 + count; first += rowTiles) {
            int th = first / rowTiles;
            int rows = Math.min(m, g.outH() - m * th);
            int[] map = rowOfTiles(m, rows, outW, images, ybStride, SCRATCH.get());
            for (int i = 0; i < images; i++) {
                int from = first - t0 + i;
                int to = (n0 + i) * imageSize + m * th * outW;
                for (int o = 0; o < g.outChannels(); o++) {
                    ShortRows.gather(yb, m * m * o * ybStride + from, map, y, to + o * area, rows * outW);
                }
            }
        }
    }

    /**
     * Where in {@code yb}, from a row of tiles' first, output {@code k} of that row's run of {@code rows x outW}
     * floats is: row {@code a = k / outW}, column {@code col = k % outW}, which is tile {@code col / m}'s output
     * {@code (a, col % m)}, tiles {@code images} apart and outputs {@code ybStride}. Kept in the thread's scratch, as
     * the same two come back chunk after chunk.
     */
    private static int[] rowOfTiles(int m, int rows, int outW, int images, int ybStride, Scratch s) {
        int slot = rows == m ? 0 : 1;
        long key = ((long) ybStride << 40) | ((long) images << 24) | ((long) outW << 8) | (rows << 4) | m;
        if (s.rowMapKeys[slot] == key) {
            return s.rowMaps[slot];
        }
        int[] map = new int[rows * outW];
        for (int k = 0; k < map.length; k++) {
            int col = k % outW;
            map[k] = (m * (k / outW) + col % m) * ybStride + (col / m) * images;
        }
        s.rowMaps[slot] = map;
        s.rowMapKeys[slot] = key;
        return map;
    }
}
