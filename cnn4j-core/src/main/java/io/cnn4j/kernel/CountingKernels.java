package io.cnn4j.kernel;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Wraps other kernels and counts the multiply-adds of the matrix multiplies and convolutions that go
 * through it: the useful arithmetic of a training step, for GFLOP/s figures that do not depend on how a
 * kernel computes (padding, packing and zeros skipped by im2col are not counted). It also counts calls
 * per kernel, which lets a test see which kernels a backward pass ran and which it skipped. Convolutions are
 * timed by shape and by the path the inner kernels took ({@link Kernels#convolutionPath}).
 */
public final class CountingKernels implements Kernels {
    private final Kernels inner;
    private final AtomicLong macs = new AtomicLong();
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> nanos = new ConcurrentHashMap<>();

    public CountingKernels(Kernels inner) {
        this.inner = inner;
    }

    /** Multiply-adds counted so far. */
    public long multiplyAdds() {
        return macs.get();
    }

    /** How many times kernel {@code name} (a {@link Kernels} method name) ran since creation or {@link #reset()}. */
    public int calls(String name) {
        AtomicLong n = calls.get(name);
        return n == null ? 0 : (int) n.get();
    }

    /** Calls per kernel name, sorted by name. */
    public Map<String, Long> calls() {
        Map<String, Long> out = new TreeMap<>();
        calls.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** Wall-clock nanoseconds spent inside each kernel (convolutions by shape) since creation or {@link #reset()}, sorted by name. */
    public Map<String, Long> nanos() {
        Map<String, Long> out = new TreeMap<>();
        nanos.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    public void reset() {
        macs.set(0);
        calls.clear();
        nanos.clear();
    }

    /** Counts a call of kernel {@code name} and returns the time it starts. */
    private long count(String name) {
        calls.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
        return System.nanoTime();
    }

    /** A convolution's shape for the timing keys, so a profile tells a network's layers apart. */
    private static String shape(ConvGeometry g) {
        return " " + g.inChannels() + "x" + g.inH() + "x" + g.inW() + "->" + g.outChannels() + " k" + (g.kH() == g.kW() ? "" + g.kH() : g.kH() + "x" + g.kW())
                + (g.strideH() == 1 ? "" : " s" + g.strideH()) + (g.groups() == 1 ? "" : " g" + g.groups());
    }

    private void took(String name, long start) {
        nanos.computeIfAbsent(name, k -> new AtomicLong()).addAndGet(System.nanoTime() - start);
    }

    /** As {@link #took(String, long)} for a convolution, named with the path it took once the clock has stopped. */
    private void took(long start, String name, Supplier<String> path) {
        long elapsed = System.nanoTime() - start;
        String taken = path.get();
        nanos.computeIfAbsent(taken.isEmpty() ? name : name + " " + taken, k -> new AtomicLong()).addAndGet(elapsed);
    }

    @Override
    public boolean allFinite(float[] a, int n) {
        long start = count("allFinite");
        boolean finite = inner.allFinite(a, n);
        took("allFinite", start);
        return finite;
    }

    @Override
    public String convolutionPath(ConvGeometry g, ConvPass pass) {
        return inner.convolutionPath(g, pass);
    }

    @Override
    public String convolutionPath(Conv3dGeometry g, ConvPass pass) {
        return inner.convolutionPath(g, pass);
    }

    @Override
    public String name() {
        return inner.name() + " (counting)";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        long start = count("gemm");
        macs.addAndGet((long) m * n * k);
        inner.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        took("gemm", start);
    }

    @Override
    public void conv2d(ConvGeometry g, float[] x, float[] w, float[] bias, boolean relu, float[] y) {
        long start = count("conv2d");
        macs.addAndGet(g.macs());
        inner.conv2d(g, x, w, bias, relu, y);
        took(start, "conv2d" + shape(g), () -> inner.convolutionPath(g, ConvPass.FORWARD));
    }

    @Override
    public void conv2dBackwardInput(ConvGeometry g, float[] dy, float[] w, float[] dx) {
        long start = count("conv2dBackwardInput");
        macs.addAndGet(g.macs());
        inner.conv2dBackwardInput(g, dy, w, dx);
        took(start, "conv2dBackwardInput" + shape(g), () -> inner.convolutionPath(g, ConvPass.INPUT_GRADIENT));
    }

    @Override
    public void conv2dBackwardWeight(ConvGeometry g, float[] x, float[] dy, float[] dw, float[] dbias) {
        long start = count("conv2dBackwardWeight");
        macs.addAndGet(g.macs());
        inner.conv2dBackwardWeight(g, x, dy, dw, dbias);
        took(start, "conv2dBackwardWeight" + shape(g), () -> inner.convolutionPath(g, ConvPass.WEIGHT_GRADIENT));
    }

    @Override
    public void linear(int batch, int in, int out, float[] x, float[] w, float[] bias, boolean relu, float[] y) {
        long start = count("linear");
        macs.addAndGet((long) batch * in * out);
        inner.linear(batch, in, out, x, w, bias, relu, y);
        took("linear", start);
    }

    @Override
    public void maxPool2d(PoolGeometry g, float[] x, float[] y, int[] argmax) {
        long start = count("maxPool2d");
        inner.maxPool2d(g, x, y, argmax);
        took("maxPool2d", start);
    }

    @Override
    public void maxPool2dBackward(PoolGeometry g, float[] dy, int[] argmax, float[] dx) {
        long start = count("maxPool2dBackward");
        inner.maxPool2dBackward(g, dy, argmax, dx);
        took("maxPool2dBackward", start);
    }

    @Override
    public void avgPool2d(PoolGeometry g, boolean countPadding, float[] x, float[] y) {
        long start = count("avgPool2d");
        inner.avgPool2d(g, countPadding, x, y);
        took("avgPool2d", start);
    }

    @Override
    public void avgPool2dBackward(PoolGeometry g, boolean countPadding, float[] dy, float[] dx) {
        long start = count("avgPool2dBackward");
        inner.avgPool2dBackward(g, countPadding, dy, dx);
        took("avgPool2dBackward", start);
    }

    @Override
    public void relu(float[] x, float[] y, int n) {
        long start = count("relu");
        inner.relu(x, y, n);
        took("relu", start);
    }

    @Override
    public void reluBackward(float[] y, float[] dy, float[] dx, int n) {
        long start = count("reluBackward");
        inner.reluBackward(y, dy, dx, n);
        took("reluBackward", start);
    }

    @Override
    public void biasGradient(float[] dy, int batch, int channels, int spatial, float[] dbias) {
        long start = count("biasGradient");
        inner.biasGradient(dy, batch, channels, spatial, dbias);
        took("biasGradient", start);
    }

    @Override
    public void leakyRelu(float slope, float[] x, float[] y, int n) {
        long start = count("leakyRelu");
        inner.leakyRelu(slope, x, y, n);
        took("leakyRelu", start);
    }

    @Override
    public void leakyReluBackward(float slope, float[] x, float[] dy, float[] dx, int n) {
        long start = count("leakyReluBackward");
        inner.leakyReluBackward(slope, x, dy, dx, n);
        took("leakyReluBackward", start);
    }

    @Override
    public void sigmoid(float[] x, float[] y, int n) {
        long start = count("sigmoid");
        inner.sigmoid(x, y, n);
        took("sigmoid", start);
    }

    @Override
    public void sigmoidBackward(float[] y, float[] dy, float[] dx, int n) {
        long start = count("sigmoidBackward");
        inner.sigmoidBackward(y, dy, dx, n);
        took("sigmoidBackward", start);
    }

    @Override
    public void tanh(float[] x, float[] y, int n) {
        long start = count("tanh");
        inner.tanh(x, y, n);
        took("tanh", start);
    }

    @Override
    public void tanhBackward(float[] y, float[] dy, float[] dx, int n) {
        long start = count("tanhBackward");
        inner.tanhBackward(y, dy, dx, n);
        took("tanhBackward", start);
    }

    @Override
    public void pointwise(Pointwise f, float param, float[] x, float[] y, int n) {
        long start = count("pointwise");
        inner.pointwise(f, param, x, y, n);
        took("pointwise", start);
    }

    @Override
    public void pointwiseBackward(Pointwise f, float param, float[] x, float[] dy, float[] dx, int n) {
        long start = count("pointwiseBackward");
        inner.pointwiseBackward(f, param, x, dy, dx, n);
        took("pointwiseBackward", start);
    }

    @Override
    public void adaptivePool2d(int planes, int inH, int inW, int outH, int outW, float[] x, float[] y, int[] argmax) {
        long start = count("adaptivePool2d");
        inner.adaptivePool2d(planes, inH, inW, outH, outW, x, y, argmax);
        took("adaptivePool2d", start);
    }

    @Override
    public void adaptivePool2dBackward(int planes, int inH, int inW, int outH, int outW, float[] dy, int[] argmax, float[] dx) {
        long start = count("adaptivePool2dBackward");
        inner.adaptivePool2dBackward(planes, inH, inW, outH, outW, dy, argmax, dx);
        took("adaptivePool2dBackward", start);
    }

    @Override
    public void upsample2d(int planes, int inH, int inW, int outH, int outW, boolean bilinear, boolean alignCorners,
                           float scaleH, float scaleW, float[] x, float[] y) {
        long start = count("upsample2d");
        inner.upsample2d(planes, inH, inW, outH, outW, bilinear, alignCorners, scaleH, scaleW, x, y);
        took("upsample2d", start);
    }

    @Override
    public void upsample2dBackward(int planes, int inH, int inW, int outH, int outW, boolean bilinear, boolean alignCorners,
                                   float scaleH, float scaleW, float[] dy, float[] dx) {
        long start = count("upsample2dBackward");
        inner.upsample2dBackward(planes, inH, inW, outH, outW, bilinear, alignCorners, scaleH, scaleW, dy, dx);
        took("upsample2dBackward", start);
    }

    @Override
    public void rowNormalize(float[] x, int rows, int cols, float eps, float[] mean, float[] invStd, float[] xhat) {
        long start = count("rowNormalize");
        inner.rowNormalize(x, rows, cols, eps, mean, invStd, xhat);
        took("rowNormalize", start);
    }

    @Override
    public void rowNormalizeBackward(float[] xhat, float[] dxhat, int rows, int cols, float[] invStd, float[] dx) {
        long start = count("rowNormalizeBackward");
        inner.rowNormalizeBackward(xhat, dxhat, rows, cols, invStd, dx);
        took("rowNormalizeBackward", start);
    }

    @Override
    public void softmax(float[] x, int rows, int cols, float[] y) {
        long start = count("softmax");
        inner.softmax(x, rows, cols, y);
        took("softmax", start);
    }

    @Override
    public void softmaxBackward(float[] y, float[] dy, int rows, int cols, float[] dx) {
        long start = count("softmaxBackward");
        inner.softmaxBackward(y, dy, rows, cols, dx);
        took("softmaxBackward", start);
    }

    @Override
    public void logSoftmax(float[] x, int rows, int cols, float[] y) {
        long start = count("logSoftmax");
        inner.logSoftmax(x, rows, cols, y);
        took("logSoftmax", start);
    }

    @Override
    public void logSoftmaxBackward(float[] y, float[] dy, int rows, int cols, float[] dx) {
        long start = count("logSoftmaxBackward");
        inner.logSoftmaxBackward(y, dy, rows, cols, dx);
        took("logSoftmaxBackward", start);
    }

    @Override
    public void add(float[] a, float[] b, boolean relu, float[] y, int n) {
        long start = count("add");
        inner.add(a, b, relu, y, n);
        took("add", start);
    }

    @Override
    public void mul(float[] a, float[] b, float[] y, int n) {
        long start = count("mul");
        inner.mul(a, b, y, n);
        took("mul", start);
    }

    @Override
    public void axpy(float alpha, float[] x, float[] y, int n) {
        long start = count("axpy");
        inner.axpy(alpha, x, y, n);
        took("axpy", start);
    }

    @Override
    public void scale(float alpha, float[] x, int n) {
        long start = count("scale");
        inner.scale(alpha, x, n);
        took("scale", start);
    }

    @Override
    public double sumOfSquares(float[] x, int n) {
        long start = count("sumOfSquares");
        double sum = inner.sumOfSquares(x, n);
        took("sumOfSquares", start);
        return sum;
    }

    @Override
    public void sgdUpdate(float[] w, float[] g, float[] b, int n, SgdStep step) {
        long start = count("sgdUpdate");
        inner.sgdUpdate(w, g, b, n, step);
        took("sgdUpdate", start);
    }

    @Override
    public void adamUpdate(float[] w, float[] g, float[] m, float[] v, float[] vMax, int n, AdamStep step) {
        long start = count("adamUpdate");
        inner.adamUpdate(w, g, m, v, vMax, n, step);
        took("adamUpdate", start);
    }

    @Override
    public void rmspropUpdate(float[] w, float[] g, float[] squareAvg, float[] gradAvg, float[] buffer, int n,
                              RmspropStep step) {
        long start = count("rmspropUpdate");
        inner.rmspropUpdate(w, g, squareAvg, gradAvg, buffer, n, step);
        took("rmspropUpdate", start);
    }

    @Override
    public void adagradUpdate(float[] w, float[] g, float[] sum, int n, AdagradStep step) {
        long start = count("adagradUpdate");
        inner.adagradUpdate(w, g, sum, n, step);
        took("adagradUpdate", start);
    }

    @Override
    public void channelMeanAndSquares(float[] x, int batch, int channels, int spatial, float[] mean, float[] squares) {
        long start = count("channelMeanAndSquares");
        inner.channelMeanAndSquares(x, batch, channels, spatial, mean, squares);
        took("channelMeanAndSquares", start);
    }

    @Override
    public void channelAffine(float[] x, int batch, int channels, int spatial, float[] scale, float[] shift, boolean relu,
                              float[] y) {
        long start = count("channelAffine");
        inner.channelAffine(x, batch, channels, spatial, scale, shift, relu, y);
        took("channelAffine", start);
    }

    @Override
    public void channelGradientSums(float[] x, float[] dy, float[] reluScale, float[] reluShift, int batch, int channels,
                                    int spatial, float[] center, float[] sumDy, float[] dot) {
        long start = count("channelGradientSums");
        inner.channelGradientSums(x, dy, reluScale, reluShift, batch, channels, spatial, center, sumDy, dot);
        took("channelGradientSums", start);
    }

    @Override
    public void batchNormBackwardInput(float[] x, float[] dy, float[] reluScale, float[] reluShift, int batch,
                                       int channels, int spatial, float[] mean, float[] k, float[] meanDy, float[] scale,
                                       float[] dx) {
        long start = count("batchNormBackwardInput");
        inner.batchNormBackwardInput(x, dy, reluScale, reluShift, batch, channels, spatial, mean, k, meanDy, scale, dx);
        took("batchNormBackwardInput", start);
    }

    /** A 3-D convolution's shape for the timing keys. */
    private static String shape(Conv3dGeometry g) {
        return " " + g.inChannels() + "x" + g.inD() + "x" + g.inH() + "x" + g.inW() + "->" + g.outChannels() + " k" + g.kD()
                + "x" + g.kH() + "x" + g.kW() + (g.strideH() == 1 ? "" : " s" + g.strideH()) + (g.groups() == 1 ? "" : " g" + g.groups());
    }

    @Override
    public void conv3d(Conv3dGeometry g, float[] x, float[] w, float[] bias, boolean relu, float[] y) {
        long start = count("conv3d");
        macs.addAndGet(g.macs());
        inner.conv3d(g, x, w, bias, relu, y);
        took(start, "conv3d" + shape(g), () -> inner.convolutionPath(g, ConvPass.FORWARD));
    }

    @Override
    public void conv3dBackwardInput(Conv3dGeometry g, float[] dy, float[] w, float[] dx) {
        long start = count("conv3dBackwardInput");
        macs.addAndGet(g.macs());
        inner.conv3dBackwardInput(g, dy, w, dx);
        took(start, "conv3dBackwardInput" + shape(g), () -> inner.convolutionPath(g, ConvPass.INPUT_GRADIENT));
    }

    @Override
    public void conv3dBackwardWeight(Conv3dGeometry g, float[] x, float[] dy, float[] dw, float[] dbias) {
        long start = count("conv3dBackwardWeight");
        macs.addAndGet(g.macs());
        inner.conv3dBackwardWeight(g, x, dy, dw, dbias);
        took(start, "conv3dBackwardWeight" + shape(g), () -> inner.convolutionPath(g, ConvPass.WEIGHT_GRADIENT));
    }

    @Override
    public void maxPool3d(Pool3dGeometry g, float[] x, float[] y, int[] argmax) {
        long start = count("maxPool3d");
        inner.maxPool3d(g, x, y, argmax);
        took("maxPool3d", start);
    }

    @Override
    public void maxPool3dBackward(Pool3dGeometry g, float[] dy, int[] argmax, float[] dx) {
        long start = count("maxPool3dBackward");
        inner.maxPool3dBackward(g, dy, argmax, dx);
        took("maxPool3dBackward", start);
    }

    @Override
    public void avgPool3d(Pool3dGeometry g, boolean countPadding, float[] x, float[] y) {
        long start = count("avgPool3d");
        inner.avgPool3d(g, countPadding, x, y);
        took("avgPool3d", start);
    }

    @Override
    public void avgPool3dBackward(Pool3dGeometry g, boolean countPadding, float[] dy, float[] dx) {
        long start = count("avgPool3dBackward");
        inner.avgPool3dBackward(g, countPadding, dy, dx);
        took("avgPool3dBackward", start);
    }

    @Override
    public void adaptivePool3d(int planes, int[] in, int[] out, float[] x, float[] y, int[] argmax) {
        long start = count("adaptivePool3d");
        inner.adaptivePool3d(planes, in, out, x, y, argmax);
        took("adaptivePool3d", start);
    }

    @Override
    public void adaptivePool3dBackward(int planes, int[] in, int[] out, float[] dy, int[] argmax, float[] dx) {
        long start = count("adaptivePool3dBackward");
        inner.adaptivePool3dBackward(planes, in, out, dy, argmax, dx);
        took("adaptivePool3dBackward", start);
    }
}
