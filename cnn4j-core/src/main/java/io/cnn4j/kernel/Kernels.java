package io.cnn4j.kernel;

/**
 * The numerical work of cnn4j on plain float arrays: matrix multiply, convolution, pooling and the
 * element-wise functions, forward and backward. Layers and autograd call only this interface, so a
 * faster implementation (SIMD, another device) replaces one object and touches nothing above it.
 *
 * <p>Arrays are row-major; images are NCHW. Unless a method says it accumulates, outputs are
 * overwritten. Implementations know nothing of tensors or gradients-as-graphs: they are the maths.
 * {@link ReferenceKernels} is the specification every other implementation is tested against.
 */
public interface Kernels {

    /** A short name for logs and benchmarks, such as {@code "reference"}. */
    String name();

    /**
     * {@code C = beta*C + op(A) op(B)} with {@code op(A)} of shape {@code [m,k]} and {@code op(B)} of
     * shape {@code [k,n]}. When {@code transA} is set, A is stored as {@code [k,m]}; when {@code transB}
     * is set, B is stored as {@code [n,k]}. {@code lda}, {@code ldb}, {@code ldc} are the row strides of
     * the stored matrices. With {@code beta == 0} the old contents of C are ignored (NaN included).
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
              float beta, float[] c, int cOff, int ldc);

    /**
     * Convolution (cross-correlation, as in PyTorch): {@code y = conv(x, w) + bias}, then ReLU when
     * {@code relu} is set. {@code bias} may be null.
     */
    void conv2d(ConvGeometry g, float[] x, float[] w, float[] bias, boolean relu, float[] y);

    /** Gradient with respect to the input: {@code dx} from {@code dy} and the weights. */
    void conv2dBackwardInput(ConvGeometry g, float[] dy, float[] w, float[] dx);

    /** Gradients with respect to the weights and, when {@code dbias} is not null, the bias. */
    void conv2dBackwardWeight(ConvGeometry g, float[] x, float[] dy, float[] dw, float[] dbias);

    /**
     * Fully connected layer: {@code y[n,out] = x[n,in] w[out,in]^T + bias}, then ReLU when {@code relu}
     * is set. {@code bias} may be null.
     */
    void linear(int batch, int in, int out, float[] x, float[] w, float[] bias, boolean relu, float[] y);

    /**
     * Max pooling; {@code argmax} receives, for each output, the index within its input plane of the
     * maximum (the first one on ties), which {@link #maxPool2dBackward} routes the gradient to. It is null
     * where no backward pass will come (inference), which spares finding and storing the indexes.
     */
    void maxPool2d(PoolGeometry g, float[] x, float[] y, int[] argmax);

    void maxPool2dBackward(PoolGeometry g, float[] dy, int[] argmax, float[] dx);

    /** Average pooling; {@code countPadding} as PyTorch's {@code count_include_pad}. */
    void avgPool2d(PoolGeometry g, boolean countPadding, float[] x, float[] y);

    void avgPool2dBackward(PoolGeometry g, boolean countPadding, float[] dy, float[] dx);

    /**
     * Adaptive pooling of {@code planes} planes of {@code inH x inW} to {@code outH x outW}, PyTorch's windows:
     * output row i pools input rows {@code floor(i * inH / outH)} to {@code ceil((i + 1) * inH / outH)} (and
     * the columns alike), so windows may differ in size and overlap. The mean of each window, or with
     * {@code argmax} (one per output value) its maximum, the first on ties, NaN winning, with its index in
     * the plane recorded.
     */
    void adaptivePool2d(int planes, int inH, int inW, int outH, int outW, float[] x, float[] y, int[] argmax);

    /**
     * The input gradient of {@link #adaptivePool2d}: each output's gradient spread evenly over its window,
     * or with {@code argmax} given to that maximum alone. {@code dx} is overwritten.
     */
    void adaptivePool2dBackward(int planes, int inH, int inW, int outH, int outW, float[] dy, int[] argmax, float[] dx);

