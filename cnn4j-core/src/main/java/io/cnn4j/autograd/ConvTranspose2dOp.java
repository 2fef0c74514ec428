package io.cnn4j.autograd;

import io.cnn4j.kernel.ConvGeometry;
import io.cnn4j.tensor.Execution;
import io.cnn4j.tensor.Tensor;

import java.util.Arrays;

/**
 * Transposed convolution, the adjoint of a convolution: its forward pass is that convolution's input
 * gradient, its input gradient that convolution's forward pass, and its weight gradient that convolution's
 * weight gradient with the roles of input and output gradient swapped. So it runs on the convolution
 * kernels, whatever algorithm they pick; see {@link ConvTranspose2dSpec#geometry}.
 */
final class ConvTranspose2dOp extends Op {
    private ConvGeometry geometry;
    private Tensor x;
    private Tensor w;

    private ConvTranspose2dOp(Tensor x, Tensor w, Tensor b, ConvGeometry geometry) {
        super("ConvTranspose2d", x, w, b);
        this.geometry = geometry;
        this.x = x;
        this.w = w;
    }

    static Tensor apply(Tensor x, Tensor w, Tensor b, ConvTranspose2dSpec spec) {
        if (x.rank() != 4 || w.rank() != 4) {
            throw new IllegalArgumentException("conv_transpose2d: expected input [N, C, H, W] and weight [C, O/groups, kH, kW],"
                    + " got input " + x.shape() + " and weight " + w.shape());
        }
        if (x.dim(1) != w.dim(0) || w.dim(0) % spec.groups() != 0) {
            throw new IllegalArgumentException("conv_transpose2d: input " + x.shape() + " has " + x.dim(1) + " channels but weight "
                    + w.shape() + " with " + spec.groups() + " group(s) expects " + w.dim(0) + ", a multiple of the groups");
        }
        int outChannels = w.dim(1) * spec.groups();
        if (b != null && (b.rank() != 1 || b.dim(0) != outChannels)) {
            throw new IllegalArgumentException("conv_transpose2d: bias " + b.shape() + " does not match " + outChannels
                    + " output channels");
        }
        ConvGeometry g = spec.geometry(x.shape(), w.shape());
        Tensor y = Tensor.empty(g.batch(), g.inChannels(), g.inH(), g.inW());
        var kernels = Execution.kernels();
        kernels.conv2dBackwardInput(g, x.data(), w.data(), y.data());
        if (b != null) {
            float[] ones = new float[outChannels];
            Arrays.fill(ones, 1f);
            kernels.channelAffine(y.data(), g.batch(), outChannels, g.inH() * g.inW(), ones, b.data(), false, y.data());
        }
        if (recording(x, w, b)) {
            y.recordedBy(new ConvTranspose2dOp(x, w, b, g));
        }
        return y;
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        float[] dy = gradOutput.data();
        Tensor dx = null;
        Tensor dw = null;
        Tensor db = null;
        if (needsGrad(0)) {
            dx = Tensor.empty(x.shape());
            kernels.conv2d(geometry, dy, w.data(), null, false, dx.data());
        }
        if (needsGrad(1)) {
            dw = Tensor.empty(w.shape());
            kernels.conv2dBackwardWeight(geometry, dy, x.data(), dw.data(), null);
        }
        if (needsGrad(2)) {
            db = Tensor.empty(geometry.inChannels());
            kernels.biasGradient(dy, geometry.batch(), geometry.inChannels(), geometry.inH() * geometry.inW(), db.data());
        }
        return new Tensor[] {dx, dw, db};
    }

    @Override
    public void release() {
        x = null;
        w = null;
        geometry = null;
    }
}
