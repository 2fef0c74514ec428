package io.cnn4j.autograd;

import io.cnn4j.kernel.Conv3dGeometry;
import io.cnn4j.kernel.ConvGeometry;
import io.cnn4j.kernel.Kernels;
import io.cnn4j.tensor.Execution;
import io.cnn4j.tensor.Tensor;

/**
 * 2-D or 3-D convolution with optional bias and a fused ReLU; see {@link Functional#conv2d} and
 * {@link Functional#conv3d}. The two differ only in the kernels they call, which the op holds as passes.
 */
final class ConvOp extends Op {
    /** One backward pass of the convolution on {@code kernels}: from {@code a} and {@code b} into {@code out}. */
    @FunctionalInterface
    private interface Pass {
        void run(Kernels kernels, float[] a, float[] b, float[] out, float[] dbias);
    }

    private Tensor x;
    private Tensor w;
    private Tensor y;
    private final boolean relu;
    private final int batch;
    private final int outChannels;
    private final int spatial;
    private Pass inputGradient;
    private Pass weightGradient;

    private ConvOp(String name, Tensor x, Tensor w, Tensor b, boolean relu, Tensor y, Pass inputGradient, Pass weightGradient) {
        super(relu ? name + "+ReLU" : name, x, w, b);
        this.x = x;
        this.w = w;
        this.relu = relu;
        this.y = y;
        this.batch = y.dim(0);
        this.outChannels = y.dim(1);
        this.spatial = y.shape().sizeFrom(2);
        this.inputGradient = inputGradient;
        this.weightGradient = weightGradient;
    }

    static Tensor conv2d(Tensor x, Tensor w, Tensor b, Conv2dSpec spec, boolean relu) {
        check("conv2d", "[N, C, H, W]", "[O, C/groups, kH, kW]", x, w, b, spec.groups());
        ConvGeometry g = spec.geometry(x.shape(), w.shape());
        Tensor y = Tensor.empty(g.batch(), g.outChannels(), g.outH(), g.outW());
        Execution.kernels().conv2d(g, x.data(), w.data(), b == null ? null : b.data(), relu, y.data());
        if (recording(x, w, b)) {
            y.recordedBy(new ConvOp("Conv2d", x, w, b, relu, y, (k, dy, wt, dx, unused) -> k.conv2dBackwardInput(g, dy, wt, dx),
                    (k, in, dy, dw, db) -> k.conv2dBackwardWeight(g, in, dy, dw, db)));
        }
        return y;
    }

    static Tensor conv3d(Tensor x, Tensor w, Tensor b, Conv3dSpec spec, boolean relu) {
        check("conv3d", "[N, C, D, H, W]", "[O, C/groups, kD, kH, kW]", x, w, b, spec.groups());
        Conv3dGeometry g = spec.geometry(x.shape(), w.shape());
        Tensor y = Tensor.empty(g.batch(), g.outChannels(), g.outD(), g.outH(), g.outW());
        Execution.kernels().conv3d(g, x.data(), w.data(), b == null ? null : b.data(), relu, y.data());
        if (recording(x, w, b)) {
            y.recordedBy(new ConvOp("Conv3d", x, w, b, relu, y, (k, dy, wt, dx, unused) -> k.conv3dBackwardInput(g, dy, wt, dx),
                    (k, in, dy, dw, db) -> k.conv3dBackwardWeight(g, in, dy, dw, db)));
        }
        return y;
    }

    /** Refuses an input, weight or bias that do not make a convolution of the rank {@code input} shows. */
    private static void check(String op, String input, String weight, Tensor x, Tensor w, Tensor b, int groups) {
        int rank = input.split(",").length;
        if (x.rank() != rank || w.rank() != rank) {
            throw new IllegalArgumentException(op + ": expected input " + input + " and weight " + weight + ", got input "
                    + x.shape() + " and weight " + w.shape());
        }
        if (x.dim(1) != w.dim(1) * groups) {
            throw new IllegalArgumentException(op + ": input " + x.shape() + " has " + x.dim(1) + " channels but weight "
                    + w.shape() + " with " + groups + " group(s) expects " + w.dim(1) * groups);
        }
        if (b != null && (b.rank() != 1 || b.dim(0) != w.dim(0))) {
            throw new IllegalArgumentException(op + ": bias " + b.shape() + " does not match " + w.dim(0) + " output channels");
        }
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        float[] dy = beforeRelu(relu, y, gradOutput);
        Tensor dx = null;
        Tensor dw = null;
        Tensor db = null;
        if (needsGrad(0)) {
            dx = Tensor.empty(x.shape());
            inputGradient.run(kernels, dy, w.data(), dx.data(), null);
        }
        if (needsGrad(1)) {
            dw = Tensor.empty(w.shape());
            db = needsGrad(2) ? Tensor.empty(outChannels) : null;
            weightGradient.run(kernels, x.data(), dy, dw.data(), db == null ? null : db.data());
        } else if (needsGrad(2)) {
            // Frozen weights: the bias gradient alone is a sum over dy, no weight gradient is due.
            db = Tensor.temporary(outChannels);
            kernels.biasGradient(dy, batch, outChannels, spatial, db.data());
        }
        return new Tensor[] {dx, dw, db};
    }

    @Override
    public void release() {
        x = null;
        w = null;
        y = null;
        inputGradient = null;
        weightGradient = null;
    }
}