    /**
     * Resizes {@code planes} planes of {@code inH x inW} to {@code outH x outW}, PyTorch's {@code upsample}:
     * nearest (output row i reads row {@code min(floor(i * scaleH), inH - 1)}) or bilinear, where output row i
     * sits at source row {@code scaleH * i} with {@code alignCorners}, else {@code scaleH * (i + 0.5) - 0.5}
     * (at least 0); the columns alike. {@code scaleH} and {@code scaleW} are the source step per output pixel.
     */
    void upsample2d(int planes, int inH, int inW, int outH, int outW, boolean bilinear, boolean alignCorners, float scaleH,
                    float scaleW, float[] x, float[] y);

    /** The input gradient of {@link #upsample2d}; {@code dx} is overwritten. */
    void upsample2dBackward(int planes, int inH, int inW, int outH, int outW, boolean bilinear, boolean alignCorners,
                            float scaleH, float scaleW, float[] dy, float[] dx);

    /** {@code y = max(x, 0)}; {@code x} and {@code y} may be the same array. */
    void relu(float[] x, float[] y, int n);

    /** {@code dx = y > 0 ? dy : 0}, from the forward output {@code y}; {@code dx} may alias {@code dy}. */
    void reluBackward(float[] y, float[] dy, float[] dx, int n);

    /** Sum of {@code dy} over batch and space for each channel: the bias gradient of a conv or linear layer. */
    void biasGradient(float[] dy, int batch, int channels, int spatial, float[] dbias);

    void leakyRelu(float slope, float[] x, float[] y, int n);

    /** Gradient of leaky ReLU from the forward input {@code x}. */
    void leakyReluBackward(float slope, float[] x, float[] dy, float[] dx, int n);

    void sigmoid(float[] x, float[] y, int n);

    /** {@code dx = dy * y * (1 - y)} from the forward output {@code y}. */
    void sigmoidBackward(float[] y, float[] dy, float[] dx, int n);

    void tanh(float[] x, float[] y, int n);

    /** {@code dx = dy * (1 - y^2)} from the forward output {@code y}. */
    void tanhBackward(float[] y, float[] dy, float[] dx, int n);

    /** {@code y = f(x)} for one of the {@link Pointwise} functions, with its argument {@code param}. */
    void pointwise(Pointwise f, float param, float[] x, float[] y, int n);

    /** {@code dx = dy * f'(x)}. */
    void pointwiseBackward(Pointwise f, float param, float[] x, float[] dy, float[] dx, int n);

    // ---- per-row statistics and transforms (layer and group normalisation) --------------------------

    /**
     * Normalises each of {@code rows} rows of {@code cols} values: {@code xhat = (x - mean) * invStd} with
     * the row's mean and {@code invStd = 1 / sqrt(var + eps)}, var the biased variance. Keeps
     * {@code mean} and {@code invStd} per row for the backward pass.
     */
    void rowNormalize(float[] x, int rows, int cols, float eps, float[] mean, float[] invStd, float[] xhat);

    /**
     * The input gradient of {@link #rowNormalize} from the gradient {@code dxhat} of its output, per row:
     * {@code dx = invStd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))}.
     */
    void rowNormalizeBackward(float[] xhat, float[] dxhat, int rows, int cols, float[] invStd, float[] dx);

    /** Softmax over each row of a {@code [rows, cols]} matrix, stabilised by the row maximum. */
    void softmax(float[] x, int rows, int cols, float[] y);

    /** {@code dx = y * (dy - sum(dy * y))} per row, from the forward output {@code y}. */
    void softmaxBackward(float[] y, float[] dy, int rows, int cols, float[] dx);

    /** {@code y = x - max - log(sum(exp(x - max)))} per row. */
    void logSoftmax(float[] x, int rows, int cols, float[] y);

    /** {@code dx = dy - exp(y) * sum(dy)} per row, from the forward output {@code y}. */
    void logSoftmaxBackward(float[] y, float[] dy, int rows, int cols, float[] dx);

    /** {@code y = a + b}, then {@code max(y, 0)} if {@code relu}; any of the arrays may be the same. */
    void add(float[] a, float[] b, boolean relu, float[] y, int n);

    /** {@code y = a * b} element by element; any of the arrays may be the same. */
    void mul(float[] a, float[] b, float[] y, int n);

