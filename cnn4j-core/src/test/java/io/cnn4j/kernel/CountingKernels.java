package io.cnn4j.kernel;

import java.util.Map;
import java.util.TreeMap;

/**
 * The reference kernels with a call counter, installed with {@link Backend#use} for the length of a
 * try-with-resources block; {@link #close()} puts back the kernels that were active before. Lets a
 * test see which kernels a backward pass ran (and which it skipped).
 */
public final class CountingKernels implements Kernels, AutoCloseable {
    private final Kernels inner = new ReferenceKernels();
    private final Kernels previous;
    private final Map<String, Integer> calls = new TreeMap<>();

    private CountingKernels() {
        previous = Backend.kernels();
    }

    /** Installs a fresh counter as the active kernels. */
    public static CountingKernels install() {
        CountingKernels k = new CountingKernels();
        Backend.use(k);
        return k;
    }

    /** How many times kernel {@code name} (a {@link Kernels} method name) ran since install or {@link #reset()}. */
    public int calls(String name) {
        return calls.getOrDefault(name, 0);
    }

    public void reset() {
        calls.clear();
    }

    @Override
    public void close() {
        Backend.use(previous);
    }

    private void count(String name) {
        calls.merge(name, 1, Integer::sum);
    }

    @Override
    public String name() {
        return "counting " + inner.name();
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        count("gemm");
        inner.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override
    public void conv2d(ConvGeometry g, float[] x, float[] w, float[] bias, boolean relu, float[] y) {
        count("conv2d");
        inner.conv2d(g, x, w, bias, relu, y);
    }

    @Override
    public void conv2dBackwardInput(ConvGeometry g, float[] dy, float[] w, float[] dx) {
        count("conv2dBackwardInput");
        inner.conv2dBackwardInput(g, dy, w, dx);
    }

    @Override
    public void conv2dBackwardWeight(ConvGeometry g, float[] x, float[] dy, float[] dw, float[] dbias) {
        count("conv2dBackwardWeight");
        inner.conv2dBackwardWeight(g, x, dy, dw, dbias);
    }

    @Override
    public void linear(int batch, int in, int out, float[] x, float[] w, float[] bias, boolean relu, float[] y) {
        count("linear");
        inner.linear(batch, in, out, x, w, bias, relu, y);
    }

    @Override
    public void maxPool2d(PoolGeometry g, float[] x, float[] y, int[] argmax) {
        count("maxPool2d");
        inner.maxPool2d(g, x, y, argmax);
    }

    @Override
    public void maxPool2dBackward(PoolGeometry g, float[] dy, int[] argmax, float[] dx) {
        count("maxPool2dBackward");
        inner.maxPool2dBackward(g, dy, argmax, dx);
    }

    @Override
    public void avgPool2d(PoolGeometry g, boolean countPadding, float[] x, float[] y) {
        count("avgPool2d");
        inner.avgPool2d(g, countPadding, x, y);
    }

    @Override
    public void avgPool2dBackward(PoolGeometry g, boolean countPadding, float[] dy, float[] dx) {
        count("avgPool2dBackward");
        inner.avgPool2dBackward(g, countPadding, dy, dx);
    }

    @Override
    public void relu(float[] x, float[] y, int n) {
        count("relu");
        inner.relu(x, y, n);
    }

    @Override
    public void reluBackward(float[] y, float[] dy, float[] dx, int n) {
        count("reluBackward");
        inner.reluBackward(y, dy, dx, n);
    }

    @Override
    public void biasGradient(float[] dy, int batch, int channels, int spatial, float[] dbias) {
        count("biasGradient");
        inner.biasGradient(dy, batch, channels, spatial, dbias);
    }

    @Override
    public void leakyRelu(float slope, float[] x, float[] y, int n) {
        count("leakyRelu");
        inner.leakyRelu(slope, x, y, n);
    }

    @Override
    public void leakyReluBackward(float slope, float[] x, float[] dy, float[] dx, int n) {
        count("leakyReluBackward");
        inner.leakyReluBackward(slope, x, dy, dx, n);
    }

    @Override
    public void sigmoid(float[] x, float[] y, int n) {
        count("sigmoid");
        inner.sigmoid(x, y, n);
    }

    @Override
    public void sigmoidBackward(float[] y, float[] dy, float[] dx, int n) {
        count("sigmoidBackward");
        inner.sigmoidBackward(y, dy, dx, n);
    }

    @Override
    public void tanh(float[] x, float[] y, int n) {
        count("tanh");
        inner.tanh(x, y, n);
    }

    @Override
    public void tanhBackward(float[] y, float[] dy, float[] dx, int n) {
        count("tanhBackward");
        inner.tanhBackward(y, dy, dx, n);
    }

    @Override
    public void softmax(float[] x, int rows, int cols, float[] y) {
        count("softmax");
        inner.softmax(x, rows, cols, y);
    }

    @Override
    public void softmaxBackward(float[] y, float[] dy, int rows, int cols, float[] dx) {
        count("softmaxBackward");
        inner.softmaxBackward(y, dy, rows, cols, dx);
    }

    @Override
    public void logSoftmax(float[] x, int rows, int cols, float[] y) {
        count("logSoftmax");
        inner.logSoftmax(x, rows, cols, y);
    }

    @Override
    public void logSoftmaxBackward(float[] y, float[] dy, int rows, int cols, float[] dx) {
        count("logSoftmaxBackward");
        inner.logSoftmaxBackward(y, dy, rows, cols, dx);
    }

    @Override
    public void add(float[] a, float[] b, float[] y, int n) {
        count("add");
        inner.add(a, b, y, n);
    }

    @Override
    public void mul(float[] a, float[] b, float[] y, int n) {
        count("mul");
        inner.mul(a, b, y, n);
    }

    @Override
    public void axpy(float alpha, float[] x, float[] y, int n) {
        count("axpy");
        inner.axpy(alpha, x, y, n);
    }
}
