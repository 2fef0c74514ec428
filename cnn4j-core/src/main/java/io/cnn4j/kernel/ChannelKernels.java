package io.cnn4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The per-channel kernels of batch normalisation for {@link CpuKernels}, vectorised along each channel's
 * planes ({@code spatial} consecutive floats of one image); {@link ReferenceKernels} has the same
 * functions as plain loops.
 *
 * <p>Determinism: a channel's sums are made by one task, image by image in order, each plane summed in
 * vector lanes that are then added in lane order into a double; the element-wise kernels write each
 * output once. Nothing depends on the thread count.
 */
final class ChannelKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** About this many elements per task of the element-wise kernels, so small tensors are not split up. */
    private static final int ELEMENTS_PER_TASK = 1 << 14;

    private ChannelKernels() {
    }

    static void meanAndSquares(Parallel parallel, float[] x, int batch, int channels, int spatial, float[] mean,
                               float[] squares) {
        double count = (double) batch * spatial;
        forChannelBlocks(parallel, channels, spatial, (c0, c1) -> {
            double[] sums = new double[c1 - c0];
            float[] lanes = Lanes.buffer();
            for (int n = 0; n < batch; n++) {
                for (int c = c0; c < c1; c++) {
                    sums[c - c0] += sum(x, (n * channels + c) * spatial, spatial, lanes);
                }
            }
            for (int c = c0; c < c1; c++) {
                mean[c] = (float) (sums[c - c0] / count);
                sums[c - c0] = 0;
            }
            for (int n = 0; n < batch; n++) {
                for (int c = c0; c < c1; c++) {
                    sums[c - c0] += squaredDeviations(x, (n * channels + c) * spatial, spatial, mean[c], lanes);
                }
            }
            for (int c = c0; c < c1; c++) {
                squares[c] = (float) sums[c - c0];
            }
        });
    }

    static void affine(Parallel parallel, float[] x, int batch, int channels, int spatial, float[] scale, float[] shift,
                       boolean relu, float[] y) {
        forPlanes(parallel, batch * channels, spatial, plane -> {
            int c = plane % channels;
            int off = plane * spatial;
            FloatVector a = FloatVector.broadcast(S, scale[c]);
            FloatVector b = FloatVector.broadcast(S, shift[c]);
            FloatVector zero = FloatVector.zero(S);
            int i = 0;
            for (int end = S.loopBound(spatial); i < end; i += S.length()) {
                FloatVector v = FloatVector.fromArray(S, x, off + i).fma(a, b);
                (relu ? v.max(zero) : v).intoArray(y, off + i);
            }
            for (; i < spatial; i++) {
                float v = Math.fma(x[off + i], scale[c], shift[c]);
                y[off + i] = relu ? Math.max(v, 0f) : v;
            }
        });
    }

    static void gradientSums(Parallel parallel, float[] x, float[] dy, float[] reluScale, float[] reluShift, int batch,
                             int channels, int spatial, float[] center, float[] sumDy, float[] dot) {
        boolean masked = reluScale != null;
        forChannelBlocks(parallel, channels, spatial, (c0, c1) -> {
            FloatVector zero = FloatVector.zero(S);
            double[] s = new double[c1 - c0];
            double[] d = new double[c1 - c0];
            float[] lanes = Lanes.buffer();
            for (int n = 0; n < batch; n++) {
                for (int c = c0; c < c1; c++) {
                    int off = (n * channels + c) * spatial;
                    FloatVector m = FloatVector.broadcast(S, center[c]);
                    float a = masked ? reluScale[c] : 0f;
                    float b = masked ? reluShift[c] : 0f;
                    FloatVector av = FloatVector.broadcast(S, a);
                    FloatVector bv = FloatVector.broadcast(S, b);
                    FloatVector sAcc = FloatVector.zero(S);
                    FloatVector dAcc = FloatVector.zero(S);
                    int i = 0;
                    for (int end = S.loopBound(spatial); i < end; i += S.length()) {
                        FloatVector xv = FloatVector.fromArray(S, x, off + i);
                        FloatVector g = FloatVector.fromArray(S, dy, off + i);
                        if (masked) {
                            g = zero.blend(g, xv.fma(av, bv).compare(VectorOperators.GT, zero));
                        }
                        sAcc = sAcc.add(g);
                        dAcc = xv.sub(m).fma(g, dAcc);
                    }
                    sAcc.intoArray(lanes, 0);
                    double sc = s[c - c0] + Lanes.sumAsDouble(lanes);
                    dAcc.intoArray(lanes, 0);
                    double dc = d[c - c0] + Lanes.sumAsDouble(lanes);
                    for (; i < spatial; i++) {
                        float g = masked ? throughRelu(x[off + i], dy[off + i], a, b) : dy[off + i];
                        sc += g;
                        dc += (x[off + i] - center[c]) * g;
                    }
                    s[c - c0] = sc;
                    d[c - c0] = dc;
                }
            }
            for (int c = c0; c < c1; c++) {
                sumDy[c] = (float) s[c - c0];
                dot[c] = (float) d[c - c0];
            }
        });
    }

    static void backwardInput(Parallel parallel, float[] x, float[] dy, float[] reluScale, float[] reluShift, int batch,
                              int channels, int spatial, float[] mean, float[] k, float[] meanDy, float[] scale, float[] dx) {
        boolean masked = reluScale != null;
        forPlanes(parallel, batch * channels, spatial, plane -> {
            int c = plane % channels;
            int off = plane * spatial;
            FloatVector m = FloatVector.broadcast(S, mean[c]);
            FloatVector kv = FloatVector.broadcast(S, k[c]);
            FloatVector g = FloatVector.broadcast(S, meanDy[c]);
            FloatVector a = FloatVector.broadcast(S, scale[c]);
            float ra = masked ? reluScale[c] : 0f;
            float rb = masked ? reluShift[c] : 0f;
            FloatVector rav = FloatVector.broadcast(S, ra);
            FloatVector rbv = FloatVector.broadcast(S, rb);
            FloatVector zero = FloatVector.zero(S);
            int i = 0;
            for (int end = S.loopBound(spatial); i < end; i += S.length()) {
                FloatVector xv = FloatVector.fromArray(S, x, off + i);
                FloatVector d = FloatVector.fromArray(S, dy, off + i);
                if (masked) {
                    d = zero.blend(d, xv.fma(rav, rbv).compare(VectorOperators.GT, zero));
                }
                FloatVector projection = xv.sub(m).mul(kv);
                d.sub(g).sub(projection).mul(a).intoArray(dx, off + i);
            }
            for (; i < spatial; i++) {
                float d = masked ? throughRelu(x[off + i], dy[off + i], ra, rb) : dy[off + i];
                dx[off + i] = (d - meanDy[c] - (x[off + i] - mean[c]) * k[c]) * scale[c];
            }
        });
    }

    /** {@code dy} where a fused ReLU passed {@code x * scale + shift} (one fused multiply-add), else 0. */
    private static float throughRelu(float x, float dy, float scale, float shift) {
        return Math.fma(x, scale, shift) > 0f ? dy : 0f;
    }

    /** Runs {@code body} for every plane, in tasks of whole planes of about {@link #ELEMENTS_PER_TASK} elements. */
    private static void forPlanes(Parallel parallel, int planes, int spatial, java.util.function.IntConsumer body) {
        parallel.forEachItem(planes, Math.max(1, ELEMENTS_PER_TASK / Math.max(spatial, 1)), body);
    }

    /** Channels {@code c0..c1} of a task. */
    @FunctionalInterface
    private interface ChannelBlock {
        void run(int c0, int c1);
    }

    /**
     * Runs {@code body} over blocks of consecutive channels, at most {@link #ELEMENTS_PER_TASK} elements of
     * each image to a block and at least one block per thread: the sums read each image's planes of a block
     * in memory order, a long run the prefetchers follow, where one channel at a time jumps from image to
     * image in runs of a plane (196 bytes at 7x7). Which block a channel falls in changes no sum.
     */
    private static void forChannelBlocks(Parallel parallel, int channels, int spatial, ChannelBlock body) {
        int tasks = Math.min(channels, Math.max(parallel.threads(),
                Math.ceilDiv(channels, Math.max(1, ELEMENTS_PER_TASK / Math.max(spatial, 1)))));
        int perTask = Math.ceilDiv(channels, tasks);
        parallel.forEach(Math.ceilDiv(channels, perTask), t -> body.run(t * perTask, Math.min(channels, (t + 1) * perTask)));
    }

    /**
     * The sum of {@code a[off, off + len)}: lanes, then the lanes in order into a double. {@code lanes} is the
     * task's {@link Lanes#buffer()}, looked up once: a thread-local lookup per plane cost as much as summing
     * a 7x7 plane.
     */
    private static double sum(float[] a, int off, int len, float[] lanes) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int end = S.loopBound(len); i < end; i += S.length()) {
            acc = acc.add(FloatVector.fromArray(S, a, off + i));
        }
        acc.intoArray(lanes, 0);
        double s = Lanes.sumAsDouble(lanes);
        for (; i < len; i++) {
            s += a[off + i];
        }
        return s;
    }

    /** As {@link #sum}, of {@code (a[i] - mean)^2}. */
    private static double squaredDeviations(float[] a, int off, int len, float mean, float[] lanes) {
        FloatVector m = FloatVector.broadcast(S, mean);
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int end = S.loopBound(len); i < end; i += S.length()) {
            FloatVector d = FloatVector.fromArray(S, a, off + i).sub(m);
            acc = d.fma(d, acc);
        }
        acc.intoArray(lanes, 0);
        double s = Lanes.sumAsDouble(lanes);
        for (; i < len; i++) {
            float d = a[off + i] - mean;
            s += d * d;
        }
        return s;
    }
}