    /** {@code y += alpha * x}. */
    void axpy(float alpha, float[] x, float[] y, int n);

    /** {@code x *= alpha}. */
    void scale(float alpha, float[] x, int n);

    /** The sum of {@code x[i]^2}, each square and the running sum in double, in index order. */
    double sumOfSquares(float[] x, int n);

    // ---- optimizer updates --------------------------------------------------------------------------

    /**
     * One SGD update of {@code n} weights {@code w} from their gradients {@code g}, in place:
     * {@code d = g + weightDecay * w}; with momentum, {@code b = first ? d : momentum * b + keep * d} and
     * {@code d = nesterov ? d + momentum * b : b}; then {@code w += -lr * d}. {@code b} is null without momentum.
     */
    void sgdUpdate(float[] w, float[] g, float[] b, int n, SgdStep step);

    /**
     * One Adam update of {@code n} weights {@code w} from their gradients {@code g} and moments {@code m},
     * {@code v}, in place: {@code w *= shrink} (decoupled decay) or {@code g += weightDecay * w};
     * {@code m = beta1 * m + (1 - beta1) * g}; {@code v = beta2 * v + (1 - beta2) * g^2};
     * {@code w += stepSize * m / (sqrt(v) / biasCorrection2Sqrt + eps)}. With AMSGrad {@code vMax} is not
     * null: {@code vMax = max(vMax, v)} takes the place of {@code v} in the denominator.
     */
    void adamUpdate(float[] w, float[] g, float[] m, float[] v, float[] vMax, int n, AdamStep step);

    /**
     * One RMSprop update of {@code n} weights, in place: {@code g += weightDecay * w};
     * {@code s = alpha * s + (1 - alpha) * g^2}; centred, {@code a = alpha * a + (1 - alpha) * g} and
     * {@code d = sqrt(s - a^2) + eps}, else {@code d = sqrt(s) + eps}; with momentum
     * {@code b = momentum * b + g / d} and {@code w += -lr * b}, else {@code w += -lr * g / d}. {@code gradAvg}
     * is null unless centred, {@code buffer} null without momentum.
     */
    void rmspropUpdate(float[] w, float[] g, float[] squareAvg, float[] gradAvg, float[] buffer, int n, RmspropStep step);

    /**
     * One Adagrad update of {@code n} weights, in place: {@code g += weightDecay * w}; {@code s += g^2};
     * {@code w += stepSize * g / (sqrt(s) + eps)}.
     */
    void adagradUpdate(float[] w, float[] g, float[] sum, int n, AdagradStep step);

    // ---- per-channel statistics and transforms (batch normalisation) --------------------------------
    // Tensors are viewed as [batch, channels, spatial]: NCHW images with spatial = H*W, or [N, C] rows
    // with spatial = 1. Each channel's reductions run over batch and space.

    /**
     * Mean of each channel over its {@code count = batch * spatial} values, and the sum of squared
     * deviations from that (float) mean, {@code squares[c] = sum((x - mean)^2)}: the biased variance is
     * {@code squares / count}, the unbiased {@code squares / (count - 1)}. The sums are carried in double,
     * as PyTorch's CPU batch norm does, so that a channel of a million values loses no more than a float's
     * rounding; two passes, not {@code E[x^2] - E[x]^2}, which cancels badly.
     */
    void channelMeanAndSquares(float[] x, int batch, int channels, int spatial, float[] mean, float[] squares);

    /**
     * {@code y = x * scale[c] + shift[c]} for every element of channel {@code c}, as one fused multiply-add
     * (one rounding, as PyTorch's compiled CPU kernel does), then ReLU when {@code relu} is set: batch
     * normalisation with its statistics and affine parameters folded into one operation. {@code x} and
     * {@code y} may be the same array.
     */
    void channelAffine(float[] x, int batch, int channels, int spatial, float[] scale, float[] shift, boolean relu,
                       float[] y);

