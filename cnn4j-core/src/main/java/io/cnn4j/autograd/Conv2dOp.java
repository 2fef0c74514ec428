package io.cnn4j.autograd;

import io.cnn4j.kernel.ConvGeometry;
import io.cnn4j.tensor.Execution;
import io.cnn4j.tensor.Tensor;

/** 2-D convolution with optional bias and a fused ReLU; see {@link Functional#conv2d}. */
final class Conv2dOp extends Op {
    private ConvGeometry geometry;
    private Tensor x;
    private Tensor w;
    private Tensor y;
    private final boolean relu;

    private Conv2dOp(Tensor x, Tensor w, Tensor b, ConvGeometry geometry, boolean relu, Tensor y) {
        super(relu ? "Conv2d+ReLU" : "Conv2d", x, w, b);
        this.geometry = geometry;
        this.x = x;
        this.w = w;
        this.relu = relu;
        this.y = y;
    }

    static Tensor apply(Tensor x, Tensor w, Tensor b, Conv2dSpec spec, boolean relu) {
        if (x.rank() != 4 || w.rank() != 4) {
            throw new IllegalArgumentException("conv2d: expected input [N, C, H, W] and weight [O, C/groups, kH, kW], got input "
                    + x.shape() + " and weight " + w.shape());
        }
        if (x.dim(1) != w.dim(1) * spec.groups()) {
            throw new IllegalArgumentException("conv2d: input " + x.shape() + " has " + x.dim(1) + " channels but weight "
                    + w.shape() + " with " + spec.groups() + " group(s) expects " + w.dim(1) * spec.groups());
        }
        if (b != null && (b.rank() != 1 || b.dim(0) != w.dim(0))) {
            throw new IllegalArgumentException("conv2d: bias " + b.shape() + " does not match " + w.dim(0) + " output channels");
        }
        ConvGeometry g = spec.geometry(x.shape(), w.shape());
        Tensor y = Tensor.empty(g.batch(), g.outChannels(), g.outH(), g.outW());
        Execution.kernels().conv2d(g, x.data(), w.data(), b == null ? null : b.data(), relu, y.data());
        if (recording(x, w, b)) {
            y.recordedBy(new Conv2dOp(x, w, b, g, relu, y));
        }
        return y;
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        float[] dy = gradOutput.data();
        if (relu) {
            dy = throughRelu(y.data(), dy);
        }
        Tensor dx = null;
        Tensor dw = null;
        Tensor db = null;
        if (needsGrad(0)) {
            dx = Tensor.empty(x.shape());
            kernels.conv2dBackwardInput(geometry, dy, w.data(), dx.data());
        }
        if (needsGrad(1)) {
            dw = Tensor.empty(w.shape());
            db = needsGrad(2) ? Tensor.empty(geometry.outChannels()) : null;
            kernels.conv2dBackwardWeight(geometry, x.data(), dy, dw.data(), db == null ? null : db.data());
        } else if (needsGrad(2)) {
            // Frozen weights: the bias gradient alone is a sum over dy, no weight gradient is due.
            db = Tensor.temporary(geometry.outChannels());
            kernels.biasGradient(dy, geometry.batch(), geometry.outChannels(), geometry.outH() * geometry.outW(), db.data());
        }
        return new Tensor[] {dx, dw, db};
    }

    @Override
    public void release() {
        x = null;
        w = null;
        y = null;
        geometry = null;
    }
}
