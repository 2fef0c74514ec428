package io.cnn4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * Convolution computed straight from a zero-padded copy of each image, without a column matrix, in two
 * kinds of register tile.
 *
 * <p>Vectors over output pixels (stride 1): the trick that makes one tile serve every kernel size: an output pixel
 * {@code (oh, ow)} is given the flat position {@code q = oh*Wp + ow} in the padded input's own row
 * width {@code Wp}, so kernel tap {@code t} always reads {@code xp[q + offset[t]]} and a run of
 * consecutive {@code q} is a run of vectors. The columns {@code ow >= outW} of that flat output are
 * wasted work ({@code (kW-1)/Wp} of it) and are never stored.
 *
 * <p>It wins over im2col where the column matrix is large next to the arithmetic, which is the case
 * of the narrow first layers (one input channel) and of small feature maps; {@link CpuKernels} makes the
 * choice per shape.
 *
 * <p>The backward pass to the input is the same loop over the output gradient, padded by
 * {@code dilation*(k-1) - pad}, with the kernel flipped and its channel axes swapped.
 *
 * <p>Vectors over output channels ({@link #broadcastTile}): each pixel's window is found through a table
 * of window starts, so any stride works and no column is wasted; the price is a pixel-major copy of the
 * data the vectors run over. It serves the weight gradient of layers with many taps, the forward pass and
 * input gradient of strided ones, and those of stride-1 ones whose rows {@link #rowTile} divides.
 *
 * <p>1x1 layers with a stride that {@link StridedPointwise} takes go there, in every pass: their sums run over
 * input channels only, and its tiles read pixels gathered once instead of through the table.
 */
final class DirectConv {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Output channels per register tile. */
    static final int CB = 4;
    /** Vectors of flat output positions per register tile of the forward pass. */
    private static final int VB = 2;
    /** Kernel taps per register tile of the weight gradient with vectors over pixels. */
    private static final int TB = 2;
    /** Broadcast values (taps or pixels) per register tile with vectors over output channels. */
    private static final int PB = 5;
    /** Output channels per register tile with vectors over output channels: two vectors. */
    private static final int GB = 2 * L;
    /**
     * Output channels of {@link #wideWindowTile}: three vectors, whose 27 accumulators need 32 registers (16
     * lanes and up); {@code 0} where the registers are too few.
     */
    private static final int WIDE = L >= 16 ? 3 * L : 0;
    /** Pixels of one output row per {@link #rowTile}, which divides the widths 7, 14, 28, 56 and 112. */
    private static final int RB = 7;
    /**
     * The step along a row that {@link #rowTile} is written for: downsampling's stride, and the spread of the
     * output gradient's copy in {@link #stridedBackwardInput}.
     */
    private static final int RB_STRIDE = 2;
    /** Images per task of the weight gradient, fixed so sums do not depend on the thread count. */
    private static final int IMAGES_PER_TASK = 8;
    /** Weights per task of the weight gradient's copy into the weights' layout. */
    private static final int COPY_PER_TASK = 1 << 14;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    /** {@link #stridedBackwardInput}'s tables by geometry (batch 1): a model has a handful of strided layers. */
    private static final Map<ConvGeometry, PhaseClasses> PHASE_CLASSES = new ConcurrentHashMap<>();

    private DirectConv() {
    }

    /**
     * Whether this path computes {@code g} (stride 1, one group, the same padding on opposite sides, little
     * enough that it can flip it for backward).
     */
    static boolean applies(ConvGeometry g) {
        return g.strideH() == 1 && g.strideW() == 1 && g.groups() == 1 && g.symmetricPadding()
                && g.padH() <= g.dilationH() * (g.kH() - 1) && g.padW() <= g.dilationW() * (g.kW() - 1);
    }

    /**
     * Per-thread working arrays, grown on demand and kept for the next call. The packed weights of the
     * calling thread are read by all workers of that call and rewritten only by its next call.
     */
    private static final class Scratch {
        float[] weights = new float[0];
        float[] padded = new float[0];
        float[] out = new float[0];
        float[] grad = new float[0];
        int[] shifts = new int[0];
    }

    private static float[] atLeast(float[] a, int size) {
        return a.length >= size ? a : new float[size];
    }

    /** Sizes of the padded image and of the flat output for one geometry. */
    private record Layout(int hp, int wp, int flat, int[] offsets, int paddedSize) {
        static Layout of(ConvGeometry g) {
            int hp = g.inH() + 2 * g.padH();
            int wp = g.inW() + 2 * g.padW();
            // The last row is stored a whole vector at a time, so the flat output reaches past its last column.
            int flat = roundUp((g.outH() - 1) * wp + roundUp(g.outW(), L), VB * L);
            int taps = g.inChannels() * g.kH() * g.kW();
            // Padded to a whole number of both tiles' tap blocks (PB and TB), with zero-weight taps at offset 0.
            int[] offsets = new int[roundUp(taps, PB * TB)];
            int t = 0;
            for (int c = 0; c < g.inChannels(); c++) {
                for (int kh = 0; kh < g.kH(); kh++) {
                    for (int kw = 0; kw < g.kW(); kw++) {
                        offsets[t++] = (c * hp + kh * g.dilationH()) * wp + kw * g.dilationW();
                    }
                }
            }
            int maxOffset = offsets[taps - 1];
            // Room for the last flat position plus the farthest tap, so no read needs a bounds branch.
            int paddedSize = Math.max(g.inChannels() * hp * wp, flat + maxOffset);
            return new Layout(hp, wp, flat, offsets, paddedSize);
        }

        int taps() {
            return offsets.length;
        }
    }

    private static int roundUp(int x, int m) {
        return Math.ceilDiv(x, m) * m;
    }

    /**
     * Whether {@link #forward} computes {@code g}: on the flat layout where that applies (stride 1), else
     * with vectors over output channels (any stride); stride-1 layers with channels enough and rows of
     * a multiple of {@link #RB} pixels go over channels too ({@link #unitRows}); strided 1x1 layers by
     * {@link StridedPointwise}.
     */
    static boolean computesForward(ConvGeometry g) {
        return applies(g) || overChannels(g) && windowsInside(g) || StridedPointwise.applies(g);
    }

    /** Forward pass with optional bias and ReLU; arguments as {@link Kernels#conv2d}. */
    static void forward(Parallel parallel, ConvGeometry g, float[] x, float[] w, float[] bias, boolean relu, float[] y) {
        if (StridedPointwise.applies(g)) {
            StridedPointwise.forward(parallel, g, x, w, bias, relu, y);
            return;
        }
        int taps = g.inChannels() * g.kH() * g.kW();
        WeightAt weight = (o, t) -> w[o * taps + t];
        if (applies(g) && !unitRows(g)) {
            convolve(parallel, g, x, packWeights(g.outChannels(), CB, taps, taps, weight), bias, relu, y);
        } else {
            convolveOverChannels(parallel, g, x, weight, bias, relu, y);
        }
    }

    /**
     * Whether a stride-1 pass of {@code g} runs {@link #rowTile} over a copy of its input spread out {@link
     * #RB_STRIDE} floats a value, so that neighbouring pixels' windows lie as far apart as a strided pass's do.
     * Against the flat tile (Intel Xeon, 2 threads, batch 64): 64 -> 64 channels at 14x14 1.2x, 128 -> 128 at
     * 7x7 1.9x, the same sums in the same order.
     */
    private static boolean unitRows(ConvGeometry g) {
        return g.strideH() == 1 && g.strideW() == 1 && g.outW() % RB == 0 && overChannels(g) && windowsInside(g);
    }

    /**
     * The convolution with vectors over output channels: {@code y^T[pixel][o] = sum_t xp[positions[pixel] +
     * offset[t]] * w^T[t][o]}, {@link #PB} pixels x {@link #GB} channels per register tile, each pixel's
     * window found through the position table, so there are no wasted columns and any stride works. The
     * tile's outputs are pixel-major and are turned back into NCHW (a store per output value) with the
     * bias and ReLU.
     */
    private static void convolveOverChannels(Parallel parallel, ConvGeometry g, float[] x, WeightAt weight, float[] bias,
                                             boolean relu, float[] y) {
        Layout lay = Layout.of(g);
        int taps = g.inChannels() * g.kH() * g.kW();
        int channels = roundUp(g.outChannels(), GB);
        int pixels = g.outH() * g.outW();
        boolean spread = unitRows(g);
        int factor = spread ? RB_STRIDE : 1;
        int[] positions = times(positions(g, lay, PB), factor);
        int[] offsets = times(lay.offsets(), factor);
        boolean rows = spread || g.strideW() == RB_STRIDE && g.outW() % RB == 0;
        float[] packed = packWeights(g.outChannels(), GB, taps, lay.taps(), weight);
        int[] pixelStep = GatherMap.of(channels);
        parallel.forEach(g.batch(), n -> {
            Scratch s = SCRATCH.get();
            float[] xp = s.padded = atLeast(s.padded, factor * lay.paddedSize());
            float[] out = s.out = atLeast(s.out, positions.length * channels);
            pad(g, x, n * g.inputImageSize(), xp, 0, lay, factor);
            for (int o = 0; o < channels; o += GB) {
                if (rows) {
                    for (int p = 0; p < pixels; p += RB) {
                        rowTile(xp, positions[p], offsets, taps, packed, o * lay.taps(), out, p * channels + o, channels);
                    }
                    continue;
                }
                for (int p = 0; p < positions.length; p += PB) {
                    broadcastTile(xp, positions[p], positions[p + 1], positions[p + 2], positions[p + 3], positions[p + 4],
                            offsets, taps, packed, o * lay.taps(), out, p * channels + o, channels);
                }
            }
            int yOff = n * g.outputImageSize();
            int full = S.loopBound(pixels);
            FloatVector floor = FloatVector.broadcast(S, relu ? 0f : Float.NEGATIVE_INFINITY);
            for (int o = 0; o < g.outChannels(); o++) {
                float b = bias == null ? 0f : bias[o];
                FloatVector bv = FloatVector.broadcast(S, b);
                int p = 0;
                for (; p < full; p += L) {
                    FloatVector.fromArray(S, out, p * channels + o, pixelStep, 0).add(bv).max(floor)
                            .intoArray(y, yOff + o * pixels + p);
                }
                for (; p < pixels; p++) {
                    float v = out[p * channels + o] + b;
                    y[yOff + o * pixels + p] = relu ? Math.max(v, 0f) : v;
                }
            }
        });
    }

    /**
     * Where each output pixel's window starts in the padded image, in row-major pixel order; padded to a
     * multiple of {@code multiple} by repeating the last pixel, whose extra results are dropped.
     */
    private static int[] positions(ConvGeometry g, Layout lay, int multiple) {
        int pixels = g.outH() * g.outW();
        int[] positions = new int[roundUp(pixels, multiple)];
        for (int oh = 0; oh < g.outH(); oh++) {
            for (int ow = 0; ow < g.outW(); ow++) {
                positions[oh * g.outW() + ow] = oh * g.strideH() * lay.wp() + ow * g.strideW();
            }
        }
        Arrays.fill(positions, pixels, positions.length, positions[pixels - 1]);
        return positions;
    }

    /** Runs the packed kernel over every image of {@code x} into {@code y}. */
    private static void convolve(Parallel parallel, ConvGeometry g, float[] x, float[] packed, float[] bias, boolean relu, float[] y) {
        Layout lay = Layout.of(g);
        int taps = g.inChannels() * g.kH() * g.kW();
        int blocks = Math.ceilDiv(g.outChannels(), CB);
        parallel.forEach(g.batch(), n -> {
            Scratch s = SCRATCH.get();
            float[] xp = s.padded = atLeast(s.padded, lay.paddedSize());
            float[] out = s.out = atLeast(s.out, blocks * CB * lay.flat());
            pad(g, x, n * g.inputImageSize(), xp, 0, lay, 1);
            for (int ob = 0; ob < blocks; ob++) {
                for (int q = 0; q < lay.flat(); q += VB * L) {
                    tile(xp, q, lay.offsets(), taps, packed, ob * taps * CB, out, ob * CB * lay.flat() + q, lay.flat());
                }
            }
            store(g, lay, out, bias, relu, y, n * g.outputImageSize());
        });
    }

    /**
     * Weights as {@code [block of output channels][tap][block]}, {@code paddedTaps} taps to a block, zero
     * past the last channel and the last tap: a tile's weights for one tap are {@code block} consecutive
     * floats ({@link #CB} broadcasts for the flat tile, {@link #GB} as two vectors for the other).
     */
    private static float[] packWeights(int out, int block, int taps, int paddedTaps, WeightAt weight) {
        int size = Math.ceilDiv(out, block) * block * paddedTaps;
        Scratch s = SCRATCH.get();
        float[] packed = s.weights = atLeast(s.weights, size);
        Arrays.fill(packed, 0, size, 0f);
        for (int o = 0; o < out; o++) {
            for (int t = 0; t < taps; t++) {
                packed[((o / block) * paddedTaps + t) * block + o % block] = weight.at(o, t);
            }
        }
        return packed;
    }

    /** The weight of output channel {@code o} at tap {@code t}. */
    @FunctionalInterface
    private interface WeightAt {
        float at(int o, int t);
    }

    /**
     * Weight of the backward-input convolution: its output channel {@code o} is the forward input
     * channel, its tap {@code t} runs over (forward output channel, kh, kw) with the kernel turned by 180°.
     */
    private static float flippedWeight(ConvGeometry g, float[] w, int inChannel, int t) {
        int k = g.kH() * g.kW();
        int outChannel = t / k;
        int kh = (t % k) / g.kW();
        int kw = t % g.kW();
        return w[((outChannel * g.inChannels() + inChannel) * g.kH() + g.kH() - 1 - kh) * g.kW() + g.kW() - 1 - kw];
    }

    /** {@code a} with every element times {@code factor} ({@code a} itself for 1). */
    private static int[] times(int[] a, int factor) {
        if (factor == 1) {
            return a;
        }
        int[] b = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i] * factor;
        }
        return b;
    }

    /**
     * Copies one image into the padded layout; the border and slack stay zero. With a {@code step} above 1 the
     * copy is spread out: padded index {@code i} at {@code xpOff + step * i}.
     */
    private static void pad(ConvGeometry g, float[] x, int xOff, float[] xp, int xpOff, Layout lay, int step) {
        Arrays.fill(xp, xpOff, xpOff + step * lay.paddedSize(), 0f);
        int h = g.inH();
        int w = g.inW();
        for (int c = 0; c < g.inChannels(); c++) {
            for (int r = 0; r < h; r++) {
                int from = xOff + (c * h + r) * w;
                int to = xpOff + step * ((c * lay.hp() + r + g.padH()) * lay.wp() + g.padW());
                if (step == 1) {
                    ShortRows.copy(x, from, xp, to, w);
                } else {
                    ShortRows.spread(x, from, xp, to, w, step);
                }
            }
        }
    }

    /**
     * {@code CB} output channels x {@code VB} vectors of flat positions, summed over every tap: 8
     * accumulators, 2 input vectors and a broadcast stay in AVX2's 16 registers (a 4 x 3 tile makes C2
     * spill).
     */
    private static void tile(float[] xp, int q, int[] offsets, int taps, float[] wp, int wOff,
                             float[] out, int oOff, int oStride) {
        FloatVector z = FloatVector.zero(S);
        FloatVector a00 = z, a01 = z, a10 = z, a11 = z, a20 = z, a21 = z, a30 = z, a31 = z;
        for (int t = 0; t < taps; t++) {
            int xi = q + offsets[t];
            FloatVector x0 = FloatVector.fromArray(S, xp, xi);
            FloatVector x1 = FloatVector.fromArray(S, xp, xi + L);
            int wi = wOff + t * CB;
            FloatVector w = FloatVector.broadcast(S, wp[wi]);
            a00 = w.fma(x0, a00);
            a01 = w.fma(x1, a01);
            w = FloatVector.broadcast(S, wp[wi + 1]);
            a10 = w.fma(x0, a10);
            a11 = w.fma(x1, a11);
            w = FloatVector.broadcast(S, wp[wi + 2]);
            a20 = w.fma(x0, a20);
            a21 = w.fma(x1, a21);
            w = FloatVector.broadcast(S, wp[wi + 3]);
            a30 = w.fma(x0, a30);
            a31 = w.fma(x1, a31);
        }
        // Stored here, not through a helper: a vector passed to a method is boxed wherever C2 does not inline it.
        a00.intoArray(out, oOff);
        a01.intoArray(out, oOff + L);
        a10.intoArray(out, oOff + oStride);
        a11.intoArray(out, oOff + oStride + L);
        a20.intoArray(out, oOff + 2 * oStride);
        a21.intoArray(out, oOff + 2 * oStride + L);
        a30.intoArray(out, oOff + 3 * oStride);
        a31.intoArray(out, oOff + 3 * oStride + L);
    }

    /** Moves the valid columns of the flat output into NCHW {@code y}, adding bias and ReLU on the way. */
    private static void store(ConvGeometry g, Layout lay, float[] out, float[] bias, boolean relu, float[] y, int yOff) {
        int outW = g.outW();
        for (int o = 0; o < g.outChannels(); o++) {
            float b = bias == null ? 0f : bias[o];
            for (int oh = 0; oh < g.outH(); oh++) {
                ShortRows.biasRelu(out, o * lay.flat() + oh * lay.wp(), y, yOff + (o * g.outH() + oh) * outW, outW, b, relu);
            }
        }
    }

    /**
     * Whether {@link #backwardInput} computes {@code g}: stride 1 on the flat layout, strided over input channels,
     * or strided 1x1 by {@link StridedPointwise}.
     */
    static boolean computesInputGradient(ConvGeometry g) {
        return applies(g) || stridedInputGradient(g) || StridedPointwise.applies(g);
    }

    /** The strided input gradient's conditions: one group, no dilation, and channels to fill its vectors. */
    private static boolean stridedInputGradient(ConvGeometry g) {
        return g.groups() == 1 && g.dilationH() == 1 && g.dilationW() == 1 && g.inChannels() >= GB
                && g.outChannels() * g.kH() * g.kW() >= 32 && windowsInside(g);
    }

    /** Gradient to the input; arguments as {@link Kernels#conv2dBackwardInput}. */
    static void backwardInput(Parallel parallel, ConvGeometry g, float[] dy, float[] w, float[] dx) {
        if (StridedPointwise.applies(g)) {
            StridedPointwise.backwardInput(parallel, g, dy, w, dx);
            return;
        }
        if (!applies(g)) {
            stridedBackwardInput(parallel, g, dy, w, dx);
            return;
        }
        ConvGeometry back = new ConvGeometry(g.batch(), g.outChannels(), g.outH(), g.outW(), g.inChannels(),
                g.kH(), g.kW(), 1, 1, g.dilationH() * (g.kH() - 1) - g.padH(), g.dilationW() * (g.kW() - 1) - g.padW(),
                g.dilationH(), g.dilationW(), 1, g.inH(), g.inW());
        if (unitRows(back)) {
            convolveOverChannels(parallel, back, dy, (o, t) -> flippedWeight(g, w, o, t), null, false, dx);
            return;
        }
        int taps = g.outChannels() * g.kH() * g.kW();
        convolve(parallel, back, dy, packWeights(g.inChannels(), CB, taps, taps, (o, t) -> flippedWeight(g, w, o, t)), null,
                false, dx);
    }

    /**
     * The tables of {@link #stridedBackwardInput} for one geometry (any batch), built once: per phase class,
     * the pixels' window bases in the spread, padded output gradient, how many pixels it has, where its rows of
     * results start, the taps' shifts and where the class's weights start; for each input pixel, where its
     * row of results lies; the padded plane's size; and whether every class's rows hold a whole number of
     * {@link #RB} pixels, for {@link #rowTile}. Bases and shifts are indexes of the padded planes times
     * {@link #RB_STRIDE}: the copy of the output gradient puts each value that many floats from the last, so
     * that neighbouring pixels of a class, one column apart, are read {@code RB_STRIDE} apart as the forward
     * pass's row tile reads them.
     */
    private record PhaseClasses(int rowsBack, int colsBack, int wd, int plane, int[][] bases, int[] counts,
                                int[] resultStart, int[] sources, int[][] shifts, int[] weightStart, boolean rows) {
        static PhaseClasses of(ConvGeometry g) {
            int s = g.strideH();
            int t = g.strideW();
            int rowsBack = (g.kH() - 1) / s;
            int colsBack = (g.kW() - 1) / t;
            int hd = rowsBack + Math.max(g.outH(), (g.inH() - 1 + g.padH()) / s + 1);
            int wd = colsBack + Math.max(g.outW(), (g.inW() - 1 + g.padW()) / t + 1);
            int plane = hd * wd;
            int channels = roundUp(g.inChannels(), GB);
            int classes = s * t;
            int[][] bases = new int[classes][];
            int[] counts = new int[classes];
            // The classes' results lie one after another, a row of channels a pixel (bases' padding included).
            int[] resultStart = new int[classes + 1];
            int[] sources = new int[g.inH() * g.inW()];
            int[][] shifts = new int[classes][];
            int[] weightStart = new int[classes + 1];
            boolean whole = true;
            for (int rh = 0; rh < s; rh++) {
                for (int rw = 0; rw < t; rw++) {
                    int cls = rh * t + rw;
                    int taps = 0;
                    int[] sh = new int[g.outChannels() * g.kH() * g.kW()];
                    for (int o = 0; o < g.outChannels(); o++) {
                        for (int kh = rh; kh < g.kH(); kh += s) {
                            for (int kw = rw; kw < g.kW(); kw += t) {
                                sh[taps++] = RB_STRIDE * (o * plane - ((kh - rh) / s) * wd - (kw - rw) / t);
                            }
                        }
                    }
                    shifts[cls] = Arrays.copyOf(sh, taps);
                    weightStart[cls + 1] = weightStart[cls] + taps * channels;
                    // The class's pixels: rows ih with (ih + padH) % s == rh, columns likewise.
                    int firstRow = Math.floorMod(rh - g.padH(), s);
                    int firstCol = Math.floorMod(rw - g.padW(), t);
                    int rows = Math.max(0, Math.ceilDiv(g.inH() - firstRow, s));
                    int cols = Math.max(0, Math.ceilDiv(g.inW() - firstCol, t));
                    int count = rows * cols;
                    whole &= cols % RB == 0;
                    int[] bs = new int[roundUp(Math.max(count, 1), PB)];
                    for (int i = 0; i < count; i++) {
                        int ih = firstRow + (i / cols) * s;
                        int iw = firstCol + (i % cols) * t;
                        sources[ih * g.inW() + iw] = (resultStart[cls] + i) * channels;
                        bs[i] = RB_STRIDE * (((ih + g.padH()) / s + rowsBack) * wd + (iw + g.padW()) / t + colsBack);
                    }
                    Arrays.fill(bs, count, bs.length, count == 0 ? 0 : bs[count - 1]);
                    counts[cls] = count;
                    bases[cls] = bs;
                    resultStart[cls + 1] = resultStart[cls] + bs.length;
                }
            }
            return new PhaseClasses(rowsBack, colsBack, wd, plane, bases, counts, resultStart, sources, shifts, weightStart,
                    whole);
        }
    }

    /**
     * The input gradient of a strided convolution with vectors over input channels. Input pixel
     * {@code (ih, iw)} with {@code ih + pad = s*a + rh} meets only the kernel rows {@code kh = rh + s*j},
     * at output row {@code a - j}; so the pixels fall into {@code s*s} classes by {@code (rh, rw)}, and each
     * class is a small stride-1 correlation of the output gradient: the pixel's base {@code (a, b)} in a
     * zero-padded copy of dy, shifted by {@code -(j, l)} for tap {@code (o, j, l)}, against the weight
     * vector {@code w[o][c..c+GB][rh + s*j][rw + s*l]}. Where each class's rows hold a whole number of {@link
     * #RB} pixels (input widths 14 and 28 at stride 2) {@link #rowTile} runs it, reading the copy spread out
     * so that a class's neighbours lie {@link #RB_STRIDE} apart as a strided forward pass's do (14-17% faster
     * than the general tile on the Intel Xeon); else {@link #broadcastTile}, {@link #PB} pixels x {@link #GB}
     * channels. The pixel-major results are turned back into NCHW.
     */
    private static void stridedBackwardInput(Parallel parallel, ConvGeometry g, float[] dy, float[] w, float[] dx) {
        int s = g.strideH();
        int t = g.strideW();
        PhaseClasses pc = PHASE_CLASSES.computeIfAbsent(g.withBatch(1), PhaseClasses::of);
        int rowsBack = pc.rowsBack();
        int colsBack = pc.colsBack();
        int wd = pc.wd();
        int plane = pc.plane();
        int channels = roundUp(g.inChannels(), GB);
        int classes = s * t;
        int[][] bases = pc.bases();
        int[][] shifts = pc.shifts();
        int[] weightStart = pc.weightStart();
        // Per class, [channel block][tap][GB]: the weights each tap of the class meets, zero past the last channel.
        Scratch caller = SCRATCH.get();
        float[] packed = caller.weights = atLeast(caller.weights, weightStart[classes]);
        Arrays.fill(packed, 0, weightStart[classes], 0f);
        for (int rh = 0; rh < s; rh++) {
            for (int rw = 0; rw < t; rw++) {
                int cls = rh * t + rw;
                int taps = shifts[cls].length;
                int j = 0;
                for (int o = 0; o < g.outChannels(); o++) {
                    for (int kh = rh; kh < g.kH(); kh += s) {
                        for (int kw = rw; kw < g.kW(); kw += t) {
                            for (int c = 0; c < g.inChannels(); c++) {
                                packed[weightStart[cls] + ((c / GB) * taps + j) * GB + c % GB] =
                                        w[((o * g.inChannels() + c) * g.kH() + kh) * g.kW() + kw];
                            }
                            j++;
                        }
                    }
                }
            }
        }
        parallel.forEach(g.batch(), n -> {
            Scratch sc = SCRATCH.get();
            int size = RB_STRIDE * g.outChannels() * plane;
            float[] dyp = sc.padded = atLeast(sc.padded, size);
            Arrays.fill(dyp, 0, size, 0f);
            for (int o = 0; o < g.outChannels(); o++) {
                for (int r = 0; r < g.outH(); r++) {
                    ShortRows.spread(dy, ((n * g.outChannels() + o) * g.outH() + r) * g.outW(), dyp,
                            RB_STRIDE * (o * plane + (r + rowsBack) * wd + colsBack), g.outW(), RB_STRIDE);
                }
            }
            float[] out = sc.out = atLeast(sc.out, pc.resultStart()[classes] * channels);
            for (int cls = 0; cls < classes; cls++) {
                int[] b = bases[cls];
                int taps = shifts[cls].length;
                int count = pc.counts()[cls];
                int results = pc.resultStart()[cls] * channels;
                for (int c = 0; count > 0 && c < channels; c += GB) {
                    if (pc.rows()) {
                        for (int p = 0; p < count; p += RB) {
                            rowTile(dyp, b[p], shifts[cls], taps, packed, weightStart[cls] + c * taps, out,
                                    results + p * channels + c, channels);
                        }
                        continue;
                    }
                    for (int p = 0; p < b.length; p += PB) {
                        broadcastTile(dyp, b[p], b[p + 1], b[p + 2], b[p + 3], b[p + 4], shifts[cls], taps, packed,
                                weightStart[cls] + c * taps, out, results + p * channels + c, channels);
                    }
                }
            }
            // Back into NCHW by gathers, a vector of neighbouring pixels of one channel at a time, each from its
            // class's results, where a float at a time wrote every class's pixels s apart (JFR: 3.6% of resnet).
            int image = g.inH() * g.inW();
            for (int c = 0; c < g.inChannels(); c++) {
                ShortRows.gather(out, c, pc.sources(), dx, n * g.inputImageSize() + c * image, image);
            }
        });
    }

    /**
     * Weight gradient; arguments as {@link Kernels#conv2dBackwardWeight} except the bias, which the
     * caller sums, and {@code partials}, which lends an array of at least the given size for the tasks'
     * partial sums. Each task of {@link #IMAGES_PER_TASK} images sums into its own partial, and the
     * partials are added in task order, so the result does not depend on the threads.
     *
     * <p>Two loops, by the number of taps. With few (one input channel) the vectors run over flat
     * positions, reading the output gradient as it is ({@link OverPixels}); with many, over output
     * channels ({@link OverChannels}), which needs the gradient turned pixel-major first but then is a
     * GEMM-shaped loop whose accumulators live for all of a task's pixels. The turn costs about one store
     * per output value, which only many taps repay.
     */
    static void backwardWeight(Parallel parallel, ConvGeometry g, float[] x, float[] dy, float[] dw, IntFunction<float[]> partials) {
        if (StridedPointwise.applies(g)) {
            StridedPointwise.backwardWeight(parallel, g, x, dy, dw, partials);
            return;
        }
        Layout lay = Layout.of(g);
        WeightLoop loop = overChannels(g) ? OverChannels.of(g, lay) : new OverPixels(g, lay);
        int tasks = Math.ceilDiv(g.batch(), IMAGES_PER_TASK);
        float[] partial = partials.apply(tasks * loop.partialSize());
        parallel.forEach(tasks, task -> {
            Scratch s = SCRATCH.get();
            int first = task * IMAGES_PER_TASK;
            int count = Math.min(g.batch(), first + IMAGES_PER_TASK) - first;
            float[] xp = s.padded = atLeast(s.padded, count * lay.paddedSize());
            float[] grad = s.grad = atLeast(s.grad, count * loop.gradSize());
            for (int i = 0; i < count; i++) {
                pad(g, x, (first + i) * g.inputImageSize(), xp, i * lay.paddedSize(), lay, 1);
                loop.arrange(dy, (first + i) * g.outputImageSize(), grad, i, count);
            }
            loop.sum(xp, grad, count, partial, task * loop.partialSize());
        });
        parallel.sumSlices(partial, tasks, loop.partialSize());
        // Back into [o][tap] on every thread too, in tasks of about COPY_PER_TASK weights: 150,000 weights of a
        // 128-channel layer took a tenth of its pass on the calling thread alone.
        int realTaps = g.inChannels() * g.kH() * g.kW();
        parallel.forEachItem(g.outChannels(), Math.max(1, COPY_PER_TASK / realTaps), o -> {
            for (int t = 0; t < realTaps; t++) {
                dw[o * realTaps + t] = partial[loop.at(o, t)];
            }
        });
    }

    /**
     * Whether the loops with vectors over output channels run {@code g}: many taps, and channels to fill
     * them. They read windows through a position table, so they also serve strides above 1.
     */
    static boolean overChannels(ConvGeometry g) {
        return g.inChannels() * g.kH() * g.kW() >= 32 && g.outChannels() >= GB && g.groups() == 1;
    }

    /** Whether every window of {@code g} lies inside the zero-padded image (always so unless outH/outW were given larger). */
    private static boolean windowsInside(ConvGeometry g) {
        return (g.outH() - 1) * g.strideH() + (g.kH() - 1) * g.dilationH() < g.inH() + 2 * g.padH()
                && (g.outW() - 1) * g.strideW() + (g.kW() - 1) * g.dilationW() < g.inW() + 2 * g.padW();
    }

    /** Whether {@link #backwardWeight} computes {@code g}. */
    static boolean computesWeightGradient(ConvGeometry g) {
        return (overChannels(g) ? windowsInside(g) : applies(g)) || StridedPointwise.applies(g);
    }

    /** One way to sum a task's weight gradient: how it lays out the output gradient, and its tiles. */
    private interface WeightLoop {
        /** Floats of one image's output gradient, rearranged. */
        int gradSize();

        /** Floats of one task's partial sums. */
        int partialSize();

        /** Where a partial keeps output channel {@code o}, tap {@code t}. */
        int at(int o, int t);

        /** Rearranges the output gradient of the task's {@code image}-th of {@code images} from {@code dy[dyOff]} into {@code grad}. */
        void arrange(float[] dy, int dyOff, float[] grad, int image, int images);

        /** Writes the task's partial at {@code off}: its {@code images} padded inputs and gradients summed. */
        void sum(float[] xp, float[] grad, int images, float[] partial, int off);
    }

    /**
     * Vectors over flat positions, reading the output gradient as it is: 4 channels x 2 taps per tile, all
     * of a task's images side by side so each accumulator runs over all of them before its lanes are summed
     * (in lane order) into the partial, laid out {@code [channel block][tap][CB]}.
     */
    private record OverPixels(ConvGeometry g, Layout lay) implements WeightLoop {
        @Override
        public int gradSize() {
            return Math.ceilDiv(g.outChannels(), CB) * CB * lay.flat();
        }

        @Override
        public int partialSize() {
            return Math.ceilDiv(g.outChannels(), CB) * CB * lay.taps();
        }

        @Override
        public int at(int o, int t) {
            return ((o / CB) * lay.taps() + t) * CB + o % CB;
        }

        @Override
        public void arrange(float[] dy, int dyOff, float[] grad, int image, int images) {
            flatten(g, lay, dy, dyOff, grad, image * gradSize());
        }

        @Override
        public void sum(float[] xp, float[] grad, int images, float[] partial, int off) {
            int realTaps = g.inChannels() * g.kH() * g.kW();
            // Looked up once a task, not once a tile: lenet5's second layer runs 2,400 tiles a step.
            float[] lanes = Lanes.buffer();
            for (int ob = 0; ob < Math.ceilDiv(g.outChannels(), CB); ob++) {
                // Taps up to the next pair only: the layout pads them to the other loop's tile.
                for (int t = 0; t < realTaps; t += TB) {
                    channelTile(xp, lay.paddedSize(), lay.offsets(), t, grad, gradSize(), ob * CB * lay.flat(), lay.flat(),
                            images, partial, off + at(ob * CB, t), lanes);
                }
            }
        }
    }

    /**
     * Vectors over output channels, {@code dW^T[tap][o] = sum_q xp[q + offset[tap]] * grad[q][o]}: the output
     * gradient turned pixel-major, then {@link #PB} taps x {@link #GB} channels per tile, each tile summing
     * over all pixels of all of the task's images in registers and writing its part of the partial, laid
     * out {@code [tap][channel]}, once.
     */
    private record OverChannels(ConvGeometry g, Layout lay, int[] positions, int[] channelStep, int[] blocks)
            implements WeightLoop {
        static OverChannels of(ConvGeometry g, Layout lay) {
            return new OverChannels(g, lay, DirectConv.positions(g, lay, 1), GatherMap.of(g.outH() * g.outW()),
                    blocks(roundUp(g.outChannels(), GB), windows3x3(g)));
        }

        /**
         * Where each block of channels starts, and the end: blocks of {@link #WIDE} channels for 3x3 windows, as
         * many as leave a whole number of {@link #GB} blocks (an even number), then blocks of GB. Nine taps by
         * three vectors ran 1.25x as fast as by two in a harness on the Intel Xeon (one core); a wide block with
         * its last vector empty would lose that, so 64 channels stay two blocks of 32 and 128 take 48, 48, 32.
         */
        private static int[] blocks(int channels, boolean windows3x3) {
            int wide = windows3x3 && WIDE > 0 ? channels / WIDE & ~1 : 0;
            int[] starts = new int[wide + (channels - wide * WIDE) / GB + 1];
            for (int b = 1; b < starts.length; b++) {
                starts[b] = starts[b - 1] + (b <= wide ? WIDE : GB);
            }
            return starts;
        }

        private int channels() {
            return blocks[blocks.length - 1];
        }

        @Override
        public int gradSize() {
            return positions.length * channels();
        }

        @Override
        public int partialSize() {
            return lay.taps() * channels();
        }

        @Override
        public int at(int o, int t) {
            return t * channels() + o;
        }

        @Override
        public void arrange(float[] dy, int dyOff, float[] grad, int image, int images) {
            turn(g, blocks, dy, dyOff, grad, image, images, channelStep);
        }

        @Override
        public void sum(float[] xp, float[] grad, int images, float[] partial, int off) {
            // One run over every pixel of every image of the task: the window starts of image i are
            // i * paddedSize further on, and its gradient rows follow the previous image's in each block.
            int pixels = positions.length;
            Scratch s = SCRATCH.get();
            int[] shifts = s.shifts = s.shifts.length >= images * pixels ? s.shifts : new int[images * pixels];
            for (int i = 0; i < images; i++) {
                for (int p = 0; p < pixels; p++) {
                    shifts[i * pixels + p] = i * lay.paddedSize() + positions[p];
                }
            }
            int[] offsets = lay.offsets();
            int taps = roundUp(g.inChannels() * g.kH() * g.kW(), PB);
            int n = images * pixels;
            for (int b = 0; b + 1 < blocks.length; b++) {
                int o = blocks[b];
                int vOff = o * n;
                if (!windows3x3(g)) {
                    for (int t = 0; t < taps; t += PB) {
                        broadcastTile(xp, offsets[t], offsets[t + 1], offsets[t + 2], offsets[t + 3], offsets[t + 4],
                                shifts, n, grad, vOff, partial, off + at(o, t), channels());
                    }
                } else if (blocks[b + 1] - o == WIDE) {
                    for (int c = 0; c < g.inChannels(); c++) {
                        wideWindowTile(xp, offsets[c * 9], lay.wp(), shifts, n, grad, vOff, partial, off + at(o, c * 9),
                                channels());
                    }
                } else if (g.outW() % 2 == 0) {
                    // Rows of an even number of pixels: the task's pixels pair up within rows.
                    for (int c = 0; c < g.inChannels(); c++) {
                        windowPairTile(xp, offsets[c * 9], lay.wp(), g.strideW(), shifts, n, grad, vOff, partial,
                                off + at(o, c * 9), channels());
                    }
                } else {
                    for (int c = 0; c < g.inChannels(); c++) {
                        windowTile(xp, offsets[c * 9], lay.wp(), shifts, n, grad, vOff, partial, off + at(o, c * 9),
                                channels());
                    }
                }
            }
        }
    }

    /** Whether {@code g}'s windows are 3x3 without dilation, the windows {@link #windowTile} reads. */
    private static boolean windows3x3(ConvGeometry g) {
        return g.kH() == 3 && g.kW() == 3 && g.dilationH() == 1 && g.dilationW() == 1;
    }

    /** One image's output gradient in the flat layout, zero in the wasted columns and past the end. */
    private static void flatten(ConvGeometry g, Layout lay, float[] dy, int dyOff, float[] grad, int gradOff) {
        int blocks = Math.ceilDiv(g.outChannels(), CB);
        int outW = g.outW();
        for (int o = 0; o < g.outChannels(); o++) {
            int plane = gradOff + o * lay.flat();
            int end = plane + lay.flat();
            for (int oh = 0; oh < g.outH(); oh++) {
                int row = plane + oh * lay.wp();
                ShortRows.copy(dy, dyOff + (o * g.outH() + oh) * outW, grad, row, outW);
                Arrays.fill(grad, row + outW, Math.min(row + lay.wp(), end), 0f);
            }
            Arrays.fill(grad, Math.min(plane + g.outH() * lay.wp(), end), end, 0f);
        }
        Arrays.fill(grad, gradOff + g.outChannels() * lay.flat(), gradOff + blocks * CB * lay.flat(), 0f);
    }

    /**
     * {@code dW[CB channels][TB taps] = sum over the images and q of grad[c][q] * xp[q + offset[t]]}, the
     * lanes summed in order at the end: 8 accumulators, as in {@link #tile}, so C2 keeps them in registers.
     */
    private static void channelTile(float[] xp, int xpStride, int[] offsets, int t, float[] grad, int gradStride, int gOff,
                                 int flat, int images, float[] partial, int pOff, float[] lanes) {
        FloatVector z = FloatVector.zero(S);
        FloatVector a00 = z, a01 = z, a10 = z, a11 = z, a20 = z, a21 = z, a30 = z, a31 = z;
        for (int i = 0; i < images; i++) {
            int o0 = i * xpStride + offsets[t];
            int o1 = i * xpStride + offsets[t + 1];
            int g0 = i * gradStride + gOff;
            for (int q = 0; q < flat; q += L) {
                FloatVector x0 = FloatVector.fromArray(S, xp, q + o0);
                FloatVector x1 = FloatVector.fromArray(S, xp, q + o1);
                FloatVector d = FloatVector.fromArray(S, grad, g0 + q);
                a00 = d.fma(x0, a00);
                a01 = d.fma(x1, a01);
                d = FloatVector.fromArray(S, grad, g0 + flat + q);
                a10 = d.fma(x0, a10);
                a11 = d.fma(x1, a11);
                d = FloatVector.fromArray(S, grad, g0 + 2 * flat + q);
                a20 = d.fma(x0, a20);
                a21 = d.fma(x1, a21);
                d = FloatVector.fromArray(S, grad, g0 + 3 * flat + q);
                a30 = d.fma(x0, a30);
                a31 = d.fma(x1, a31);
            }
        }
        // partial is laid out [tap][CB]: tap t's four channels, then tap t+1's; each entry is written once.
        a00.intoArray(lanes, 0);
        partial[pOff] = Lanes.sum(lanes);
        a10.intoArray(lanes, 0);
        partial[pOff + 1] = Lanes.sum(lanes);
        a20.intoArray(lanes, 0);
        partial[pOff + 2] = Lanes.sum(lanes);
        a30.intoArray(lanes, 0);
        partial[pOff + 3] = Lanes.sum(lanes);
        a01.intoArray(lanes, 0);
        partial[pOff + CB] = Lanes.sum(lanes);
        a11.intoArray(lanes, 0);
        partial[pOff + CB + 1] = Lanes.sum(lanes);
        a21.intoArray(lanes, 0);
        partial[pOff + CB + 2] = Lanes.sum(lanes);
        a31.intoArray(lanes, 0);
        partial[pOff + CB + 3] = Lanes.sum(lanes);
    }

    /**
     * The output gradient of the task's {@code image}-th of {@code images} into {@code grad}, laid out
     * {@code [block of channels][image][pixel][channel in block]}, the blocks from {@code blocks} (their starts
     * and the end, each a whole number of vectors), so that each block runs through all of the task's pixels
     * in one stretch; zero in the channels past the last.
     */
    private static void turn(ConvGeometry g, int[] blocks, float[] dy, int dyOff, float[] grad, int image, int images,
                             int[] channelStep) {
        int pixels = g.outH() * g.outW();
        int b = 0;
        for (int o = 0; o < blocks[blocks.length - 1]; o += L) {
            b = blocks[b + 1] == o ? b + 1 : b;
            int width = blocks[b + 1] - blocks[b];
            int dst = (blocks[b] * images + image * width) * pixels + o - blocks[b];
            int src = dyOff + o * pixels;
            if (o + L <= g.outChannels()) {
                // A whole vector of channels by gathers, one pixel of L planes each.
                for (int p = 0; p < pixels; p++) {
                    FloatVector.fromArray(S, dy, src + p, channelStep, 0).intoArray(grad, dst + p * width);
                }
                continue;
            }
            for (int p = 0; p < pixels; p++) {
                for (int l = 0; l < L; l++) {
                    grad[dst + p * width + l] = o + l < g.outChannels() ? dy[src + l * pixels + p] : 0f;
                }
            }
        }
    }

    /**
     * {@link #broadcastTile} for {@link #RB} neighbouring pixels whose windows start {@link #RB_STRIDE} apart (an
     * output row of a strided forward pass, or a row of one phase class of the strided input gradient in its spread
     * copy): at {@code base}, {@code base + 2} and so on, offsets that are constants here.
     * C2 then checks the seven reads of a step against the array's bounds as one range and addresses them from one
     * index, where the general tile spends an addition and a bounds check on each pixel: on an Intel core with two
     * FMA ports those integer operations crowd the FMAs out (the tile ran about a third faster alone).
     */
    private static void rowTile(float[] xp, int base, int[] shifts, int n, float[] vectors, int vOff, float[] out,
                                int oOff, int oStride) {
        FloatVector z = FloatVector.zero(S);
        FloatVector a00 = z, a01 = z, a10 = z, a11 = z, a20 = z, a21 = z, a30 = z, a31 = z, a40 = z, a41 = z;
        FloatVector a50 = z, a51 = z, a60 = z, a61 = z;
        for (int j = 0; j < n; j++) {
            int vi = vOff + j * GB;
            FloatVector v0 = FloatVector.fromArray(S, vectors, vi);
            FloatVector v1 = FloatVector.fromArray(S, vectors, vi + L);
            int at = base + shifts[j];
            FloatVector x = FloatVector.broadcast(S, xp[at]);
            a00 = x.fma(v0, a00);
            a01 = x.fma(v1, a01);
            x = FloatVector.broadcast(S, xp[at + RB_STRIDE]);
            a10 = x.fma(v0, a10);
            a11 = x.fma(v1, a11);
            x = FloatVector.broadcast(S, xp[at + 2 * RB_STRIDE]);
            a20 = x.fma(v0, a20);
            a21 = x.fma(v1, a21);
            x = FloatVector.broadcast(S, xp[at + 3 * RB_STRIDE]);
            a30 = x.fma(v0, a30);
            a31 = x.fma(v1, a31);
            x = FloatVector.broadcast(S, xp[at + 4 * RB_STRIDE]);
            a40 = x.fma(v0, a40);
            a41 = x.fma(v1, a41);
            x = FloatVector.broadcast(S, xp[at + 5 * RB_STRIDE]);
            a50 = x.fma(v0, a50);
            a51 = x.fma(v1, a51);
            x = FloatVector.broadcast(S, xp[at + 6 * RB_STRIDE]);
            a60 = x.fma(v0, a60);
            a61 = x.fma(v1, a61);
        }
        a00.intoArray(out, oOff);
        a01.intoArray(out, oOff + L);
        a10.intoArray(out, oOff + oStride);
        a11.intoArray(out, oOff + oStride + L);
        a20.intoArray(out, oOff + 2 * oStride);
        a21.intoArray(out, oOff + 2 * oStride + L);
        a30.intoArray(out, oOff + 3 * oStride);
        a31.intoArray(out, oOff + 3 * oStride + L);
        a40.intoArray(out, oOff + 4 * oStride);
        a41.intoArray(out, oOff + 4 * oStride + L);
        a50.intoArray(out, oOff + 5 * oStride);
        a51.intoArray(out, oOff + 5 * oStride + L);
        a60.intoArray(out, oOff + 6 * oStride);
        a61.intoArray(out, oOff + 6 * oStride + L);
    }

    /**
     * The weight gradient's {@link #broadcastTile} for the nine taps of one input channel's 3x3 window, which start
     * at {@code base} plus 0, 1 and 2 in each of three rows {@code wp} apart: one index per row, the rest constant
     * offsets from it, which C2 checks against the array's bounds as one range (see {@link #rowTile}). 18
     * accumulators; {@code out[tap][0:GB]} for the nine taps in order.
     */
    private static void windowTile(float[] xp, int base, int wp, int[] shifts, int n, float[] vectors, int vOff,
                                   float[] out, int oOff, int oStride) {
        FloatVector z = FloatVector.zero(S);
        FloatVector a00 = z, a01 = z, a10 = z, a11 = z, a20 = z, a21 = z, a30 = z, a31 = z, a40 = z, a41 = z;
        FloatVector a50 = z, a51 = z, a60 = z, a61 = z, a70 = z, a71 = z, a80 = z, a81 = z;
        for (int j = 0; j < n; j++) {
            int vi = vOff + j * GB;
            FloatVector v0 = FloatVector.fromArray(S, vectors, vi);
            FloatVector v1 = FloatVector.fromArray(S, vectors, vi + L);
            int top = base + shifts[j];
            int middle = top + wp;
            int bottom = middle + wp;
            FloatVector x = FloatVector.broadcast(S, xp[top]);
            a00 = x.fma(v0, a00);
            a01 = x.fma(v1, a01);
            x = FloatVector.broadcast(S, xp[top + 1]);
            a10 = x.fma(v0, a10);
            a11 = x.fma(v1, a11);
            x = FloatVector.broadcast(S, xp[top + 2]);
            a20 = x.fma(v0, a20);
            a21 = x.fma(v1, a21);
            x = FloatVector.broadcast(S, xp[middle]);
            a30 = x.fma(v0, a30);
            a31 = x.fma(v1, a31);
            x = FloatVector.broadcast(S, xp[middle + 1]);
            a40 = x.fma(v0, a40);
            a41 = x.fma(v1, a41);
            x = FloatVector.broadcast(S, xp[middle + 2]);
            a50 = x.fma(v0, a50);
            a51 = x.fma(v1, a51);
            x = FloatVector.broadcast(S, xp[bottom]);
            a60 = x.fma(v0, a60);
            a61 = x.fma(v1, a61);
            x = FloatVector.broadcast(S, xp[bottom + 1]);
            a70 = x.fma(v0, a70);
            a71 = x.fma(v1, a71);
            x = FloatVector.broadcast(S, xp[bottom + 2]);
            a80 = x.fma(v0, a80);
            a81 = x.fma(v1, a81);
        }
        a00.intoArray(out, oOff);
        a01.intoArray(out, oOff + L);
        a10.intoArray(out, oOff + oStride);
        a11.intoArray(out, oOff + oStride + L);
        a20.intoArray(out, oOff + 2 * oStride);
        a21.intoArray(out, oOff + 2 * oStride + L);
        a30.intoArray(out, oOff + 3 * oStride);
        a31.intoArray(out, oOff + 3 * oStride + L);
        a40.intoArray(out, oOff + 4 * oStride);
        a41.intoArray(out, oOff + 4 * oStride + L);
        a50.intoArray(out, oOff + 5 * oStride);
        a51.intoArray(out, oOff + 5 * oStride + L);
        a60.intoArray(out, oOff + 6 * oStride);
        a61.intoArray(out, oOff + 6 * oStride + L);
        a70.intoArray(out, oOff + 7 * oStride);
        a71.intoArray(out, oOff + 7 * oStride + L);
        a80.intoArray(out, oOff + 8 * oStride);
        a81.intoArray(out, oOff + 8 * oStride + L);
    }

    /**
     * {@link #windowTile} two pixels a step, neighbours in an output row whose windows start {@code step} floats
     * apart (the stride along the row): pixel {@code j}'s products go into each accumulator before pixel {@code
     * j + 1}'s, the order of {@link #windowTile}, so the sums are the same bits. The second window lies a fixed
     * distance from the first, so a step of 36 FMAs reads one window start and works out its rows' indexes once,
     * where one pixel at a time does that for 18: on a core whose integer instructions share the FMA ports, 1.17x
     * as fast in a harness (Intel Xeon, one core, 32 channels at 28x28). {@code n} is even.
     */
    private static void windowPairTile(float[] xp, int base, int wp, int step, int[] shifts, int n, float[] vectors,
                                       int vOff, float[] out, int oOff, int oStride) {
        FloatVector z = FloatVector.zero(S);
        FloatVector a00 = z, a01 = z, a10 = z, a11 = z, a20 = z, a21 = z, a30 = z, a31 = z, a40 = z, a41 = z;
        FloatVector a50 = z, a51 = z, a60 = z, a61 = z, a70 = z, a71 = z, a80 = z, a81 = z;
        for (int j = 0; j < n; j += 2) {
            int vi = vOff + j * GB;
            FloatVector p0 = FloatVector.fromArray(S, vectors, vi);
            FloatVector p1 = FloatVector.fromArray(S, vectors, vi + L);
            FloatVector q0 = FloatVector.fromArray(S, vectors, vi + GB);
            FloatVector q1 = FloatVector.fromArray(S, vectors, vi + GB + L);
            int top = base + shifts[j];
            int middle = top + wp;
            int bottom = middle + wp;
            FloatVector x = FloatVector.broadcast(S, xp[top]);
            a00 = x.fma(p0, a00);
            a01 = x.fma(p1, a01);
            x = FloatVector.broadcast(S, xp[top + step]);
            a00 = x.fma(q0, a00);
            a01 = x.fma(q1, a01);
            x = FloatVector.broadcast(S, xp[top + 1]);
            a10 = x.fma(p0, a10);
            a11 = x.fma(p1, a11);
            x = FloatVector.broadcast(S, xp[top + step + 1]);
            a10 = x.fma(q0, a10);
            a11 = x.fma(q1, a11);
            x = FloatVector.broadcast(S, xp[top + 2]);
            a20 = x.fma(p0, a20);
            a21 = x.fma(p1, a21);
            x = FloatVector.broadcast(S, xp[top + step + 2]);
            a20 = x.fma(q0, a20);
            a21 = x.fma(q1, a21);
            x = FloatVector.broadcast(S, xp[middle]);
            a30 = x.fma(p0, a30);
            a31 = x.fma(p1, a31);
            x = FloatVector.broadcast(S, xp[middle + step]);
            a30 = x.fma(q0, a30);
            a31 = x.fma(q1, a31);
            x = FloatVector.broadcast(S, xp[middle + 1]);
            a40 = x.fma(p0, a40);
            a41 = x.fma(p1, a41);
            x = FloatVector.broadcast(S, xp[middle + step + 1]);
            a40 = x.fma(q0, a40);
            a41 = x.fma(q1, a41);
            x = FloatVector.broadcast(S, xp[middle + 2]);
            a50 = x.fma(p0, a50);
            a51 = x.fma(p1, a51);
            x = FloatVector.broadcast(S, xp[middle + step + 2]);
            a50 = x.fma(q0, a50);
            a51 = x.fma(q1, a51);
            x = FloatVector.broadcast(S, xp[bottom]);
            a60 = x.fma(p0, a60);
            a61 = x.fma(p1, a61);
            x = FloatVector.broadcast(S, xp[bottom + step]);
            a60 = x.fma(q0, a60);
            a61 = x.fma(q1, a61);
            x = FloatVector.broadcast(S, xp[bottom + 1]);
            a70 = x.fma(p0, a70);
            a71 = x.fma(p1, a71);
            x = FloatVector.broadcast(S, xp[bottom + step + 1]);
            a70 = x.fma(q0, a70);
            a71 = x.fma(q1, a71);
            x = FloatVector.broadcast(S, xp[bottom + 2]);
            a80 = x.fma(p0, a80);
            a81 = x.fma(p1, a81);
            x = FloatVector.broadcast(S, xp[bottom + step + 2]);
            a80 = x.fma(q0, a80);
            a81 = x.fma(q1, a81);
        }
        a00.intoArray(out, oOff);
        a01.intoArray(out, oOff + L);
        a10.intoArray(out, oOff + oStride);
        a11.intoArray(out, oOff + oStride + L);
        a20.intoArray(out, oOff + 2 * oStride);
        a21.intoArray(out, oOff + 2 * oStride + L);
        a30.intoArray(out, oOff + 3 * oStride);
        a31.intoArray(out, oOff + 3 * oStride + L);
        a40.intoArray(out, oOff + 4 * oStride);
        a41.intoArray(out, oOff + 4 * oStride + L);
        a50.intoArray(out, oOff + 5 * oStride);
        a51.intoArray(out, oOff + 5 * oStride + L);
        a60.intoArray(out, oOff + 6 * oStride);
        a61.intoArray(out, oOff + 6 * oStride + L);
        a70.intoArray(out, oOff + 7 * oStride);
        a71.intoArray(out, oOff + 7 * oStride + L);
        a80.intoArray(out, oOff + 8 * oStride);
        a81.intoArray(out, oOff + 8 * oStride + L);
    }

    /**
     * {@link #windowTile} over {@link #WIDE} channels, three vectors: 27 accumulators, three loads and nine
     * broadcasts for 27 FMAs where two vectors spend two and nine for 18.
     */
    private static void wideWindowTile(float[] xp, int base, int wp, int[] shifts, int n, float[] vectors, int vOff,
                                       float[] out, int oOff, int oStride) {
        FloatVector z = FloatVector.zero(S);
        FloatVector a00 = z, a01 = z, a02 = z, a10 = z, a11 = z, a12 = z, a20 = z, a21 = z, a22 = z;
        FloatVector a30 = z, a31 = z, a32 = z, a40 = z, a41 = z, a42 = z, a50 = z, a51 = z, a52 = z;
        FloatVector a60 = z, a61 = z, a62 = z, a70 = z, a71 = z, a72 = z, a80 = z, a81 = z, a82 = z;
        for (int j = 0; j < n; j++) {
            int vi = vOff + j * WIDE;
            FloatVector v0 = FloatVector.fromArray(S, vectors, vi);
            FloatVector v1 = FloatVector.fromArray(S, vectors, vi + L);
            FloatVector v2 = FloatVector.fromArray(S, vectors, vi + 2 * L);
            int top = base + shifts[j];
            int middle = top + wp;
            int bottom = middle + wp;
            FloatVector x = FloatVector.broadcast(S, xp[top]);
            a00 = x.fma(v0, a00);
            a01 = x.fma(v1, a01);
            a02 = x.fma(v2, a02);
            x = FloatVector.broadcast(S, xp[top + 1]);
            a10 = x.fma(v0, a10);
            a11 = x.fma(v1, a11);
            a12 = x.fma(v2, a12);
            x = FloatVector.broadcast(S, xp[top + 2]);
            a20 = x.fma(v0, a20);
            a21 = x.fma(v1, a21);
            a22 = x.fma(v2, a22);
            x = FloatVector.broadcast(S, xp[middle]);
            a30 = x.fma(v0, a30);
            a31 = x.fma(v1, a31);
            a32 = x.fma(v2, a32);
            x = FloatVector.broadcast(S, xp[middle + 1]);
            a40 = x.fma(v0, a40);
            a41 = x.fma(v1, a41);
            a42 = x.fma(v2, a42);
            x = FloatVector.broadcast(S, xp[middle + 2]);
            a50 = x.fma(v0, a50);
            a51 = x.fma(v1, a51);
            a52 = x.fma(v2, a52);
            x = FloatVector.broadcast(S, xp[bottom]);
            a60 = x.fma(v0, a60);
            a61 = x.fma(v1, a61);
            a62 = x.fma(v2, a62);
            x = FloatVector.broadcast(S, xp[bottom + 1]);
            a70 = x.fma(v0, a70);
            a71 = x.fma(v1, a71);
            a72 = x.fma(v2, a72);
            x = FloatVector.broadcast(S, xp[bottom + 2]);
            a80 = x.fma(v0, a80);
            a81 = x.fma(v1, a81);
            a82 = x.fma(v2, a82);
        }
        a00.intoArray(out, oOff);
        a01.intoArray(out, oOff + L);
        a02.intoArray(out, oOff + 2 * L);
        a10.intoArray(out, oOff + oStride);
        a11.intoArray(out, oOff + oStride + L);
        a12.intoArray(out, oOff + oStride + 2 * L);
        a20.intoArray(out, oOff + 2 * oStride);
        a21.intoArray(out, oOff + 2 * oStride + L);
        a22.intoArray(out, oOff + 2 * oStride + 2 * L);
        a30.intoArray(out, oOff + 3 * oStride);
        a31.intoArray(out, oOff + 3 * oStride + L);
        a32.intoArray(out, oOff + 3 * oStride + 2 * L);
        a40.intoArray(out, oOff + 4 * oStride);
        a41.intoArray(out, oOff + 4 * oStride + L);
        a42.intoArray(out, oOff + 4 * oStride + 2 * L);
        a50.intoArray(out, oOff + 5 * oStride);
        a51.intoArray(out, oOff + 5 * oStride + L);
        a52.intoArray(out, oOff + 5 * oStride + 2 * L);
        a60.intoArray(out, oOff + 6 * oStride);
        a61.intoArray(out, oOff + 6 * oStride + L);
        a62.intoArray(out, oOff + 6 * oStride + 2 * L);
        a70.intoArray(out, oOff + 7 * oStride);
        a71.intoArray(out, oOff + 7 * oStride + L);
        a72.intoArray(out, oOff + 7 * oStride + 2 * L);
        a80.intoArray(out, oOff + 8 * oStride);
        a81.intoArray(out, oOff + 8 * oStride + L);
        a82.intoArray(out, oOff + 8 * oStride + 2 * L);
    }

    /**
     * The tile of both loops over output channels: {@code out[i][0:GB] = sum over j < n of
     * xp[base_i + shifts[j]] * vectors[vOff + j*GB : +GB]} for five bases i, with 10 accumulators, 2 vectors
     * and a broadcast, which C2 keeps in registers. The forward pass runs it with five pixels' window
     * starts as bases over the taps' offsets (vectors: the weights of tap j); the weight gradient with five
     * taps' offsets as bases over the window starts of all of a task's pixels (vectors: the output gradient
     * at pixel j).
     */
    private static void broadcastTile(float[] xp, int b0, int b1, int b2, int b3, int b4, int[] shifts, int n,
                                      float[] vectors, int vOff, float[] out, int oOff, int oStride) {
        FloatVector z = FloatVector.zero(S);
        FloatVector a00 = z, a01 = z, a10 = z, a11 = z, a20 = z, a21 = z, a30 = z, a31 = z, a40 = z, a41 = z;
        for (int j = 0; j < n; j++) {
            int vi = vOff + j * GB;
            FloatVector v0 = FloatVector.fromArray(S, vectors, vi);
            FloatVector v1 = FloatVector.fromArray(S, vectors, vi + L);
            int shift = shifts[j];
            FloatVector x = FloatVector.broadcast(S, xp[b0 + shift]);
            a00 = x.fma(v0, a00);
            a01 = x.fma(v1, a01);
            x = FloatVector.broadcast(S, xp[b1 + shift]);
            a10 = x.fma(v0, a10);
            a11 = x.fma(v1, a11);
            x = FloatVector.broadcast(S, xp[b2 + shift]);
            a20 = x.fma(v0, a20);
            a21 = x.fma(v1, a21);
            x = FloatVector.broadcast(S, xp[b3 + shift]);
            a30 = x.fma(v0, a30);
            a31 = x.fma(v1, a31);
            x = FloatVector.broadcast(S, xp[b4 + shift]);
            a40 = x.fma(v0, a40);
            a41 = x.fma(v1, a41);
        }
        // Stored here, not through a helper: a vector passed to a method is boxed wherever C2 does not inline it.
        a00.intoArray(out, oOff);
        a01.intoArray(out, oOff + L);
        a10.intoArray(out, oOff + oStride);
        a11.intoArray(out, oOff + oStride + L);
        a20.intoArray(out, oOff + 2 * oStride);
        a21.intoArray(out, oOff + 2 * oStride + L);
        a30.intoArray(out, oOff + 3 * oStride);
        a31.intoArray(out, oOff + 3 * oStride + L);
        a40.intoArray(out, oOff + 4 * oStride);
        a41.intoArray(out, oOff + 4 * oStride + L);
    }
}
