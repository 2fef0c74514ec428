package io.cnn4j.autograd;

import io.cnn4j.tensor.Execution;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.Workspace;

/**
 * Layer and group normalisation: the input seen as {@code rows} rows of {@code cols} values, each row
 * normalised to mean 0 and variance 1 with its own statistics (in training and evaluation alike), then
 * scaled and shifted by a weight and bias. The affine parameters are indexed by
 * {@code (i / affineStride) % weight.size()} for flat index i: per position of the normalised shape for
 * LayerNorm (stride 1), per channel for GroupNorm (stride = the spatial size).
 */
final class NormalizeOp extends Op {
    private Tensor xhat;
    private float[] invStd;
    private final int rows;
    private final int cols;
    private final int affineStride;

    private NormalizeOp(String name, Tensor x, Tensor weight, Tensor bias, Tensor xhat, float[] invStd, int rows, int cols,
                        int affineStride) {
        super(name, x, weight, bias);
        this.xhat = xhat;
        this.invStd = invStd;
        this.rows = rows;
        this.cols = cols;
        this.affineStride = affineStride;
    }

    static Tensor apply(String name, Tensor x, int rows, int cols, Tensor weight, Tensor bias, int affineStride, float eps) {
        Tensor xhat = Tensor.temporary(x.shape());
        float[] mean = Workspace.floats(rows);
        float[] invStd = Workspace.floats(rows);
        Execution.kernels().rowNormalize(x.data(), rows, cols, eps, mean, invStd, xhat.data());
        Tensor y = Tensor.empty(x.shape());
        float[] h = xhat.data();
        float[] out = y.data();
        if (weight == null) {
            System.arraycopy(h, 0, out, 0, h.length);
        } else {
            float[] w = weight.data();
            float[] b = bias.data();
            int count = w.length;
            for (int i = 0; i < h.length; i++) {
                int a = (i / affineStride) % count;
                out[i] = h[i] * w[a] + b[a];
            }
        }
        if (recording(x, weight, bias)) {
            y.recordedBy(new NormalizeOp(name, x, weight, bias, xhat, invStd, rows, cols, affineStride));
        }
        return y;
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        float[] dy = gradOutput.data();
        float[] h = xhat.data();
        Tensor weight = inputs().get(1);
        Tensor dw = needsGrad(1) ? Tensor.temporary(weight.shape()) : null;
        Tensor db = needsGrad(2) ? Tensor.temporary(inputs().get(2).shape()) : null;
        float[] dxhat = dy;
        if (weight != null) {
            float[] w = weight.data();
            int count = w.length;
            dxhat = Workspace.emptyFloats(dy.length);
            // Per-parameter sums in double, then rounded once, so the order of the rows does not matter.
            double[] sumW = dw == null ? null : new double[count];
            double[] sumB = db == null ? null : new double[count];
            for (int i = 0; i < dy.length; i++) {
                int a = (i / affineStride) % count;
                dxhat[i] = dy[i] * w[a];
                if (sumW != null) {
                    sumW[a] += (double) dy[i] * h[i];
                }
                if (sumB != null) {
                    sumB[a] += dy[i];
                }
            }
            for (int a = 0; a < count; a++) {
                if (dw != null) {
                    dw.data()[a] = (float) sumW[a];
                }
                if (db != null) {
                    db.data()[a] = (float) sumB[a];
                }
            }
        }
        Tensor dx = null;
        if (needsGrad(0)) {
            dx = Tensor.temporary(inputs().get(0).shape());
            kernels.rowNormalizeBackward(h, dxhat, rows, cols, invStd, dx.data());
        }
        return new Tensor[] {dx, dw, db};
    }

    @Override
    public void release() {
        xhat = null;
        invStd = null;
    }
}
