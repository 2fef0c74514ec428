package io.cnn4j.optim;

import io.cnn4j.tensor.Tensor;

import java.util.List;

/**
 * Updates parameters from their gradients. Parameters without a gradient (not reached by the last
 * backward pass) are left alone, as in PyTorch.
 */
public abstract class Optimizer {
    protected final List<Tensor> params;
    protected double lr;

    protected Optimizer(List<Tensor> params, double lr) {
        if (params.isEmpty()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": no parameters to optimize");
        }
        if (!(lr >= 0)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": learning rate must be >= 0, got " + lr);
        }
        for (Tensor p : params) {
            if (!p.requiresGrad()) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": parameter " + p.shape()
                        + " does not require a gradient");
            }
        }
        this.params = List.copyOf(params);
        this.lr = lr;
    }

    /** Applies one update to every parameter that has a gradient. */
    public abstract void step();

    /** Zeroes every parameter's gradient in place (buffers are kept for the next step). */
    public final void zeroGrad() {
        params.forEach(Tensor::zeroGrad);
    }

    public final double learningRate() {
        return lr;
    }

    /** Changes the learning rate from the next step on (what a schedule does). */
    public final void setLearningRate(double lr) {
        this.lr = lr;
    }

    public final List<Tensor> parameters() {
        return params;
    }

    static void checkRange(String owner, String name, double value, double lo, double hi) {
        if (!(value >= lo && value <= hi)) {
            throw new IllegalArgumentException(owner + ": " + name + " must be in [" + lo + ", " + hi + "], got " + value);
        }
    }
}
