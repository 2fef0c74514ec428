package io.cnn4j.kernel;

import jdk.incubator.vector.FloatVector;
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
        parallel.forEach(channels, c -> {
            double sum = 0;
            for (int n = 0; n < batch; n++) {
                sum += sum(x, (n * channels + c) * spatial, spatial);
            }
            float m = (float) (sum / count);
            double s = 0;
            for (int n = 0; n < batch; n++) {
                s += squaredDeviations(x, (n * channels + c) * spatial, spatial, m);
            }
            mean[c] = m;
            squares[c] = (float) s;
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

    static void gradientSums(Parallel parallel, float[] x, float[] dy, int batch, int channels, int spatial,
                             float[] center, float[] sumDy, float[] dot) {
        parallel.forEach(channels, c -> {
            double s = 0;
            double d = 0;
            FloatVector m = FloatVector.broadcast(S, center[c]);
            float[] lanes = Lanes.buffer();
            for (int n = 0; n < batch; n++) {
                int off = (n * channels + c) * spatial;
                FloatVector sAcc = FloatVector.zero(S);
                FloatVector dAcc = FloatVector.zero(S);
                int i = 0;
                for (int end = S.loopBound(spatial); i < end; i += S.length()) {
                    FloatVector g = FloatVector.fromArray(S, dy, off + i);
                    sAcc = sAcc.add(g);
                    dAcc = FloatVector.fromArray(S, x, off + i).sub(m).fma(g, dAcc);
                }
                sAcc.intoArray(lanes, 0);
                s += Lanes.sumAsDouble(lanes);
                dAcc.intoArray(lanes, 0);
                d += Lanes.sumAsDouble(lanes);
                for (; i < spatial; i++) {
                    s += dy[off + i];
                    d += (x[off + i] - center[c]) * dy[off + i];
                }
            }
            sumDy[c] = (float) s;
            dot[c] = (float) d;
        });
    }

    static void backwardInput(Parallel parallel, float[] x, float[] dy, int batch, int channels, int spatial,
                              float[] mean, float[] k, float[] meanDy, float[] scale, float[] dx) {
        forPlanes(parallel, batch * channels, spatial, plane -> {
            int c = plane % channels;
            int off = plane * spatial;
            FloatVector m = FloatVector.broadcast(S, mean[c]);
            FloatVector kv = FloatVector.broadcast(S, k[c]);
            FloatVector g = FloatVector.broadcast(S, meanDy[c]);
            FloatVector a = FloatVector.broadcast(S, scale[c]);
            int i = 0;
            for (int end = S.loopBound(spatial); i < end; i += S.length()) {
                FloatVector projection = FloatVector.fromArray(S, x, off + i).sub(m).mul(kv);
                FloatVector.fromArray(S, dy, off + i).sub(g).sub(projection).mul(a).intoArray(dx, off + i);
            }
            for (; i < spatial; i++) {
                dx[off + i] = (dy[off + i] - meanDy[c] - (x[off + i] - mean[c]) * k[c]) * scale[c];
            }
        });
    }

    /** Runs {@code body} for every plane, in tasks of whole planes of about {@link #ELEMENTS_PER_TASK} elements. */
    private static void forPlanes(Parallel parallel, int planes, int spatial, java.util.function.IntConsumer body) {
        int perTask = Math.max(1, ELEMENTS_PER_TASK / Math.max(spatial, 1));
        parallel.forEach(Math.ceilDiv(planes, perTask), t -> {
            int end = Math.min(planes, (t + 1) * perTask);
            for (int plane = t * perTask; plane < end; plane++) {
                body.accept(plane);
            }
        });
    }

    private static double sum(float[] a, int off, int len) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int end = S.loopBound(len); i < end; i += S.length()) {
            acc = acc.add(FloatVector.fromArray(S, a, off + i));
        }
        float[] lanes = Lanes.buffer();
        acc.intoArray(lanes, 0);
        double s = Lanes.sumAsDouble(lanes);
        for (; i < len; i++) {
            s += a[off + i];
        }
        return s;
    }

    private static double squaredDeviations(float[] a, int off, int len, float mean) {
        FloatVector m = FloatVector.broadcast(S, mean);
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int end = S.loopBound(len); i < end; i += S.length()) {
            FloatVector d = FloatVector.fromArray(S, a, off + i).sub(m);
            acc = d.fma(d, acc);
        }
        float[] lanes = Lanes.buffer();
        acc.intoArray(lanes, 0);
        double s = Lanes.sumAsDouble(lanes);
        for (; i < len; i++) {
            float d = a[off + i] - mean;
            s += d * d;
        }
        return s;
    }
}
