package io.cnn4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The fast CPU kernels: matrix multiply on the Vector API ({@link Gemm}), convolution as im2col plus
 * that multiply with the images of a batch spread over the threads, and vectorised element-wise
 * functions. Tested against {@link ReferenceKernels}, which also serves the functions that are not
 * on any hot path.
 *
 * <p>Determinism: the result of every kernel is independent of the thread count. Work is split into
 * tasks whose size does not depend on the threads, and reductions over tasks (the weight gradient
 * summed over images) add the partial results in task order.
 *
 * <p>Threads may share one instance (two models training in one JVM): every scratch array belongs to
 * the calling thread, and the parallel loops of different callers take turns on the worker threads.
 *
 * <p>Convolution paths: each pass of a convolution (forward, input gradient, weight gradient) can run as
 * im2col plus {@link Gemm}, {@link DirectConv} or {@link Winograd} in 2x2 or 4x4 tiles, and a 3-D one by
 * vol2col or over its frames. Which is fastest depends on the layer's shape and on the processor (its vector
 * width, caches and FMA ports), so under {@link ConvAlgorithm#AUTO} the first call of each pass of each
 * shape times the paths that apply, on the call's own arrays, and keeps the fastest in a {@link TuningCache}:
 * later calls, and later processes on a machine with the same processor, take the kept path. The paths
 * round differently, so a kept choice is what makes a machine compute the same bits run after run; the
 * thread count is not part of the choice, so results stay equal across thread counts. Without a cache that
 * measures ({@link TuningCache#none()}), or under {@link ConvAlgorithm#RULES}, fixed rules timed on AMD Zen
 * machines choose.
 */
public final class CpuKernels implements Kernels, AutoCloseable {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Images per task of the weight gradient: each task keeps one partial gradient. */
    private static final int IMAGES_PER_TASK = 8;
    /** Channel planes per task of pooling. */
    private static final int PLANES_PER_TASK = 64;
    /** Elements per task of the element-wise kernels that are split over threads. */
    private static final int ELEMENTS_PER_TASK = 1 << 16;
    /**
     * Outputs of a linear layer up to which it runs as dot products rather than on {@link Gemm}, whose panels
     * would be a quarter full or less.
     */
    private static final int FEW_OUTPUTS = 16;
    /**
     * Columns a lowered convolution's multiply should have to fill the micro-kernel's tiles: an image with
     * fewer output positions (a 7x7 map has 49, under one 64-float panel) leaves most of each panel empty and
     * passes over the weights or the gradient's [out, k] result once per image, so several images' column
     * matrices then stand side by side in one multiply.
     */
    private static final int COLUMNS_WIDTH = 256;

    /**
     * Below this many multiply-adds a pass runs in a fraction of a millisecond: measuring would cost more than
     * any choice could gain, so the fixed rules choose (a single image's predictions need no measuring).
     */
    private static final long MEASURED_MACS = 10_000_000L;

    private final Parallel parallel;
    private final ConvAlgorithm algorithm;
    private final TuningCache tuning;
    /** The path of each shape and pass met so far, by {@link ConvPass#ordinal()}: found without allocating. */
    private final List<Map<ConvGeometry, ConvPath>> paths = List.of(new ConcurrentHashMap<>(), new ConcurrentHashMap<>(),
            new ConcurrentHashMap<>());
    private final List<Map<Conv3dGeometry, ConvPath>> volumePaths = List.of(new ConcurrentHashMap<>(),
            new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
    private final ReferenceKernels reference = new ReferenceKernels();
    /**
     * Scratch of each calling thread, kept for its next call: column matrices, and the weight gradient's
     * per-task partial sums, which the caller adds up after its parallel loop. Per thread, so that threads
     * sharing these kernels (two models training in one JVM) never write into each other's.
     */
    private final ThreadLocal<float[]> columns = new ThreadLocal<>();
    private final ThreadLocal<float[]> partials = new ThreadLocal<>();
    /** Scratch of a 3-D convolution run as 2-D ones over its frames ({@link Frames}): inputs, outputs, their sum. */
    private final ThreadLocal<float[]> frameInputs = new ThreadLocal<>();
    private final ThreadLocal<float[]> frameOutputs = new ThreadLocal<>();
    private final ThreadLocal<float[]> frameSums = new ThreadLocal<>();
    /** Outputs or output gradients of several images side by side, for a multiply over their column matrices. */
    private final ThreadLocal<float[]> sideBySide = new ThreadLocal<>();

    /** Kernels on {@code threads} threads that keep their measured choices in {@link TuningCache#defaultCache()}. */
    public CpuKernels(int threads) {
        this(threads, ConvAlgorithm.AUTO);
    }

    /** Kernels that compute convolutions by {@code algorithm}, measuring where it is AUTO, into the default cache. */
    public CpuKernels(int threads, ConvAlgorithm algorithm) {
        this(threads, algorithm, TuningCache.defaultCache());
    }

    /** Kernels that keep their measured choices in {@code tuning} ({@link TuningCache#none()}: fixed rules). */
    public CpuKernels(int threads, TuningCache tuning) {
        this(threads, ConvAlgorithm.AUTO, tuning);
    }

    /** Kernels that compute convolutions by {@code algorithm} and keep what they measure in {@code tuning}. */
    CpuKernels(int threads, ConvAlgorithm algorithm, TuningCache tuning) {
        this.parallel = new Parallel(threads);
        this.algorithm = algorithm;
        this.tuning = tuning;
    }

    /** Where these kernels keep the choices they measure. */
    public TuningCache tuning() {
        return tuning;
    }

    public int threads() {
        return parallel.threads();
    }

    @Override
    public String name() {
        return "cpu (" + S.length() + "-lane vectors, " + parallel.threads() + " thread" + (parallel.threads() == 1 ? "" : "s")
                + (algorithm == ConvAlgorithm.AUTO ? ")" : ", " + algorithm.name().toLowerCase() + " convolution)");
    }

    private float[] columnBuffer(int size) {
        return atLeast(columns, size);
    }

    private float[] partialBuffer(int size) {
        return atLeast(partials, size);
    }

    /** The calling thread's array in {@code scratch}, replaced by a new one if it holds fewer than {@code size} floats. */
    static float[] atLeast(ThreadLocal<float[]> scratch, int size) {
        float[] buf = scratch.get();
        if (buf == null || buf.length < size) {
            buf = new float[size];
            scratch.set(buf);
        }
        return buf;
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        Gemm.multiply(parallel, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    private static boolean isPointwise(ConvGeometry g) {
        return g.kH() == 1 && g.kW() == 1 && g.strideH() == 1 && g.strideW() == 1 && g.padH() == 0 && g.padW() == 0
                && g.outH() == g.inH() && g.outW() == g.inW();
    }

    /**
     * Whether the direct path computes this pass of {@code g} by the rules (AUTO's where it does not measure):
     * every pass of a 1x1 layer with a stride that {@link StridedPointwise} takes (0.85x im2col's time in
     * resnet's step on an Intel Xeon), else {@link DirectConv} where the thresholds say, which come from
     * timing each pass of the built-in models' layers both ways on AMD Zen machines. The forward pass goes
     * direct wherever a tile has at least 9 taps (a 3x3 kernel on one channel) to sum between its stores,
     * and for strides above 1 wherever the loop over output channels applies to a kernel larger than 1x1;
     * the input gradient up to ~600 output-channel taps, and beyond that wherever it has 16 input channels
     * to fill its tiles with (im2col's scatter back into the image is scalar); the weight gradient up to 160
     * taps, and beyond that wherever its loop over output channels applies, which reads windows through a
     * position table and so takes strides above 1 too, but not for 1x1 kernels, whose im2col is a plain copy.
     */
    private boolean direct(ConvGeometry g, ConvPass pass) {
        if (StridedPointwise.applies(g)) {
            return algorithm != ConvAlgorithm.IM2COL;
        }
        int kernel = g.kH() * g.kW();
        if (pass == ConvPass.WEIGHT_GRADIENT) {
            return switch (algorithm) {
                case IM2COL -> false;
                case DIRECT -> DirectConv.computesWeightGradient(g);
                case AUTO, RULES, WINOGRAD -> DirectConv.computesWeightGradient(g)
                        && (DirectConv.overChannels(g) ? kernel > 1 : g.inChannels() * kernel <= 160);
            };
        }
        if (pass == ConvPass.FORWARD) {
            return switch (algorithm) {
                case IM2COL -> false;
                case DIRECT -> DirectConv.computesForward(g);
                case AUTO, RULES, WINOGRAD -> DirectConv.applies(g) ? g.inChannels() * kernel >= 9 : DirectConv.computesForward(g) && kernel > 1;
            };
        }
        return switch (algorithm) {
            case IM2COL -> false;
            case DIRECT -> DirectConv.computesInputGradient(g);
            case AUTO, RULES, WINOGRAD -> DirectConv.applies(g) ? g.outChannels() * kernel <= 600 || g.inChannels() >= 16
                    : DirectConv.computesInputGradient(g);
        };
    }

    /**
     * Whether this pass of {@code g} goes through {@link Winograd}: by the rules, 3x3 stride-1 layers with
     * channels enough on each side, as timed against {@link DirectConv} per pass. With
     * fewer channels the transforms cost more than the multiplies save. With 8 lanes (AVX2) the forward pass
     * and input gradient gain from 32 channels, the weight gradient, whose GEMMs must pack both transformed
     * operands, only from 64. With 16 lanes (AVX-512) the direct tiles hold twice the channels per register
     * and win more often: Winograd starts at 64 channels, or at 32 in 4x4 tiles (Zen 4, batch 64, 32 to 64
     * channels at 14x14: 1.9 against 3.1 ms; 32 channels at 28x28, batch 128: 10.6 against 11.6), and takes
     * the weight gradient from 128 (128 channels at 7x7: 5.1 against 5.9 ms at batch 64, 9.4 against 11.1
     * at 128; level at 64 channels, 14x14). The tile size is {@link Winograd#tileSize}'s; with 16 lanes the
     * weight gradient takes 4x4 tiles too (128 channels at 7x7, 2 threads, Zen 5: 3.9-4.2 against 4.1-4.4 ms
     * at batch 64, 4.3-4.8 against 6.9-7.9 at 128; in the Intel Xeon's resnet step 4.1-4.3 against 5.0-6.9).
     */
    private boolean winograd(ConvGeometry g, ConvPass pass) {
        return switch (algorithm) {
            case WINOGRAD -> Winograd.applies(g);
            case AUTO, RULES -> Winograd.applies(g)
                    && Math.min(g.inChannels(), g.outChannels()) >= winogradChannels(pass, largeTiles(g, pass));
            case IM2COL, DIRECT -> false;
        };
    }

    /** Whether Winograd computes this pass of {@code g} in 4x4 tiles ({@link WinogradF4}). */
    private static boolean largeTiles(ConvGeometry g, ConvPass pass) {
        return switch (pass) {
            case FORWARD -> Winograd.tileSize(g.batch(), g.outH(), g.outW()) == WinogradF4.M;
            case INPUT_GRADIENT -> Winograd.tileSize(g.batch(), g.inH(), g.inW()) == WinogradF4.M;
            case WEIGHT_GRADIENT -> S.length() >= 16 && Winograd.tileSize(g.batch(), g.outH(), g.outW()) == WinogradF4.M;
        };
    }

    private static int winogradChannels(ConvPass pass, boolean largeTiles) {
        boolean wide = S.length() >= 16;
        if (pass == ConvPass.WEIGHT_GRADIENT) {
            return wide ? 128 : 64;
        }
        return wide && !largeTiles ? 64 : 32;
    }

    /** The fixed rules' path for {@code pass} of {@code g}: Winograd, else direct, else im2col. */
    private ConvPath rule(ConvGeometry g, ConvPass pass) {
        if (winograd(g, pass)) {
            return largeTiles(g, pass) ? ConvPath.WINOGRAD_F4 : ConvPath.WINOGRAD_F2;
        }
        return direct(g, pass) ? ConvPath.DIRECT : ConvPath.IM2COL;
    }

    /**
     * The path of {@code pass} of {@code g} on its first call: the rule's, or under AUTO with a cache that measures
     * the one the cache keeps, measured now by {@code run} (one call on a given path) where it keeps none. Kept for
     * the later calls, which find it without allocating.
     */
    private ConvPath resolve(ConvGeometry g, ConvPass pass, Consumer<ConvPath> run) {
        ConvPath path = choose(ConvPath.key(g, pass), rule(g, pass), ConvPath.candidates(g, pass), g.macs(), run);
        ConvPath earlier = paths.get(pass.ordinal()).putIfAbsent(g, path);
        return earlier == null ? path : earlier;
    }

    /** Whether a pass with these candidates and multiply-adds is chosen by measurement. */
    private boolean measures(List<ConvPath> candidates, long macs) {
        return algorithm == ConvAlgorithm.AUTO && tuning.measures() && candidates.size() > 1 && macs >= MEASURED_MACS;
    }

    private ConvPath choose(String key, ConvPath rule, List<ConvPath> candidates, long macs, Consumer<ConvPath> run) {
        if (!measures(candidates, macs)) {
            return rule;
        }
        return tuning.choice(key, () -> FastestCandidate.among(candidates, rule, run).label())
                .flatMap(ConvPath::of).filter(candidates::contains).orElse(rule);
    }

    /** The path a cache names for {@code key} (one measured earlier), or the rule's where it names none this shape takes. */
    private ConvPath kept(String key, ConvPath rule, List<ConvPath> candidates, long macs) {
        if (!measures(candidates, macs)) {
            return rule;
        }
        String label = tuning.choices().get(key);
        return label == null ? rule : ConvPath.of(label).filter(candidates::contains).orElse(rule);
    }

    /** The path calls of this shape and pass took, or for one not called yet the path the cache or the rule names. */
    @Override
    public String convolutionPath(ConvGeometry g, ConvPass pass) {
        ConvPath taken = paths.get(pass.ordinal()).get(g);
        return (taken != null ? taken : kept(ConvPath.key(g, pass), rule(g, pass), ConvPath.candidates(g, pass), g.macs())).label();
    }

    @Override
    public String convolutionPath(Conv3dGeometry g, ConvPass pass) {
        ConvPath taken = volumePaths.get(pass.ordinal()).get(g);
        return (taken != null ? taken : kept(ConvPath.key(g, pass), rule(g), ConvPath.VOLUME_PATHS, g.macs())).label();
    }

    @Override
    public void conv2d(ConvGeometry g, float[] x, float[] w, float[] bias, boolean relu, float[] y) {
        ConvPath path = paths.get(ConvPass.FORWARD.ordinal()).get(g);
        if (path == null) {
            path = resolve(g, ConvPass.FORWARD, p -> forward(p, g, x, w, bias, relu, y));
        }
        forward(path, g, x, w, bias, relu, y);
    }

    /** The forward pass on {@code path}, one of {@link ConvPath#candidates}; package-private for the tests of every path. */
    void forward(ConvPath path, ConvGeometry g, float[] x, float[] w, float[] bias, boolean relu, float[] y) {
        switch (path) {
            case WINOGRAD_F2 -> Winograd.forward(parallel, g, 2, x, w, bias, relu, y);
            case WINOGRAD_F4 -> Winograd.forward(parallel, g, WinogradF4.M, x, w, bias, relu, y);
            case DIRECT -> DirectConv.forward(parallel, g, x, w, bias, relu, y);
            default -> forwardByColumns(lowered(g), x, w, bias, relu, y);
        }
    }

    /** {@code y[off:off+len] = max(y + bias, 0)} (or without the max), one pass while it is in cache. */
    private static void biasRelu(float[] y, int off, int len, float bias, boolean relu) {
        FloatVector bv = FloatVector.broadcast(S, bias);
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (int end = S.loopBound(len); i < end; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, y, off + i).add(bv);
            (relu ? v.max(zero) : v).intoArray(y, off + i);
        }
        for (; i < len; i++) {
            float v = y[off + i] + bias;
            y[off + i] = relu ? Math.max(v, 0f) : v;
        }
    }

    @Override
    public void conv2dBackwardInput(ConvGeometry g, float[] dy, float[] w, float[] dx) {
        ConvPath path = paths.get(ConvPass.INPUT_GRADIENT.ordinal()).get(g);
        if (path == null) {
            path = resolve(g, ConvPass.INPUT_GRADIENT, p -> backwardInput(p, g, dy, w, dx));
        }
        backwardInput(path, g, dy, w, dx);
    }

    void backwardInput(ConvPath path, ConvGeometry g, float[] dy, float[] w, float[] dx) {
        switch (path) {
            case WINOGRAD_F2 -> Winograd.backwardInput(parallel, g, 2, dy, w, dx);
            case WINOGRAD_F4 -> Winograd.backwardInput(parallel, g, WinogradF4.M, dy, w, dx);
            case DIRECT -> DirectConv.backwardInput(parallel, g, dy, w, dx);
            default -> inputGradientByColumns(lowered(g), dy, w, dx);
        }
    }

    @Override
    public void conv2dBackwardWeight(ConvGeometry g, float[] x, float[] dy, float[] dw, float[] dbias) {
        ConvPath path = paths.get(ConvPass.WEIGHT_GRADIENT.ordinal()).get(g);
        if (path == null) {
            path = resolve(g, ConvPass.WEIGHT_GRADIENT, p -> backwardWeight(p, g, x, dy, dw));
        }
        backwardWeight(path, g, x, dy, dw);
        if (dbias != null) {
            biasGradient(dy, g.batch(), g.outChannels(), g.outH() * g.outW(), dbias);
        }
    }

    void backwardWeight(ConvPath path, ConvGeometry g, float[] x, float[] dy, float[] dw) {
        switch (path) {
            case WINOGRAD_F2 -> Winograd.backwardWeight(parallel, g, x, dy, dw, this::partialBuffer);
            case WINOGRAD_F4 -> Winograd.backwardWeightF4(parallel, g, x, dy, dw, this::partialBuffer);
            case DIRECT -> DirectConv.backwardWeight(parallel, g, x, dy, dw, this::partialBuffer);
            default -> weightGradientByColumns(lowered(g), x, dy, dw, IMAGES_PER_TASK);
        }
    }

    @Override
    public void linear(int batch, int in, int out, float[] x, float[] w, float[] bias, boolean relu, float[] y) {
        if (out <= FEW_OUTPUTS && in >= S.length()) {
            overRows(batch, in * out, n -> dotProducts(in, out, x, n * in, w, y, n * out));
        } else {
            Gemm.multiply(parallel, false, true, batch, out, in, x, 0, in, w, 0, in, 0f, y, 0, out);
        }
        if (bias != null || relu) {
            for (int n = 0; n < batch; n++) {
                if (bias != null) {
                    add(bias, 0, y, n * out, out);
                }
                if (relu) {
                    relu(y, y, n * out, out);
                }
            }
        }
    }

    /**
     * Runs {@code row} for rows {@code [0, rows)} in tasks of about {@link #ELEMENTS_PER_TASK} multiply-adds
     * ({@code work} a row); a row is one task's, so its sums do not depend on the thread count.
     */
    private void overRows(int rows, int work, IntConsumer row) {
        parallel.forEachItem(rows, Math.max(1, ELEMENTS_PER_TASK / Math.max(work, 1)), row);
    }

    /**
     * {@code y[yOff + o] = x[xOff..xOff+in) . w[o*in..o*in+in)} for {@code o < out}, four outputs at a time,
     * vectors along {@code in}, each sum's lanes added in lane order and then its tail. A classifier's few
     * outputs (10) would fill a sixth of the GEMM's panels, and its packing would copy the whole input for a
     * multiply-add per element: seed's 4608 -> 10 at batch 64 took 0.42 ms there.
     */
    private static void dotProducts(int in, int out, float[] x, int xOff, float[] w, float[] y, int yOff) {
        float[] lanes = Lanes.buffer();
        int bound = S.loopBound(in);
        for (int o = 0; o < out; o += 4) {
            int w0 = o * in;
            int w1 = Math.min(o + 1, out - 1) * in;
            int w2 = Math.min(o + 2, out - 1) * in;
            int w3 = Math.min(o + 3, out - 1) * in;
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            for (int k = 0; k < bound; k += S.length()) {
                FloatVector v = FloatVector.fromArray(S, x, xOff + k);
                a0 = v.fma(FloatVector.fromArray(S, w, w0 + k), a0);
                a1 = v.fma(FloatVector.fromArray(S, w, w1 + k), a1);
                a2 = v.fma(FloatVector.fromArray(S, w, w2 + k), a2);
                a3 = v.fma(FloatVector.fromArray(S, w, w3 + k), a3);
            }
            // Stored here, not through a helper: a vector passed to a method is boxed wherever C2 does not inline it.
            a0.intoArray(lanes, 0);
            y[yOff + o] = tail(Lanes.sum(lanes), x, xOff, w, w0, bound, in);
            if (o + 1 < out) {
                a1.intoArray(lanes, 0);
                y[yOff + o + 1] = tail(Lanes.sum(lanes), x, xOff, w, w1, bound, in);
            }
            if (o + 2 < out) {
                a2.intoArray(lanes, 0);
                y[yOff + o + 2] = tail(Lanes.sum(lanes), x, xOff, w, w2, bound, in);
            }
            if (o + 3 < out) {
                a3.intoArray(lanes, 0);
                y[yOff + o + 3] = tail(Lanes.sum(lanes), x, xOff, w, w3, bound, in);
            }
        }
    }

    /** {@code sum} plus the products of {@code x} and {@code w} from {@code k0} to {@code in}, in order. */
    private static float tail(float sum, float[] x, int xOff, float[] w, int wOff, int k0, int in) {
        for (int k = k0; k < in; k++) {
            sum = Math.fma(x[xOff + k], w[wOff + k], sum);
        }
        return sum;
    }

    /** {@code dst[dOff:dOff+len] += src[sOff:sOff+len]}. */
    private static void add(float[] src, int sOff, float[] dst, int dOff, int len) {
        int i = 0;
        for (int end = S.loopBound(len); i < end; i += S.length()) {
            FloatVector.fromArray(S, dst, dOff + i).add(FloatVector.fromArray(S, src, sOff + i)).intoArray(dst, dOff + i);
        }
        for (; i < len; i++) {
            dst[dOff + i] += src[sOff + i];
        }
    }

    @Override
    public void maxPool2d(PoolGeometry g, float[] x, float[] y, int[] argmax) {
        if (!MaxPool2x2.applies(g)) {
            Pool3dGeometry v = volumes(g);
            overPlanes(g.planes(), (from, to) -> Pool3d.max(v, from, to, x, y, argmax));
            return;
        }
        parallel.forEach(Math.ceilDiv(g.planes(), PLANES_PER_TASK), t -> {
            int from = t * PLANES_PER_TASK;
            MaxPool2x2.forward(g, from, Math.min(g.planes(), from + PLANES_PER_TASK), x, y, argmax);
        });
    }

    @Override
    public void maxPool2dBackward(PoolGeometry g, float[] dy, int[] argmax, float[] dx) {
        parallel.forEach(Math.ceilDiv(g.planes(), PLANES_PER_TASK), t -> {
            int from = t * PLANES_PER_TASK;
            int to = Math.min(g.planes(), from + PLANES_PER_TASK);
            if (MaxPool2x2.applies(g)) {
                MaxPool2x2.backward(g, from, to, dy, argmax, dx);
                return;
            }
            Arrays.fill(dx, from * g.inputPlaneSize(), to * g.inputPlaneSize(), 0f);
            for (int pl = from; pl < to; pl++) {
                int xOff = pl * g.inputPlaneSize();
                int yOff = pl * g.outputPlaneSize();
                for (int o = 0; o < g.outputPlaneSize(); o++) {
                    dx[xOff + argmax[yOff + o]] += dy[yOff + o];
                }
            }
        });
    }

    @Override
    public void avgPool2d(PoolGeometry g, boolean countPadding, float[] x, float[] y) {
        avgPool3d(volumes(g), countPadding, x, y);
    }

    @Override
    public void avgPool2dBackward(PoolGeometry g, boolean countPadding, float[] dy, float[] dx) {
        avgPool3dBackward(volumes(g), countPadding, dy, dx);
    }

    /**
     * A 2-D pooling as a 3-D one of depth 1, whose loops over ranges of planes spread over the threads; they
     * visit each window in the reference's order, so the results are the reference's bit for bit.
     */
    private static Pool3dGeometry volumes(PoolGeometry g) {
        return new Pool3dGeometry(g.planes(), 1, g.inH(), g.inW(), 1, g.kH(), g.kW(), 1, g.strideH(), g.strideW(), 0, g.padH(),
                g.padW(), 1, 1, 1, 1, g.outH(), g.outW());
    }

    @Override
    public void relu(float[] x, float[] y, int n) {
        relu(x, y, 0, n);
    }

    private static void relu(float[] x, float[] y, int off, int n) {
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += S.length()) {
            FloatVector.fromArray(S, x, off + i).max(zero).intoArray(y, off + i);
        }
        for (; i < n; i++) {
            y[off + i] = Math.max(x[off + i], 0f);
        }
    }

    @Override
    public void reluBackward(float[] y, float[] dy, float[] dx, int n) {
        inRanges(n, (from, to) -> reluBackward(y, dy, dx, from, to));
    }

    /** Elements {@code [from, to)} of an element-wise pass. */
    @FunctionalInterface
    private interface Range {
        void run(int from, int to);
    }

    /**
     * An element-wise pass over {@code n} elements in ranges of {@link #ELEMENTS_PER_TASK} on the pool's
     * threads: a step's activations are megabytes, too much for one thread to pass over while the others
     * wait.
     */
    private void inRanges(int n, Range body) {
        parallel.forEach(Math.ceilDiv(n, ELEMENTS_PER_TASK), t -> {
            int from = t * ELEMENTS_PER_TASK;
            body.run(from, Math.min(n, from + ELEMENTS_PER_TASK));
        });
    }

    private static void reluBackward(float[] y, float[] dy, float[] dx, int from, int to) {
        FloatVector zero = FloatVector.zero(S);
        int i = from;
        for (int end = from + S.loopBound(to - from); i < end; i += S.length()) {
            var positive = FloatVector.fromArray(S, y, i).compare(VectorOperators.GT, 0f);
            FloatVector.fromArray(S, dy, i).blend(zero, positive.not()).intoArray(dx, i);
        }
        for (; i < to; i++) {
            dx[i] = y[i] > 0f ? dy[i] : 0f;
        }
    }

    @Override
    public void biasGradient(float[] dy, int batch, int channels, int spatial, float[] dbias) {
        if (spatial == 1) {
            Arrays.fill(dbias, 0, channels, 0f);
            for (int n = 0; n < batch; n++) {
                add(dy, n * channels, dbias, 0, channels);
            }
            return;
        }
        Arrays.fill(dbias, 0, channels, 0f);
        float[] lanes = Lanes.buffer();
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < channels; c++) {
                dbias[c] += sum(dy, (n * channels + c) * spatial, spatial, lanes);
            }
        }
    }

    /**
     * The sum of {@code a[off..off+len)}, its vector's lanes added through {@code lanes} (the caller's {@link
     * Lanes#buffer()}, looked up once for all its sums: a thread-local lookup per plane cost as much as a small
     * plane's sum).
     */
    private static float sum(float[] a, int off, int len, float[] lanes) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int end = S.loopBound(len); i < end; i += S.length()) {
            acc = acc.add(FloatVector.fromArray(S, a, off + i));
        }
        acc.intoArray(lanes, 0);
        float s = Lanes.sum(lanes);
        for (; i < len; i++) {
            s += a[off + i];
        }
        return s;
    }

    @Override
    public void leakyRelu(float slope, float[] x, float[] y, int n) {
        reference.leakyRelu(slope, x, y, n);
    }

    @Override
    public void leakyReluBackward(float slope, float[] x, float[] dy, float[] dx, int n) {
        reference.leakyReluBackward(slope, x, dy, dx, n);
    }

    @Override
    public void sigmoid(float[] x, float[] y, int n) {
        reference.sigmoid(x, y, n);
    }

    @Override
    public void sigmoidBackward(float[] y, float[] dy, float[] dx, int n) {
        reference.sigmoidBackward(y, dy, dx, n);
    }

    @Override
    public void tanh(float[] x, float[] y, int n) {
        reference.tanh(x, y, n);
    }

    @Override
    public void tanhBackward(float[] y, float[] dy, float[] dx, int n) {
        reference.tanhBackward(y, dy, dx, n);
    }

    @Override
    public void pointwise(Pointwise f, float param, float[] x, float[] y, int n) {
        reference.pointwise(f, param, x, y, n);
    }

    @Override
    public void pointwiseBackward(Pointwise f, float param, float[] x, float[] dy, float[] dx, int n) {
        reference.pointwiseBackward(f, param, x, dy, dx, n);
    }

    @Override
    public void adaptivePool2d(int planes, int inH, int inW, int outH, int outW, float[] x, float[] y, int[] argmax) {
        reference.adaptivePool2d(planes, inH, inW, outH, outW, x, y, argmax);
    }

    @Override
    public void adaptivePool2dBackward(int planes, int inH, int inW, int outH, int outW, float[] dy, int[] argmax, float[] dx) {
        reference.adaptivePool2dBackward(planes, inH, inW, outH, outW, dy, argmax, dx);
    }

    @Override
    public void upsample2d(int planes, int inH, int inW, int outH, int outW, boolean bilinear, boolean alignCorners,
                           float scaleH, float scaleW, float[] x, float[] y) {
        reference.upsample2d(planes, inH, inW, outH, outW, bilinear, alignCorners, scaleH, scaleW, x, y);
    }

    @Override
    public void upsample2dBackward(int planes, int inH, int inW, int outH, int outW, boolean bilinear, boolean alignCorners,
                                   float scaleH, float scaleW, float[] dy, float[] dx) {
        reference.upsample2dBackward(planes, inH, inW, outH, outW, bilinear, alignCorners, scaleH, scaleW, dy, dx);
    }

    @Override
    public void rowNormalize(float[] x, int rows, int cols, float eps, float[] mean, float[] invStd, float[] xhat) {
        reference.rowNormalize(x, rows, cols, eps, mean, invStd, xhat);
    }

    @Override
    public void rowNormalizeBackward(float[] xhat, float[] dxhat, int rows, int cols, float[] invStd, float[] dx) {
        reference.rowNormalizeBackward(xhat, dxhat, rows, cols, invStd, dx);
    }

    @Override
    public void softmax(float[] x, int rows, int cols, float[] y) {
        reference.softmax(x, rows, cols, y);
    }

    @Override
    public void softmaxBackward(float[] y, float[] dy, int rows, int cols, float[] dx) {
        reference.softmaxBackward(y, dy, rows, cols, dx);
    }

    @Override
    public void logSoftmax(float[] x, int rows, int cols, float[] y) {
        reference.logSoftmax(x, rows, cols, y);
    }

    @Override
    public void logSoftmaxBackward(float[] y, float[] dy, int rows, int cols, float[] dx) {
        reference.logSoftmaxBackward(y, dy, rows, cols, dx);
    }

    @Override
    public void add(float[] a, float[] b, boolean relu, float[] y, int n) {
        inRanges(n, (from, to) -> addRange(a, b, relu, y, from, to));
    }

    private static void addRange(float[] a, float[] b, boolean relu, float[] y, int from, int to) {
        FloatVector floor = FloatVector.broadcast(S, relu ? 0f : Float.NEGATIVE_INFINITY);
        int i = from;
        for (int end = from + S.loopBound(to - from); i < end; i += S.length()) {
            FloatVector.fromArray(S, a, i).add(FloatVector.fromArray(S, b, i)).max(floor).intoArray(y, i);
        }
        for (; i < to; i++) {
            float v = a[i] + b[i];
            y[i] = relu ? Math.max(v, 0f) : v;
        }
    }

    @Override
    public void mul(float[] a, float[] b, float[] y, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += S.length()) {
            FloatVector.fromArray(S, a, i).mul(FloatVector.fromArray(S, b, i)).intoArray(y, i);
        }
        for (; i < n; i++) {
            y[i] = a[i] * b[i];
        }
    }

    @Override
    public void axpy(float alpha, float[] x, float[] y, int n) {
        FloatVector av = FloatVector.broadcast(S, alpha);
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += S.length()) {
            FloatVector.fromArray(S, x, i).fma(av, FloatVector.fromArray(S, y, i)).intoArray(y, i);
        }
        for (; i < n; i++) {
            y[i] += alpha * x[i];
        }
    }

    // The optimizer updates and the norm are a small part of a step; the plain loops are the specification.

    @Override
    public void scale(float alpha, float[] x, int n) {
        reference.scale(alpha, x, n);
    }

    @Override
    public double sumOfSquares(float[] x, int n) {
        return reference.sumOfSquares(x, n);
    }

    @Override
    public void sgdUpdate(float[] w, float[] g, float[] b, int n, SgdStep step) {
        reference.sgdUpdate(w, g, b, n, step);
    }

    @Override
    public void adamUpdate(float[] w, float[] g, float[] m, float[] v, float[] vMax, int n, AdamStep step) {
        inRanges(n, (from, to) -> adamUpdate(w, g, m, v, vMax, from, to, step));
    }

    /**
     * Adam's update of {@code [from, to)} in vectors. Each product and sum is rounded on its own, in the order
     * of {@link ReferenceKernels}' scalar loop (no fused multiply-adds; a float's square root is correctly
     * rounded either way), so the bits are the same as there and as PyTorch's.
     */
    private static void adamUpdate(float[] w, float[] g, float[] m, float[] v, float[] vMax, int from, int to,
                                   AdamStep s) {
        boolean decay = s.weightDecay() != 0;
        boolean decoupled = decay && s.decoupled();
        int i = from;
        for (int end = from + S.loopBound(to - from); i < end; i += S.length()) {
            FloatVector gi = FloatVector.fromArray(S, g, i);
            FloatVector wi = FloatVector.fromArray(S, w, i);
            if (decoupled) {
                wi = wi.mul(s.shrink());
            } else if (decay) {
                gi = gi.add(wi.mul(s.weightDecay()));
            }
            FloatVector mi = FloatVector.fromArray(S, m, i).mul(s.beta1()).add(gi.mul(s.oneMinusBeta1()));
            FloatVector vi = FloatVector.fromArray(S, v, i).mul(s.beta2()).add(gi.mul(s.oneMinusBeta2()).mul(gi));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            if (vMax != null) {
                vi = FloatVector.fromArray(S, vMax, i).max(vi);
                vi.intoArray(vMax, i);
            }
            FloatVector denom = vi.sqrt().div(s.biasCorrection2Sqrt()).add(s.eps());
            wi.add(mi.mul(s.stepSize()).div(denom)).intoArray(w, i);
        }
        ReferenceKernels.adamUpdate(w, g, m, v, vMax, i, to, s);
    }

    /**
     * In vectors, on the calling thread: {@code x * 0} is 0 for a finite {@code x} and NaN for NaN or an
     * infinity, so one sum of those says whether any is not finite, without a branch a float. The scalar
     * loop took 2% of a training step of {@code small} (420,000 parameters, checked twice a step).
     */
    @Override
    public boolean allFinite(float[] a, int n) {
        FloatVector sum = FloatVector.zero(S);
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += S.length()) {
            sum = sum.add(FloatVector.fromArray(S, a, i).mul(0f));
        }
        for (; i < n; i++) {
            sum = sum.add(a[i] * 0f);
        }
        return !sum.test(VectorOperators.IS_NAN).anyTrue();
    }

    @Override
    public void rmspropUpdate(float[] w, float[] g, float[] squareAvg, float[] gradAvg, float[] buffer, int n,
                              RmspropStep step) {
        reference.rmspropUpdate(w, g, squareAvg, gradAvg, buffer, n, step);
    }

    @Override
    public void adagradUpdate(float[] w, float[] g, float[] sum, int n, AdagradStep step) {
        reference.adagradUpdate(w, g, sum, n, step);
    }

    /** Stops the worker threads. */
    @Override
    public void close() {
        parallel.close();
    }

    // ---- batch normalisation: see ChannelKernels ------------------------------------------------------

    @Override
    public void channelMeanAndSquares(float[] x, int batch, int channels, int spatial, float[] mean, float[] squares) {
        ChannelKernels.meanAndSquares(parallel, x, batch, channels, spatial, mean, squares);
    }

    @Override
    public void channelAffine(float[] x, int batch, int channels, int spatial, float[] scale, float[] shift, boolean relu,
                              float[] y) {
        ChannelKernels.affine(parallel, x, batch, channels, spatial, scale, shift, relu, y);
    }

    @Override
    public void channelGradientSums(float[] x, float[] dy, float[] reluScale, float[] reluShift, int batch, int channels,
                                    int spatial, float[] center, float[] sumDy, float[] dot) {
        ChannelKernels.gradientSums(parallel, x, dy, reluScale, reluShift, batch, channels, spatial, center, sumDy, dot);
    }

    @Override
    public void batchNormBackwardInput(float[] x, float[] dy, float[] reluScale, float[] reluShift, int batch,
                                       int channels, int spatial, float[] mean, float[] k, float[] meanDy, float[] scale,
                                       float[] dx) {
        ChannelKernels.backwardInput(parallel, x, dy, reluScale, reluShift, batch, channels, spatial, mean, k, meanDy,
                scale, dx);
    }

    /**
     * Whether {@link Frames} computes this 3-D convolution, as 2-D convolutions over its frames per depth tap,
     * rather than vol2col and {@link Gemm}: by the rules, from 16 input channels per group and a frame kernel larger
     * than 1x1. There the 2-D kernels' faster paths (Winograd's for 3x3) and their spread over many frames beat
     * one column matrix per clip: 1.6 to 2 times on 64 channels of 8x28x28 with a 3x3x3 kernel, each pass; on 3
     * input channels the two ways were within noise of each other. {@link ConvAlgorithm#IM2COL} forces vol2col;
     * DIRECT and WINOGRAD force the frames, whose 2-D convolutions then take that path.
     */
    private ConvPath rule(Conv3dGeometry g) {
        boolean frames = switch (algorithm) {
            case IM2COL -> false;
            case DIRECT, WINOGRAD -> true;
            case AUTO, RULES -> g.kH() * g.kW() > 1 && g.inChannelsPerGroup() >= 16;
        };
        return frames ? ConvPath.FRAMES : ConvPath.VOL2COL;
    }

    /** As {@link #resolve(ConvGeometry, ConvPass, Consumer)}: vol2col or frames, by rule or kept measurement. */
    private ConvPath resolve(Conv3dGeometry g, ConvPass pass, Consumer<ConvPath> run) {
        ConvPath path = choose(ConvPath.key(g, pass), rule(g), ConvPath.VOLUME_PATHS, g.macs(), run);
        ConvPath earlier = volumePaths.get(pass.ordinal()).putIfAbsent(g, path);
        return earlier == null ? path : earlier;
    }

    /**
     * 3-D convolution: by {@link Frames} (see {@link #rule(Conv3dGeometry)}), or as vol2col plus {@link Gemm}, as the 2-D one
     * by im2col, the samples of the batch spread over the threads, each with its column matrix in the calling
     * thread's scratch.
     */
    @Override
    public void conv3d(Conv3dGeometry g, float[] x, float[] w, float[] bias, boolean relu, float[] y) {
        ConvPath path = volumePaths.get(ConvPass.FORWARD.ordinal()).get(g);
        if (path == null) {
            path = resolve(g, ConvPass.FORWARD, p -> forward(p, g, x, w, bias, relu, y));
        }
        forward(path, g, x, w, bias, relu, y);
    }

    private void forward(ConvPath path, Conv3dGeometry g, float[] x, float[] w, float[] bias, boolean relu, float[] y) {
        if (path == ConvPath.VOL2COL) {
            forwardByColumns(lowered(g), x, w, bias, relu, y);
            return;
        }
        ConvGeometry f = Frames.geometry(g);
        int frames = f.batch();
        int outSize = frames * f.outputImageSize();
        float[] in = atLeast(frameInputs, frames * f.inputImageSize());
        float[] out = atLeast(frameOutputs, outSize);
        float[] sum = atLeast(frameSums, outSize);
        float[] slice = new float[f.weightSize()];
        for (int kd = 0; kd < g.kD(); kd++) {
            int tap = kd;
            parallel.forEach(frames, fr -> Frames.gather(g, fr, tap, g.inChannels(), g.inD(), g.inH() * g.inW(), x, in));
            Frames.weightSlice(g, w, kd, slice);
            conv2d(f, in, slice, kd == 0 ? bias : null, false, kd == 0 ? sum : out);
            if (kd > 0) {
                inRanges(outSize, (from, to) -> add(out, from, sum, from, to - from));
            }
        }
        parallel.forEach(frames, fr -> Frames.scatter(g, fr, -1, g.outChannels(), g.outD(), g.outH() * g.outW(), sum, y, relu));
    }

    /** {@code dy} as frames, {@code [N*outD, O, outH, outW]}, in the calling thread's scratch. */
    private float[] outputFrames(Conv3dGeometry g, ConvGeometry f, float[] dy) {
        float[] frames = atLeast(frameSums, f.batch() * f.outputImageSize());
        parallel.forEach(f.batch(), fr -> Frames.gather(g, fr, -1, g.outChannels(), g.outD(), g.outH() * g.outW(), dy, frames));
        return frames;
    }

    @Override
    public void conv3dBackwardInput(Conv3dGeometry g, float[] dy, float[] w, float[] dx) {
        ConvPath path = volumePaths.get(ConvPass.INPUT_GRADIENT.ordinal()).get(g);
        if (path == null) {
            path = resolve(g, ConvPass.INPUT_GRADIENT, p -> backwardInput(p, g, dy, w, dx));
        }
        backwardInput(path, g, dy, w, dx);
    }

    private void backwardInput(ConvPath path, Conv3dGeometry g, float[] dy, float[] w, float[] dx) {
        if (path == ConvPath.VOL2COL) {
            inputGradientByColumns(lowered(g), dy, w, dx);
            return;
        }
        ConvGeometry f = Frames.geometry(g);
        float[] dyFrames = outputFrames(g, f, dy);
        float[] dxFrames = atLeast(frameInputs, f.batch() * f.inputImageSize());
        float[] slice = new float[f.weightSize()];
        Arrays.fill(dx, 0, g.batch() * g.inputSampleSize(), 0f);
        for (int kd = 0; kd < g.kD(); kd++) {
            int tap = kd;
            Frames.weightSlice(g, w, kd, slice);
            conv2dBackwardInput(f, dyFrames, slice, dxFrames);
            // One tap sends distinct output frames to distinct input frames: the frames add up without races.
            parallel.forEach(f.batch(), fr -> Frames.scatter(g, fr, tap, g.inChannels(), g.inD(), g.inH() * g.inW(), dxFrames,
                    dx, false));
        }
    }

    /**
     * By {@link Frames}: each depth slice of the gradient is a 2-D weight gradient over the frames. Otherwise a
     * partial gradient per sample, added up in sample order: a clip is work enough for a task, and batches of
     * clips are small (8 clips would make one task of {@link #IMAGES_PER_TASK} and leave the other threads idle).
     */
    @Override
    public void conv3dBackwardWeight(Conv3dGeometry g, float[] x, float[] dy, float[] dw, float[] dbias) {
        ConvPath path = volumePaths.get(ConvPass.WEIGHT_GRADIENT.ordinal()).get(g);
        if (path == null) {
            path = resolve(g, ConvPass.WEIGHT_GRADIENT, p -> backwardWeight(p, g, x, dy, dw));
        }
        backwardWeight(path, g, x, dy, dw);
        if (dbias != null) {
            biasGradient(dy, g.batch(), g.outChannels(), g.outputVolume(), dbias);
        }
    }

    private void backwardWeight(ConvPath path, Conv3dGeometry g, float[] x, float[] dy, float[] dw) {
        if (path == ConvPath.VOL2COL) {
            weightGradientByColumns(lowered(g), x, dy, dw, 1);
            return;
        }
        ConvGeometry f = Frames.geometry(g);
        float[] dyFrames = outputFrames(g, f, dy);
        float[] in = atLeast(frameInputs, f.batch() * f.inputImageSize());
        float[] slice = new float[f.weightSize()];
        for (int kd = 0; kd < g.kD(); kd++) {
            int tap = kd;
            parallel.forEach(f.batch(), fr -> Frames.gather(g, fr, tap, g.inChannels(), g.inD(), g.inH() * g.inW(), x, in));
            conv2dBackwardWeight(f, in, dyFrames, slice, null);
            Frames.putWeightSlice(g, slice, kd, dw);
        }
    }

    /** Fills a column matrix from the input of sample {@code n}, group {@code group}, or adds one back onto it. */
    @FunctionalInterface
    private interface Columns {
        void apply(float[] data, int n, int group, float[] col, int off, int ld);
    }

    /**
     * A convolution lowered to matrix multiplies, what 2-D (im2col) and 3-D (vol2col) convolution share: per
     * sample and group the {@code [k, p]} column matrix of {@code k} taps by {@code p} output positions, times
     * the group's {@code [outChannels/groups, k]} weights. A pointwise convolution's input is its own column matrix.
     */
    private record Lowered(int batch, int inChannels, int outChannels, int groups, int k, int p, int inputSample,
                           boolean pointwise, Columns expand, Columns accumulate) {
    }

    private static Lowered lowered(ConvGeometry g) {
        return new Lowered(g.batch(), g.inChannels(), g.outChannels(), g.groups(), g.inChannelsPerGroup() * g.kH() * g.kW(),
                g.outH() * g.outW(), g.inputImageSize(), isPointwise(g), (x, n, group, col, off, ld) -> Im2col.expand(g, x, n, group, col, off, ld),
                (dx, n, group, col, off, ld) -> Im2col.accumulate(g, col, off, ld, n, group, dx));
    }

    private static Lowered lowered(Conv3dGeometry g) {
        return new Lowered(g.batch(), g.inChannels(), g.outChannels(), g.groups(), g.inChannelsPerGroup() * g.taps(),
                g.outputVolume(), g.inputSampleSize(), g.isPointwise(), (x, n, group, col, off, ld) -> Vol2col.expand(g, x, n, group, col, off, ld),
                (dx, n, group, col, off, ld) -> Vol2col.accumulate(g, col, off, ld, n, group, dx));
    }

    /** Images whose column matrices one multiply takes side by side: 1 where one image has columns enough. */
    private static int imagesPerMultiply(Lowered c) {
        return c.p() >= COLUMNS_WIDTH ? 1 : Math.max(1, Math.min(c.batch(), Math.ceilDiv(COLUMNS_WIDTH, c.p())));
    }

    /** The column matrices of {@code count} images from {@code from}, group {@code group}, side by side in {@code col}. */
    private static void columnsSideBySide(Lowered c, float[] x, int from, int count, int group, float[] col) {
        for (int i = 0; i < count; i++) {
            c.expand().apply(x, from + i, group, col, i * c.p(), count * c.p());
        }
    }

    /**
     * The output gradients of {@code count} images from {@code from}, group {@code group}, side by side: row
     * {@code o} of {@code grads} holds each image's {@code p} positions of channel {@code o} in turn.
     */
    private static void sideBySide(Lowered c, float[] dy, int from, int count, int group, float[] grads) {
        int ocg = c.outChannels() / c.groups();
        int p = c.p();
        int width = count * p;
        for (int i = 0; i < count; i++) {
            for (int o = 0; o < ocg; o++) {
                System.arraycopy(dy, ((from + i) * c.outChannels() + group * ocg + o) * p, grads, o * width + i * p, p);
            }
        }
    }

    /** The offset of sample {@code n}, group {@code group}'s input when it is its own column matrix (pointwise). */
    private static int pointwiseOffset(Lowered c, int n, int group) {
        return (n * c.inChannels() + group * (c.inChannels() / c.groups())) * c.p();
    }

    /**
     * The column matrix of sample {@code n}, group {@code group}: expanded into {@code col}, or for a pointwise
     * convolution ({@code col} null) the input itself, read from {@link #pointwiseOffset}.
     */
    private static float[] columnsOf(Lowered c, float[] x, int n, int group, float[] col) {
        if (col == null) {
            return x;
        }
        c.expand().apply(x, n, group, col, 0, c.p());
        return col;
    }

    private void forwardByColumns(Lowered c, float[] x, float[] w, float[] bias, boolean relu, float[] y) {
        int ocg = c.outChannels() / c.groups();
        int k = c.k();
        int p = c.p();
        int images = imagesPerMultiply(c);
        if (images > 1) {
            parallel.forEach(Math.ceilDiv(c.batch(), images), t -> {
                int from = t * images;
                int count = Math.min(images, c.batch() - from);
                int width = count * p;
                float[] col = columnBuffer(k * width);
                float[] out = atLeast(sideBySide, ocg * width);
                for (int group = 0; group < c.groups(); group++) {
                    columnsSideBySide(c, x, from, count, group, col);
                    Gemm.multiply(false, false, ocg, width, k, w, group * ocg * k, k, col, 0, width, 0f, out, 0, width);
                    for (int i = 0; i < count; i++) {
                        for (int o = 0; o < ocg; o++) {
                            int yOff = ((from + i) * c.outChannels() + group * ocg + o) * p;
                            System.arraycopy(out, o * width + i * p, y, yOff, p);
                            if (bias != null || relu) {
                                biasRelu(y, yOff, p, bias == null ? 0f : bias[group * ocg + o], relu);
                            }
                        }
                    }
                }
            });
            return;
        }
        parallel.forEach(c.batch(), n -> {
            float[] col = c.pointwise() ? null : columnBuffer(k * p);
            for (int group = 0; group < c.groups(); group++) {
                int yOff = (n * c.outChannels() + group * ocg) * p;
                Gemm.multiply(false, false, ocg, p, k, w, group * ocg * k, k, columnsOf(c, x, n, group, col),
                        col == null ? pointwiseOffset(c, n, group) : 0, p, 0f, y, yOff, p);
                if (bias != null || relu) {
                    for (int o = 0; o < ocg; o++) {
                        biasRelu(y, yOff + o * p, p, bias == null ? 0f : bias[group * ocg + o], relu);
                    }
                }
            }
        });
    }

    private void inputGradientByColumns(Lowered c, float[] dy, float[] w, float[] dx) {
        int ocg = c.outChannels() / c.groups();
        int k = c.k();
        int p = c.p();
        int images = imagesPerMultiply(c);
        if (images > 1) {
            parallel.forEach(Math.ceilDiv(c.batch(), images), t -> {
                int from = t * images;
                int count = Math.min(images, c.batch() - from);
                int width = count * p;
                float[] col = columnBuffer(k * width);
                float[] grads = atLeast(sideBySide, ocg * width);
                Arrays.fill(dx, from * c.inputSample(), (from + count) * c.inputSample(), 0f);
                for (int group = 0; group < c.groups(); group++) {
                    sideBySide(c, dy, from, count, group, grads);
                    Gemm.multiply(true, false, k, width, ocg, w, group * ocg * k, k, grads, 0, width, 0f, col, 0, width);
                    for (int i = 0; i < count; i++) {
                        c.accumulate().apply(dx, from + i, group, col, i * p, width);
                    }
                }
            });
            return;
        }
        parallel.forEach(c.batch(), n -> {
            float[] col = c.pointwise() ? null : columnBuffer(k * p);
            if (col != null) {
                Arrays.fill(dx, n * c.inputSample(), (n + 1) * c.inputSample(), 0f);
            }
            for (int group = 0; group < c.groups(); group++) {
                int dyOff = (n * c.outChannels() + group * ocg) * p;
                if (col == null) {
                    Gemm.multiply(true, false, k, p, ocg, w, group * ocg * k, k, dy, dyOff, p, 0f, dx, pointwiseOffset(c, n, group), p);
                } else {
                    Gemm.multiply(true, false, k, p, ocg, w, group * ocg * k, k, dy, dyOff, p, 0f, col, 0, p);
                    c.accumulate().apply(dx, n, group, col, 0, p);
                }
            }
        });
    }

    /** Per task of {@code perTask} samples a partial gradient, added up in task order: the same for any thread count. */
    private void weightGradientByColumns(Lowered c, float[] x, float[] dy, float[] dw, int perTask) {
        int ocg = c.outChannels() / c.groups();
        int k = c.k();
        int p = c.p();
        int size = c.outChannels() * k;
        int images = imagesPerMultiply(c);
        // Tasks of whole multiplies: as many images as the per-image tasks hold, rounded down to a multiple.
        int imagesPerTask = images == 1 ? perTask : images >= perTask ? images : perTask - perTask % images;
        int tasks = Math.ceilDiv(c.batch(), imagesPerTask);
        float[] partial = partialBuffer(tasks * size);
        parallel.forEach(tasks, t -> {
            int off = t * size;
            Arrays.fill(partial, off, off + size, 0f);
            int end = Math.min(c.batch(), (t + 1) * imagesPerTask);
            if (images > 1) {
                for (int from = t * imagesPerTask; from < end; from += images) {
                    int count = Math.min(images, end - from);
                    int width = count * p;
                    float[] col = columnBuffer(k * width);
                    float[] grads = atLeast(sideBySide, ocg * width);
                    for (int group = 0; group < c.groups(); group++) {
                        columnsSideBySide(c, x, from, count, group, col);
                        sideBySide(c, dy, from, count, group, grads);
                        Gemm.multiply(false, true, ocg, k, width, grads, 0, width, col, 0, width, 1f, partial,
                                off + group * ocg * k, k);
                    }
                }
                return;
            }
            float[] col = c.pointwise() ? null : columnBuffer(k * p);
            for (int n = t * imagesPerTask; n < end; n++) {
                for (int group = 0; group < c.groups(); group++) {
                    int dyOff = (n * c.outChannels() + group * ocg) * p;
                    Gemm.multiply(false, true, ocg, k, p, dy, dyOff, p, columnsOf(c, x, n, group, col),
                            col == null ? pointwiseOffset(c, n, group) : 0, p, 1f, partial, off + group * ocg * k, k);
                }
            }
        });
        parallel.sumSlices(partial, tasks, size);
        System.arraycopy(partial, 0, dw, 0, size);
    }

    /** {@code body} over tasks of {@link #PLANES_PER_TASK} planes of {@code planes}. */
    private void overPlanes(int planes, Range body) {
        parallel.forEach(Math.ceilDiv(planes, PLANES_PER_TASK), t -> {
            int from = t * PLANES_PER_TASK;
            body.run(from, Math.min(planes, from + PLANES_PER_TASK));
        });
    }

    @Override
    public void maxPool3d(Pool3dGeometry g, float[] x, float[] y, int[] argmax) {
        overPlanes(g.planes(), (from, to) -> Pool3d.max(g, from, to, x, y, argmax));
    }

    @Override
    public void maxPool3dBackward(Pool3dGeometry g, float[] dy, int[] argmax, float[] dx) {
        overPlanes(g.planes(), (from, to) -> Pool3d.maxBackward(g, from, to, dy, argmax, dx));
    }

    @Override
    public void avgPool3d(Pool3dGeometry g, boolean countPadding, float[] x, float[] y) {
        if (Pool3d.tiles(g)) {
            overPlanes(g.planes(), (from, to) -> Pool3d.tiledAverage(g, from, to, x, y));
            return;
        }
        overPlanes(g.planes(), (from, to) -> Pool3d.average(g, countPadding, from, to, x, y));
    }

    @Override
    public void avgPool3dBackward(Pool3dGeometry g, boolean countPadding, float[] dy, float[] dx) {
        if (Pool3d.tiles(g)) {
            overPlanes(g.planes(), (from, to) -> Pool3d.tiledAverageBackward(g, from, to, dy, dx));
            return;
        }
        overPlanes(g.planes(), (from, to) -> Pool3d.averageBackward(g, countPadding, from, to, dy, dx));
    }

    @Override
    public void adaptivePool3d(int planes, int[] in, int[] out, float[] x, float[] y, int[] argmax) {
        if (argmax == null && out[0] * out[1] * out[2] == 1) {
            // Global average pooling, the usual head of a 3-D network: one vectorised sum per plane.
            int volume = in[0] * in[1] * in[2];
            overPlanes(planes, (from, to) -> {
                float[] lanes = Lanes.buffer();
                for (int p = from; p < to; p++) {
                    y[p] = sum(x, p * volume, volume, lanes) / volume;
                }
            });
            return;
        }
        overPlanes(planes, (from, to) -> Pool3d.adaptive(from, to, in, out, x, y, argmax));
    }

    @Override
    public void adaptivePool3dBackward(int planes, int[] in, int[] out, float[] dy, int[] argmax, float[] dx) {
        overPlanes(planes, (from, to) -> Pool3d.adaptiveBackward(from, to, in, out, dy, argmax, dx));
    }

    /**
     * The matrix multiply's tile in this process, e.g. {@code 4x4v kc1024 mc264}: rows by vectors of the
     * micro-kernel, then the blocking over k and over rows. Chosen by measurement on first use unless the
     * system property {@code cnn4j.gemm.tile} names one (see {@link TuningCache}).
     */
    public static String gemmTile() {
        return Gemm.describe(GemmTile.inUse());
    }
}