    /**
     * Per channel, {@code sumDy[c] = sum(dy)} and {@code dot[c] = sum((x - center[c]) * dy)}, summed in
     * double: the bias and (times the inverse standard deviation) the weight gradient of a batch norm.
     * With a ReLU fused after the norm, {@code reluScale} and {@code reluShift} are the forward pass's
     * {@link #channelAffine} parameters and {@code dy} the gradient after the ReLU: an element counts as 0
     * where {@code x * reluScale[c] + reluShift[c]} (one fused multiply-add) is not positive, which spares
     * a pass that masks {@code dy} first. Both null without one.
     */
    void channelGradientSums(float[] x, float[] dy, float[] reluScale, float[] reluShift, int batch, int channels,
                             int spatial, float[] center, float[] sumDy, float[] dot);

    /**
     * Input gradient of batch normalisation in training mode:
     * {@code dx = (dy - meanDy[c] - (x - mean[c]) * k[c]) * scale[c]}, where the caller passes
     * {@code meanDy = sum(dy)/count}, {@code k = sum((x - mean) dy) * invstd^2 / count} and
     * {@code scale = invstd * weight}. {@code dx} may alias {@code dy}. {@code reluScale} and {@code reluShift}
     * mask {@code dy} as in {@link #channelGradientSums}.
     */
    void batchNormBackwardInput(float[] x, float[] dy, float[] reluScale, float[] reluShift, int batch, int channels,
                                int spatial, float[] mean, float[] k, float[] meanDy, float[] scale, float[] dx);

    // ---- 3-D convolution and pooling (clips [N, C, D, H, W], D their frames) -------------------------

    /** 3-D convolution (cross-correlation, as in PyTorch): {@code y = conv(x, w) + bias}, then ReLU when {@code relu} is set. */
    void conv3d(Conv3dGeometry g, float[] x, float[] w, float[] bias, boolean relu, float[] y);

    /** Gradient of {@link #conv3d} with respect to the input. */
    void conv3dBackwardInput(Conv3dGeometry g, float[] dy, float[] w, float[] dx);

    /** Gradients of {@link #conv3d} with respect to the weights and, when {@code dbias} is not null, the bias. */
    void conv3dBackwardWeight(Conv3dGeometry g, float[] x, float[] dy, float[] dw, float[] dbias);

    /** Max pooling of volumes; {@code argmax} receives each maximum's index within its input volume (-1 for a window wholly in the padding). */
    void maxPool3d(Pool3dGeometry g, float[] x, float[] y, int[] argmax);

    void maxPool3dBackward(Pool3dGeometry g, float[] dy, int[] argmax, float[] dx);

    /** Average pooling of volumes; {@code countPadding} as PyTorch's {@code count_include_pad}. */
    void avgPool3d(Pool3dGeometry g, boolean countPadding, float[] x, float[] y);

    void avgPool3dBackward(Pool3dGeometry g, boolean countPadding, float[] dy, float[] dx);

    /**
     * Adaptive pooling of {@code planes} volumes of {@code in = {D, H, W}} to {@code out}, PyTorch's windows as in
     * {@link #adaptivePool2d} along each axis: the mean of each window, or with {@code argmax} its maximum.
     */
    void adaptivePool3d(int planes, int[] in, int[] out, float[] x, float[] y, int[] argmax);

    /** The input gradient of {@link #adaptivePool3d}; {@code dx} is overwritten. */
    void adaptivePool3dBackward(int planes, int[] in, int[] out, float[] dy, int[] argmax, float[] dx);

    /**
     * Whether {@code a[0..n)} holds no NaN and no infinity: the check a trainer makes on every gradient and
     * parameter after each step, so that a diverging run stops at the step that diverged.
     */
    default boolean allFinite(float[] a, int n) {
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(a[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * How these kernels compute {@code pass} of a 2-D convolution of {@code g}, for profiles: {@code im2col},
     * {@code direct}, {@code winograd-f2} or {@code winograd-f4}, the path a call of that shape took or would take;
     * empty for kernels with one way.
     */
    default String convolutionPath(ConvGeometry g, ConvPass pass) {
        return "";
    }

    /** As {@link #convolutionPath(ConvGeometry, ConvPass)} for a 3-D convolution: {@code vol2col} or {@code frames}. */
    default String convolutionPath(Conv3dGeometry g, ConvPass pass) {
        return "";
    }
}
