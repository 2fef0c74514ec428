package io.cnn4j.optim;

import io.cnn4j.tensor.Tensor;

import java.util.List;
import java.util.Map;

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

    /** The momentum a schedule may cycle: SGD's momentum, Adam's beta1. */
    public abstract double momentum();

    /** Changes the momentum (SGD) or beta1 (Adam) from the next step on, as a one-cycle schedule does. */
    public abstract void setMomentum(double momentum);

    /** A copy of everything the optimizer carries from step to step, for a checkpoint. */
    public abstract OptimizerState state();

    /**
     * Continues from a {@link #state()} of an optimizer of the same kind over parameters of the same shapes,
     * as if it had taken those steps itself.
     */
    public abstract void restore(OptimizerState state);

    /** The checks every {@link #restore} makes first; then sets the learning rate and momentum. */
    protected final void restoreCommon(OptimizerState state) {
        String kind = getClass().getSimpleName();
        if (!state.kind().equals(kind)) {
            throw new IllegalArgumentException("cannot restore " + state.kind() + " state into a " + kind + " optimizer");
        }
        for (String name : state.buffers().keySet()) {
            int i = parameterIndex(name);
            if (state.buffers().get(name).length != params.get(i).size()) {
                throw new IllegalArgumentException(kind + " state buffer '" + name + "' has "
                        + state.buffers().get(name).length + " values but parameter " + i + " " + params.get(i).shape()
                        + " has " + params.get(i).size());
            }
        }
        setLearningRate(state.learningRate());
        setMomentum(state.momentum());
    }

    /** The parameter index at the end of a state name such as {@code "exp_avg.3"}. */
    private int parameterIndex(String name) {
        int dot = name.lastIndexOf('.');
        try {
            int i = Integer.parseInt(name.substring(dot + 1));
            if (i >= 0 && i < params.size()) {
                return i;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(getClass().getSimpleName() + " state entry '" + name
                + "' does not name one of the " + params.size() + " parameters");
    }

    /** Per-parameter buffers under {@code prefix + "." + index}, copied; null entries (not yet needed) left out. */
    protected static void putBuffers(Map<String, float[]> out, String prefix, float[][] buffers) {
        for (int i = 0; i < buffers.length; i++) {
            if (buffers[i] != null) {
                out.put(prefix + "." + i, buffers[i].clone());
            }
        }
    }

    /** Per-parameter counts (each parameter's own step count) under {@code prefix + "." + index}. */
    protected static void putCounters(Map<String, Long> out, String prefix, long[] counts) {
        for (int i = 0; i < counts.length; i++) {
            out.put(prefix + "." + i, counts[i]);
        }
    }

    /** The inverse of {@link #putCounters}: each parameter's count, or an error naming the one missing. */
    protected static long[] takeCounters(OptimizerState state, String prefix, int count) {
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            out[i] = state.counter(prefix + "." + i);
        }
        return out;
    }

    /** The inverse of {@link #putBuffers}: copies of the saved buffers, null where none was saved. */
    protected static float[][] takeBuffers(OptimizerState state, String prefix, int count) {
        float[][] out = new float[count][];
        for (int i = 0; i < count; i++) {
            float[] saved = state.buffers().get(prefix + "." + i);
            out[i] = saved == null ? null : saved.clone();
        }
        return out;
    }

    static void checkRange(String owner, String name, double value, double lo, double hi) {
        if (!(value >= lo && value <= hi)) {
            throw new IllegalArgumentException(owner + ": " + name + " must be in [" + lo + ", " + hi + "], got " + value);
        }
    }
}
