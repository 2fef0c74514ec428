package io.cnn4j.autograd;

import io.cnn4j.kernel.Kernels;
import io.cnn4j.tensor.Execution;
import io.cnn4j.tensor.GradMode;
import io.cnn4j.tensor.Node;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.tensor.Workspace;

import java.util.Arrays;
import java.util.List;

/**
 * Base of the differentiable operations: each subclass computes its forward pass in a static
 * {@code apply} method, records itself on the result when a gradient is wanted, and keeps what its
 * backward pass needs in its own fields until {@link #release()}.
 */
abstract class Op implements Node {
    private final String name;
    private final List<Tensor> inputs;
    /** The kernels of the forward pass, which the backward pass uses too, wherever it is called from. */
    final Kernels kernels = Execution.kernels();

    Op(String name, Tensor... inputs) {
        this.name = name;
        this.inputs = Arrays.asList(inputs);
    }

    /** Whether an operation on these inputs must record itself. */
    static boolean recording(Tensor... inputs) {
        if (!GradMode.isEnabled()) {
            return false;
        }
        for (Tensor t : inputs) {
            if (t != null && t.requiresGrad()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The gradient that passes a ReLU fused into this operation: {@code dy} where the fused output
     * {@code y} is positive, else 0, in a new workspace array (the engine never writes into {@code dy}).
     */
    final float[] throughRelu(float[] y, float[] dy) {
        float[] masked = Workspace.emptyFloats(dy.length);
        kernels.reluBackward(y, dy, masked, dy.length);
        return masked;
    }

    /**
     * The gradient before the ReLU fused into this op when {@code relu} is set (its output was {@code y}), else
     * {@code gradOutput}'s own: where the backward pass of an op with an optional fused ReLU starts.
     */
    final float[] beforeRelu(boolean relu, Tensor y, Tensor gradOutput) {
        return relu ? throughRelu(y.data(), gradOutput.data()) : gradOutput.data();
    }

    /**
     * The gradients of a loss of {@code (prediction, target)} that depends on their difference only:
     * {@code g} for the prediction and {@code -g} for the target, each where it is wanted.
     */
    final Tensor[] differenceGradients(float[] g) {
        Tensor dp = null;
        Tensor dt = null;
        if (needsGrad(0)) {
            dp = Tensor.temporary(inputs.get(0).shape());
            System.arraycopy(g, 0, dp.data(), 0, g.length);
        }
        if (needsGrad(1)) {
            dt = Tensor.temporary(inputs.get(1).shape());
            for (int i = 0; i < g.length; i++) {
                dt.data()[i] = -g[i];
            }
        }
        return new Tensor[] {dp, dt};
    }

    /** Whether input {@code i} wants a gradient; backward skips the work for those that do not. */
    final boolean needsGrad(int i) {
        Tensor t = inputs.get(i);
        return t != null && t.requiresGrad();
    }

    @Override
    public final Kernels kernels() {
        return kernels;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final List<Tensor> inputs() {
        return inputs;
    }
}
