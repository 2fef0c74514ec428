package io.cnn4j.kernel;

import java.util.Arrays;

/**
 * The specification: every kernel as the plainest loops that compute it, single-threaded. Faster
 * implementations are tested against this one; it is also what runs where speed does not matter.
 */
public final class ReferenceKernels implements Kernels {

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                c[row + j] = beta == 0f ? 0f : beta * c[row + j];
            }
            for (int p = 0; p < k; p++) {
                float aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                if (transB) {
                    for (int j = 0; j < n; j++) {
                        c[row + j] += aip * b[bOff + j * ldb + p];
                    }
                } else {
                    int brow = bOff + p * ldb;
                    for (int j = 0; j < n; j++) {
                        c[row + j] += aip * b[brow + j];
                    }
                }
            }
        }
    }

    @Override
    public void conv2d(ConvGeometry g, float[] x, float[] w, float[] bias, boolean relu, float[] y) {
        int icg = g.inChannelsPerGroup();
        int ocg = g.outChannelsPerGroup();
        int outPlane = g.outH() * g.outW();
        for (int n = 0; n < g.batch(); n++) {
            for (int oc = 0; oc < g.outChannels(); oc++) {
                int yOff = (n * g.outChannels() + oc) * outPlane;
                Arrays.fill(y, yOff, yOff + outPlane, bias == null ? 0f : bias[oc]);
                int group = oc / ocg;
                for (int c = 0; c < icg; c++) {
                    int xOff = (n * g.inChannels() + group * icg + c) * g.inH() * g.inW();
                    for (int kh = 0; kh < g.kH(); kh++) {
                        for (int kw = 0; kw < g.kW(); kw++) {
                            float wv = w[((oc * icg + c) * g.kH() + kh) * g.kW() + kw];
                            for (int oh = 0; oh < g.outH(); oh++) {
                                int ih = oh * g.strideH() - g.padH() + kh * g.dilationH();
                                if (ih < 0 || ih >= g.inH()) {
                                    continue;
                                }
                                for (int ow = 0; ow < g.outW(); ow++) {
                                    int iw = ow * g.strideW() - g.padW() + kw * g.dilationW();
                                    if (iw >= 0 && iw < g.inW()) {
                                        y[yOff + oh * g.outW() + ow] += wv * x[xOff + ih * g.inW() + iw];
                                    }
                                }
                            }
                        }
                    }
                }
                if (relu) {
                    relu(y, yOff, outPlane);
                }
            }
        }
    }

    @Override
    public void conv2dBackwardInput(ConvGeometry g, float[] dy, float[] w, float[] dx) {
        int icg = g.inChannelsPerGroup();
        int ocg = g.outChannelsPerGroup();
        int outPlane = g.outH() * g.outW();
        Arrays.fill(dx, 0, g.batch() * g.inputImageSize(), 0f);
        for (int n = 0; n < g.batch(); n++) {
            for (int oc = 0; oc < g.outChannels(); oc++) {
                int yOff = (n * g.outChannels() + oc) * outPlane;
                int group = oc / ocg;
                for (int c = 0; c < icg; c++) {
                    int xOff = (n * g.inChannels() + group * icg + c) * g.inH() * g.inW();
                    for (int kh = 0; kh < g.kH(); kh++) {
                        for (int kw = 0; kw < g.kW(); kw++) {
                            float wv = w[((oc * icg + c) * g.kH() + kh) * g.kW() + kw];
                            for (int oh = 0; oh < g.outH(); oh++) {
                                int ih = oh * g.strideH() - g.padH() + kh * g.dilationH();
                                if (ih < 0 || ih >= g.inH()) {
                                    continue;
                                }
                                for (int ow = 0; ow < g.outW(); ow++) {
                                    int iw = ow * g.strideW() - g.padW() + kw * g.dilationW();
                                    if (iw >= 0 && iw < g.inW()) {
                                        dx[xOff + ih * g.inW() + iw] += wv * dy[yOff + oh * g.outW() + ow];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Override
    public void conv2dBackwardWeight(ConvGeometry g, float[] x, float[] dy, float[] dw, float[] dbias) {
        int icg = g.inChannelsPerGroup();
        int ocg = g.outChannelsPerGroup();
        int outPlane = g.outH() * g.outW();
        Arrays.fill(dw, 0, g.weightSize(), 0f);
        for (int n = 0; n < g.batch(); n++) {
            for (int oc = 0; oc < g.outChannels(); oc++) {
                int yOff = (n * g.outChannels() + oc) * outPlane;
                int group = oc / ocg;
                for (int c = 0; c < icg; c++) {
                    int xOff = (n * g.inChannels() + group * icg + c) * g.inH() * g.inW();
                    for (int kh = 0; kh < g.kH(); kh++) {
                        for (int kw = 0; kw < g.kW(); kw++) {
                            float acc = 0f;
                            for (int oh = 0; oh < g.outH(); oh++) {
                                int ih = oh * g.strideH() - g.padH() + kh * g.dilationH();
                                if (ih < 0 || ih >= g.inH()) {
                                    continue;
                                }
                                for (int ow = 0; ow < g.outW(); ow++) {
                                    int iw = ow * g.strideW() - g.padW() + kw * g.dilationW();
                                    if (iw >= 0 && iw < g.inW()) {
                                        acc += dy[yOff + oh * g.outW() + ow] * x[xOff + ih * g.inW() + iw];
                                    }
                                }
                            }
                            dw[((oc * icg + c) * g.kH() + kh) * g.kW() + kw] += acc;
                        }
                    }
                }
            }
        }
        if (dbias != null) {
            biasGradient(dy, g.batch(), g.outChannels(), outPlane, dbias);
        }
    }

    @Override
    public void linear(int batch, int in, int out, float[] x, float[] w, float[] bias, boolean relu, float[] y) {
        gemm(false, true, batch, out, in, x, 0, in, w, 0, in, 0f, y, 0, out);
        for (int n = 0; n < batch; n++) {
            if (bias != null) {
                for (int o = 0; o < out; o++) {
                    y[n * out + o] += bias[o];
                }
            }
            if (relu) {
                relu(y, n * out, out);
            }
        }
    }

    private static void relu(float[] y, int off, int len) {
        for (int i = off; i < off + len; i++) {
            y[i] = Math.max(y[i], 0f);
        }
    }

    @Override
    public void maxPool2d(PoolGeometry g, float[] x, float[] y, int[] argmax) {
        for (int p = 0; p < g.planes(); p++) {
            int xOff = p * g.inputPlaneSize();
            int yOff = p * g.outputPlaneSize();
            for (int oh = 0; oh < g.outH(); oh++) {
                int h0 = Math.max(oh * g.strideH() - g.padH(), 0);
                int h1 = Math.min(oh * g.strideH() - g.padH() + g.kH(), g.inH());
                for (int ow = 0; ow < g.outW(); ow++) {
                    int w0 = Math.max(ow * g.strideW() - g.padW(), 0);
                    int w1 = Math.min(ow * g.strideW() - g.padW() + g.kW(), g.inW());
                    float best = Float.NEGATIVE_INFINITY;
                    int bestAt = h0 * g.inW() + w0;
                    for (int ih = h0; ih < h1; ih++) {
                        for (int iw = w0; iw < w1; iw++) {
                            float v = x[xOff + ih * g.inW() + iw];
                            // NaN wins, as in PyTorch, so a diverged activation is not silently hidden.
                            if (v > best || Float.isNaN(v)) {
                                best = v;
                                bestAt = ih * g.inW() + iw;
                                if (Float.isNaN(v)) {
                                    ih = h1;
                                    break;
                                }
                            }
                        }
                    }
                    y[yOff + oh * g.outW() + ow] = best;
                    if (argmax != null) {
                        argmax[yOff + oh * g.outW() + ow] = bestAt;
                    }
                }
            }
        }
    }

    @Override
    public void maxPool2dBackward(PoolGeometry g, float[] dy, int[] argmax, float[] dx) {
        Arrays.fill(dx, 0, g.planes() * g.inputPlaneSize(), 0f);
        for (int p = 0; p < g.planes(); p++) {
            int xOff = p * g.inputPlaneSize();
            int yOff = p * g.outputPlaneSize();
            for (int o = 0; o < g.outputPlaneSize(); o++) {
                dx[xOff + argmax[yOff + o]] += dy[yOff + o];
            }
        }
    }

    @Override
    public void adaptivePool2d(int planes, int inH, int inW, int outH, int outW, float[] x, float[] y, int[] argmax) {
        for (int p = 0; p < planes; p++) {
            int xOff = p * inH * inW;
            int yOff = p * outH * outW;
            for (int i = 0; i < outH; i++) {
                int r0 = windowStart(i, inH, outH);
                int r1 = windowEnd(i, inH, outH);
                for (int j = 0; j < outW; j++) {
                    int c0 = windowStart(j, inW, outW);
                    int c1 = windowEnd(j, inW, outW);
                    int o = yOff + i * outW + j;
                    if (argmax != null) {
                        int best = r0 * inW + c0;
                        float max = x[xOff + best];
                        for (int r = r0; r < r1; r++) {
                            for (int c = c0; c < c1; c++) {
                                float v = x[xOff + r * inW + c];
                                if (v > max || Float.isNaN(v) && !Float.isNaN(max)) {
                                    max = v;
                                    best = r * inW + c;
                                }
                            }
                        }
                        y[o] = max;
                        argmax[o] = best;
                    } else {
                        float sum = 0f;
                        for (int r = r0; r < r1; r++) {
                            for (int c = c0; c < c1; c++) {
                                sum += x[xOff + r * inW + c];
                            }
                        }
                        y[o] = sum / ((r1 - r0) * (c1 - c0));
                    }
                }
            }
        }
    }

    @Override
    public void adaptivePool2dBackward(int planes, int inH, int inW, int outH, int outW, float[] dy, int[] argmax, float[] dx) {
        Arrays.fill(dx, 0, planes * inH * inW, 0f);
        for (int p = 0; p < planes; p++) {
            int xOff = p * inH * inW;
            int yOff = p * outH * outW;
            for (int i = 0; i < outH; i++) {
                int r0 = windowStart(i, inH, outH);
                int r1 = windowEnd(i, inH, outH);
                for (int j = 0; j < outW; j++) {
                    int o = yOff + i * outW + j;
                    if (argmax != null) {
                        dx[xOff + argmax[o]] += dy[o];
                        continue;
                    }
                    int c0 = windowStart(j, inW, outW);
                    int c1 = windowEnd(j, inW, outW);
                    float share = dy[o] / ((r1 - r0) * (c1 - c0));
                    for (int r = r0; r < r1; r++) {
                        for (int c = c0; c < c1; c++) {
                            dx[xOff + r * inW + c] += share;
                        }
                    }
                }
            }
        }
    }

    @Override
    public void upsample2d(int planes, int inH, int inW, int outH, int outW, boolean bilinear, boolean alignCorners,
                           float scaleH, float scaleW, float[] x, float[] y) {
        resample(planes, inH, inW, outH, outW, bilinear, alignCorners, scaleH, scaleW, x, y, false);
    }

    @Override
    public void upsample2dBackward(int planes, int inH, int inW, int outH, int outW, boolean bilinear, boolean alignCorners,
                                   float scaleH, float scaleW, float[] dy, float[] dx) {
        Arrays.fill(dx, 0, planes * inH * inW, 0f);
        resample(planes, inH, inW, outH, outW, bilinear, alignCorners, scaleH, scaleW, dx, dy, true);
    }

    /**
     * Each output value as the weighted sum of at most four input values, read forward ({@code y = f(x)}) or,
     * {@code backward}, each output gradient spread back onto those inputs with the same weights.
     */
    private static void resample(int planes, int inH, int inW, int outH, int outW, boolean bilinear, boolean alignCorners,
                                 float scaleH, float scaleW, float[] x, float[] y, boolean backward) {
        for (int p = 0; p < planes; p++) {
            int xOff = p * inH * inW;
            int yOff = p * outH * outW;
            for (int i = 0; i < outH; i++) {
                float sh = source(i, scaleH, alignCorners, bilinear, inH);
                int h0 = (int) sh;
                int h1 = bilinear && h0 < inH - 1 ? h0 + 1 : h0;
                float lh = bilinear ? sh - h0 : 0f;
                for (int j = 0; j < outW; j++) {
                    float sw = source(j, scaleW, alignCorners, bilinear, inW);
                    int w0 = (int) sw;
                    int w1 = bilinear && w0 < inW - 1 ? w0 + 1 : w0;
                    float lw = bilinear ? sw - w0 : 0f;
                    int o = yOff + i * outW + j;
                    int a = xOff + h0 * inW;
                    int b = xOff + h1 * inW;
                    if (backward) {
                        float g = y[o];
                        x[a + w0] += (1 - lh) * (1 - lw) * g;
                        x[a + w1] += (1 - lh) * lw * g;
                        x[b + w0] += lh * (1 - lw) * g;
                        x[b + w1] += lh * lw * g;
                    } else {
                        y[o] = (1 - lh) * ((1 - lw) * x[a + w0] + lw * x[a + w1]) + lh * ((1 - lw) * x[b + w0] + lw * x[b + w1]);
                    }
                }
            }
        }
    }

    /** The source position of output index {@code i}: an index for nearest, a fractional one for bilinear. */
    private static float source(int i, float scale, boolean alignCorners, boolean bilinear, int in) {
        if (!bilinear) {
            return Math.min((float) Math.floor(i * scale), in - 1);
        }
        float s = alignCorners ? scale * i : scale * (i + 0.5f) - 0.5f;
        return Math.max(s, 0f);
    }

    /** PyTorch's adaptive window: from {@code floor(i * in / out)}... */
    private static int windowStart(int i, int in, int out) {
        return (int) ((long) i * in / out);
    }

    /** ...to {@code ceil((i + 1) * in / out)}, exclusive. */
    private static int windowEnd(int i, int in, int out) {
        return (int) (((long) (i + 1) * in + out - 1) / out);
    }

    @Override
    public void avgPool2d(PoolGeometry g, boolean countPadding, float[] x, float[] y) {
        for (int p = 0; p < g.planes(); p++) {
            int xOff = p * g.inputPlaneSize();
            int yOff = p * g.outputPlaneSize();
            for (int oh = 0; oh < g.outH(); oh++) {
                for (int ow = 0; ow < g.outW(); ow++) {
                    Window win = Window.of(g, countPadding, oh, ow);
                    float sum = 0f;
                    for (int ih = win.h0; ih < win.h1; ih++) {
                        for (int iw = win.w0; iw < win.w1; iw++) {
                            sum += x[xOff + ih * g.inW() + iw];
                        }
                    }
                    y[yOff + oh * g.outW() + ow] = sum / win.divisor;
                }
            }
        }
    }

    @Override
    public void avgPool2dBackward(PoolGeometry g, boolean countPadding, float[] dy, float[] dx) {
        Arrays.fill(dx, 0, g.planes() * g.inputPlaneSize(), 0f);
        for (int p = 0; p < g.planes(); p++) {
            int xOff = p * g.inputPlaneSize();
            int yOff = p * g.outputPlaneSize();
            for (int oh = 0; oh < g.outH(); oh++) {
                for (int ow = 0; ow < g.outW(); ow++) {
                    Window win = Window.of(g, countPadding, oh, ow);
                    float share = dy[yOff + oh * g.outW() + ow] / win.divisor;
                    for (int ih = win.h0; ih < win.h1; ih++) {
                        for (int iw = win.w0; iw < win.w1; iw++) {
                            dx[xOff + ih * g.inW() + iw] += share;
                        }
                    }
                }
            }
        }
    }

    /** One average-pooling window clipped to the input, and its divisor as PyTorch computes it. */
    private record Window(int h0, int h1, int w0, int w1, int divisor) {
        static Window of(PoolGeometry g, boolean countPadding, int oh, int ow) {
            int hs = oh * g.strideH() - g.padH();
            int ws = ow * g.strideW() - g.padW();
            int he = Math.min(hs + g.kH(), g.inH() + g.padH());
            int we = Math.min(ws + g.kW(), g.inW() + g.padW());
            int padded = (he - hs) * (we - ws);
            int h0 = Math.max(hs, 0);
            int w0 = Math.max(ws, 0);
            int h1 = Math.min(he, g.inH());
            int w1 = Math.min(we, g.inW());
            return new Window(h0, h1, w0, w1, countPadding ? padded : (h1 - h0) * (w1 - w0));
        }
    }

    @Override
    public void relu(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = Math.max(x[i], 0f);
        }
    }

    @Override
    public void reluBackward(float[] y, float[] dy, float[] dx, int n) {
        for (int i = 0; i < n; i++) {
            dx[i] = y[i] > 0f ? dy[i] : 0f;
        }
    }

    @Override
    public void biasGradient(float[] dy, int batch, int channels, int spatial, float[] dbias) {
        Arrays.fill(dbias, 0, channels, 0f);
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < channels; c++) {
                int off = (n * channels + c) * spatial;
                float s = 0f;
                for (int i = 0; i < spatial; i++) {
                    s += dy[off + i];
                }
                dbias[c] += s;
            }
        }
    }

    @Override
    public void leakyRelu(float slope, float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = x[i] > 0f ? x[i] : slope * x[i];
        }
    }

    @Override
    public void leakyReluBackward(float slope, float[] x, float[] dy, float[] dx, int n) {
        for (int i = 0; i < n; i++) {
            dx[i] = x[i] > 0f ? dy[i] : slope * dy[i];
        }
    }

    @Override
    public void sigmoid(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = (float) (1.0 / (1.0 + Math.exp(-x[i])));
        }
    }

    @Override
    public void sigmoidBackward(float[] y, float[] dy, float[] dx, int n) {
        for (int i = 0; i < n; i++) {
            dx[i] = dy[i] * y[i] * (1f - y[i]);
        }
    }

    @Override
    public void tanh(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = (float) Math.tanh(x[i]);
        }
    }

    @Override
    public void tanhBackward(float[] y, float[] dy, float[] dx, int n) {
        for (int i = 0; i < n; i++) {
            dx[i] = dy[i] * (1f - y[i] * y[i]);
        }
    }

    @Override
    public void pointwise(Pointwise f, float param, float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = (float) f.apply(x[i], param);
        }
    }

    @Override
    public void pointwiseBackward(Pointwise f, float param, float[] x, float[] dy, float[] dx, int n) {
        for (int i = 0; i < n; i++) {
            dx[i] = (float) (dy[i] * f.derivative(x[i], param));
        }
    }

    // Sums in double, as the channel statistics of batch normalisation are.
    @Override
    public void rowNormalize(float[] x, int rows, int cols, float eps, float[] mean, float[] invStd, float[] xhat) {
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                sum += x[off + j];
            }
            double mu = sum / cols;
            double squares = 0;
            for (int j = 0; j < cols; j++) {
                double d = x[off + j] - mu;
                squares += d * d;
            }
            double inv = 1 / Math.sqrt(squares / cols + eps);
            mean[r] = (float) mu;
            invStd[r] = (float) inv;
            for (int j = 0; j < cols; j++) {
                xhat[off + j] = (float) ((x[off + j] - mu) * inv);
            }
        }
    }

    @Override
    public void rowNormalizeBackward(float[] xhat, float[] dxhat, int rows, int cols, float[] invStd, float[] dx) {
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            double sum = 0;
            double dot = 0;
            for (int j = 0; j < cols; j++) {
                sum += dxhat[off + j];
                dot += (double) dxhat[off + j] * xhat[off + j];
            }
            double meanD = sum / cols;
            double meanDot = dot / cols;
            for (int j = 0; j < cols; j++) {
                dx[off + j] = (float) (invStd[r] * (dxhat[off + j] - meanD - xhat[off + j] * meanDot));
            }
        }
    }

    @Override
    public void softmax(float[] x, int rows, int cols, float[] y) {
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            float max = rowMax(x, off, cols);
            float sum = 0f;
            for (int j = 0; j < cols; j++) {
                float e = (float) Math.exp(x[off + j] - max);
                y[off + j] = e;
                sum += e;
            }
            for (int j = 0; j < cols; j++) {
                y[off + j] /= sum;
            }
        }
    }

    @Override
    public void softmaxBackward(float[] y, float[] dy, int rows, int cols, float[] dx) {
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            float dot = 0f;
            for (int j = 0; j < cols; j++) {
                dot += dy[off + j] * y[off + j];
            }
            for (int j = 0; j < cols; j++) {
                dx[off + j] = y[off + j] * (dy[off + j] - dot);
            }
        }
    }

    @Override
    public void logSoftmax(float[] x, int rows, int cols, float[] y) {
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            float max = rowMax(x, off, cols);
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                sum += Math.exp(x[off + j] - max);
            }
            float logSum = (float) Math.log(sum);
            for (int j = 0; j < cols; j++) {
                y[off + j] = x[off + j] - max - logSum;
            }
        }
    }

    @Override
    public void logSoftmaxBackward(float[] y, float[] dy, int rows, int cols, float[] dx) {
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            float sum = 0f;
            for (int j = 0; j < cols; j++) {
                sum += dy[off + j];
            }
            for (int j = 0; j < cols; j++) {
                dx[off + j] = dy[off + j] - (float) Math.exp(y[off + j]) * sum;
            }
        }
    }

    private static float rowMax(float[] x, int off, int cols) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < cols; j++) {
            max = Math.max(max, x[off + j]);
        }
        return max;
    }

    @Override
    public void add(float[] a, float[] b, boolean relu, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            float v = a[i] + b[i];
            y[i] = relu ? Math.max(v, 0f) : v;
        }
    }

    @Override
    public void mul(float[] a, float[] b, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = a[i] * b[i];
        }
    }

    @Override
    public void axpy(float alpha, float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] += alpha * x[i];
        }
    }

    @Override
    public void scale(float alpha, float[] x, int n) {
        for (int i = 0; i < n; i++) {
            x[i] *= alpha;
        }
    }

    @Override
    public double sumOfSquares(float[] x, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += (double) x[i] * x[i];
        }
        return sum;
    }

    @Override
    public void sgdUpdate(float[] w, float[] g, float[] b, int n, SgdStep s) {
        float lr = s.lr();
        float wd = s.weightDecay();
        float mom = s.momentum();
        for (int j = 0; j < n; j++) {
            float d = wd != 0 ? g[j] + wd * w[j] : g[j];
            if (b != null) {
                b[j] = s.first() ? d : b[j] * mom + s.keep() * d;
                d = s.nesterov() ? d + mom * b[j] : b[j];
            }
            w[j] += -lr * d;
        }
    }

    @Override
    public void adamUpdate(float[] w, float[] g, float[] m, float[] v, float[] vMax, int n, AdamStep s) {
        adamUpdate(w, g, m, v, vMax, 0, n, s);
    }

    /** Adam's update of elements {@code [from, to)}: the definition that {@link CpuKernels}' vectors round as. */
    static void adamUpdate(float[] w, float[] g, float[] m, float[] v, float[] vMax, int from, int to, AdamStep s) {
        float b1 = s.beta1();
        float oneMinusB1 = s.oneMinusBeta1();
        float b2 = s.beta2();
        float oneMinusB2 = s.oneMinusBeta2();
        float wd = s.weightDecay();
        float stepSize = s.stepSize();
        float bc2Sqrt = s.biasCorrection2Sqrt();
        for (int j = from; j < to; j++) {
            float gj = g[j];
            if (wd != 0) {
                if (s.decoupled()) {
                    w[j] *= s.shrink();
                } else {
                    gj += wd * w[j];
                }
            }
            m[j] = m[j] * b1 + oneMinusB1 * gj;
            v[j] = v[j] * b2 + oneMinusB2 * gj * gj;
            float second = v[j];
            if (vMax != null) {
                second = vMax[j] = Math.max(vMax[j], second);
            }
            float denom = (float) Math.sqrt(second) / bc2Sqrt + s.eps();
            w[j] += stepSize * m[j] / denom;
        }
    }

    // The products are grouped as PyTorch's addcmul_ and addcdiv_ group them, (value * t1) * t2 and
    // (value * t1) / t2, so that each float rounds as it does there.
    @Override
    public void rmspropUpdate(float[] w, float[] g, float[] squareAvg, float[] gradAvg, float[] buffer, int n,
                              RmspropStep s) {
        float wd = s.weightDecay();
        for (int j = 0; j < n; j++) {
            float gj = wd != 0 ? g[j] + wd * w[j] : g[j];
            squareAvg[j] = squareAvg[j] * s.alpha() + s.oneMinusAlpha() * gj * gj;
            float avg;
            if (gradAvg != null) {
                gradAvg[j] = gradAvg[j] * s.alpha() + s.oneMinusAlpha() * gj;
                avg = (float) Math.sqrt(squareAvg[j] + -1f * gradAvg[j] * gradAvg[j]) + s.eps();
            } else {
                avg = (float) Math.sqrt(squareAvg[j]) + s.eps();
            }
            if (buffer != null) {
                buffer[j] = buffer[j] * s.momentum() + gj / avg;
                w[j] += -s.lr() * buffer[j];
            } else {
                w[j] += -s.lr() * gj / avg;
            }
        }
    }

    @Override
    public void adagradUpdate(float[] w, float[] g, float[] sum, int n, AdagradStep s) {
        float wd = s.weightDecay();
        for (int j = 0; j < n; j++) {
            float gj = wd != 0 ? g[j] + wd * w[j] : g[j];
            sum[j] += gj * gj;
            w[j] += s.stepSize() * gj / ((float) Math.sqrt(sum[j]) + s.eps());
        }
    }

    @Override
    public void channelMeanAndSquares(float[] x, int batch, int channels, int spatial, float[] mean, float[] squares) {
        double count = (double) batch * spatial;
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int n = 0; n < batch; n++) {
                int off = (n * channels + c) * spatial;
                for (int i = 0; i < spatial; i++) {
                    sum += x[off + i];
                }
            }
            float m = (float) (sum / count);
            double s = 0;
            for (int n = 0; n < batch; n++) {
                int off = (n * channels + c) * spatial;
                for (int i = 0; i < spatial; i++) {
                    float d = x[off + i] - m;
                    s += d * d;
                }
            }
            mean[c] = m;
            squares[c] = (float) s;
        }
    }

    @Override
    public void channelAffine(float[] x, int batch, int channels, int spatial, float[] scale, float[] shift, boolean relu,
                              float[] y) {
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < channels; c++) {
                int off = (n * channels + c) * spatial;
                for (int i = off; i < off + spatial; i++) {
                    float v = Math.fma(x[i], scale[c], shift[c]);
                    y[i] = relu ? Math.max(v, 0f) : v;
                }
            }
        }
    }

    @Override
    public void channelGradientSums(float[] x, float[] dy, float[] reluScale, float[] reluShift, int batch, int channels,
                                    int spatial, float[] center, float[] sumDy, float[] dot) {
        for (int c = 0; c < channels; c++) {
            double s = 0;
            double d = 0;
            for (int n = 0; n < batch; n++) {
                int off = (n * channels + c) * spatial;
                for (int i = off; i < off + spatial; i++) {
                    float g = throughRelu(x[i], dy[i], reluScale, reluShift, c);
                    s += g;
                    d += (x[i] - center[c]) * g;
                }
            }
            sumDy[c] = (float) s;
            dot[c] = (float) d;
        }
    }

    @Override
    public void batchNormBackwardInput(float[] x, float[] dy, float[] reluScale, float[] reluShift, int batch,
                                       int channels, int spatial, float[] mean, float[] k, float[] meanDy, float[] scale,
                                       float[] dx) {
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < channels; c++) {
                int off = (n * channels + c) * spatial;
                for (int i = off; i < off + spatial; i++) {
                    float g = throughRelu(x[i], dy[i], reluScale, reluShift, c);
                    dx[i] = (g - meanDy[c] - (x[i] - mean[c]) * k[c]) * scale[c];
                }
            }
        }
    }

    /** {@code dy} where the fused ReLU after a batch norm passed its input {@code x}, else 0; {@code dy} without one. */
    private static float throughRelu(float x, float dy, float[] reluScale, float[] reluShift, int c) {
        return reluScale == null || Math.fma(x, reluScale[c], reluShift[c]) > 0f ? dy : 0f;
    }

    @Override
    public void conv3d(Conv3dGeometry g, float[] x, float[] w, float[] bias, boolean relu, float[] y) {
        int out = g.outputVolume();
        for (int n = 0; n < g.batch(); n++) {
            for (int oc = 0; oc < g.outChannels(); oc++) {
                int yOff = (n * g.outChannels() + oc) * out;
                Arrays.fill(y, yOff, yOff + out, bias == null ? 0f : bias[oc]);
            }
        }
        conv3dTaps(g, (xi, wi, yi) -> y[yi] += w[wi] * x[xi]);
        if (relu) {
            relu(y, 0, g.batch() * g.outputSampleSize());
        }
    }

    @Override
    public void conv3dBackwardInput(Conv3dGeometry g, float[] dy, float[] w, float[] dx) {
        Arrays.fill(dx, 0, g.batch() * g.inputSampleSize(), 0f);
        conv3dTaps(g, (xi, wi, yi) -> dx[xi] += w[wi] * dy[yi]);
    }

    @Override
    public void conv3dBackwardWeight(Conv3dGeometry g, float[] x, float[] dy, float[] dw, float[] dbias) {
        Arrays.fill(dw, 0, g.weightSize(), 0f);
        conv3dTaps(g, (xi, wi, yi) -> dw[wi] += x[xi] * dy[yi]);
        if (dbias != null) {
            biasGradient(dy, g.batch(), g.outChannels(), g.outputVolume(), dbias);
        }
    }

    /** One multiply of a 3-D convolution: input, weight and output index. */
    @FunctionalInterface
    private interface Tap {
        void at(int x, int w, int y);
    }

    /** Every (input, weight, output) triple of a 3-D convolution whose input lies inside the volume. */
    private static void conv3dTaps(Conv3dGeometry g, Tap tap) {
        int icg = g.inChannelsPerGroup();
        int ocg = g.outChannelsPerGroup();
        for (int n = 0; n < g.batch(); n++) {
            for (int oc = 0; oc < g.outChannels(); oc++) {
                int group = oc / ocg;
                for (int c = 0; c < icg; c++) {
                    int xOff = (n * g.inChannels() + group * icg + c) * g.inputVolume();
                    for (int kd = 0; kd < g.kD(); kd++) {
                        for (int kh = 0; kh < g.kH(); kh++) {
                            for (int kw = 0; kw < g.kW(); kw++) {
                                int wi = (((oc * icg + c) * g.kD() + kd) * g.kH() + kh) * g.kW() + kw;
                                for (int od = 0; od < g.outD(); od++) {
                                    int id = od * g.strideD() - g.padD() + kd * g.dilationD();
                                    for (int oh = 0; oh < g.outH(); oh++) {
                                        int ih = oh * g.strideH() - g.padH() + kh * g.dilationH();
                                        for (int ow = 0; ow < g.outW(); ow++) {
                                            int iw = ow * g.strideW() - g.padW() + kw * g.dilationW();
                                            if (id >= 0 && id < g.inD() && ih >= 0 && ih < g.inH() && iw >= 0 && iw < g.inW()) {
                                                tap.at(xOff + (id * g.inH() + ih) * g.inW() + iw, wi,
                                                        (((n * g.outChannels() + oc) * g.outD() + od) * g.outH() + oh) * g.outW() + ow);
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Override
    public void maxPool3d(Pool3dGeometry g, float[] x, float[] y, int[] argmax) {
        Pool3d.max(g, 0, g.planes(), x, y, argmax);
    }

    @Override
    public void maxPool3dBackward(Pool3dGeometry g, float[] dy, int[] argmax, float[] dx) {
        Pool3d.maxBackward(g, 0, g.planes(), dy, argmax, dx);
    }

    @Override
    public void avgPool3d(Pool3dGeometry g, boolean countPadding, float[] x, float[] y) {
        Pool3d.average(g, countPadding, 0, g.planes(), x, y);
    }

    @Override
    public void avgPool3dBackward(Pool3dGeometry g, boolean countPadding, float[] dy, float[] dx) {
        Pool3d.averageBackward(g, countPadding, 0, g.planes(), dy, dx);
    }

    @Override
    public void adaptivePool3d(int planes, int[] in, int[] out, float[] x, float[] y, int[] argmax) {
        Pool3d.adaptive(0, planes, in, out, x, y, argmax);
    }

    @Override
    public void adaptivePool3dBackward(int planes, int[] in, int[] out, float[] dy, int[] argmax, float[] dx) {
        Pool3d.adaptiveBackward(0, planes, in, out, dy, argmax, dx);
    }
}
