package io.cnn4j.optim;

import io.cnn4j.kernel.Kernels;
import io.cnn4j.kernel.SgdStep;
import io.cnn4j.tensor.Execution;
import io.cnn4j.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight
 * decay, with PyTorch's update rule ({@code torch.optim.SGD}):
 * <pre>
 * g = grad + weightDecay * p
 * b = (first step) ? g : momentum * b + (1 - dampening) * g
 * g = nesterov ? g + momentum * b : b          (when momentum != 0)
 * p = p - lr * g
 * </pre>
 */
public final class Sgd extends Optimizer {
    private double momentum;
    private final double dampening;
    private final double weightDecay;
    private final boolean nesterov;
    private float[][] buffers;

    public Sgd(List<Tensor> params, double lr) {
        this(params, lr, 0, 0, 0, false);
    }

    public Sgd(List<Tensor> params, double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        super(params, lr);
        checkRange("SGD", "momentum", momentum, 0, 1);
        checkRange("SGD", "dampening", dampening, 0, 1);
        checkRange("SGD", "weight decay", weightDecay, 0, Double.MAX_VALUE);
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("SGD: Nesterov momentum needs momentum > 0 and no dampening");
        }
        this.momentum = momentum;
        this.dampening = dampening;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
        this.buffers = new float[this.params.size()][];
    }

    @Override
    public double momentum() {
        return momentum;
    }

    @Override
    public void setMomentum(double momentum) {
        checkRange("SGD", "momentum", momentum, 0, 1);
        if (nesterov && momentum <= 0) {
            throw new IllegalArgumentException("SGD: Nesterov momentum needs momentum > 0, got " + momentum);
        }
        this.momentum = momentum;
    }

    @Override
    public OptimizerState state() {
        Map<String, float[]> buffers = new LinkedHashMap<>();
        putBuffers(buffers, "momentum_buffer", this.buffers);
        return new OptimizerState(getClass().getSimpleName(), lr, momentum, Map.of(), buffers);
    }

    @Override
    public void restore(OptimizerState state) {
        restoreCommon(state);
        this.buffers = takeBuffers(state, "momentum_buffer", params.size());
    }

    @Override
    public void step() {
        Kernels kernels = Execution.kernels();
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            if (p.grad() == null) {
                continue;
            }
            float[] w = p.data();
            boolean first = buffers[i] == null;
            if (momentum != 0 && first) {
                buffers[i] = new float[w.length];
            }
            kernels.sgdUpdate(w, p.grad().data(), buffers[i], w.length, new SgdStep((float) lr, (float) weightDecay,
                    (float) momentum, (float) (1 - dampening), nesterov, first));
        }
    }
}
