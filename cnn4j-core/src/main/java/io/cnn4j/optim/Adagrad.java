package io.cnn4j.optim;

import io.cnn4j.kernel.AdagradStep;
import io.cnn4j.kernel.Kernels;
import io.cnn4j.tensor.Execution;
import io.cnn4j.tensor.Tensor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adagrad (Duchi et al., 2011) with PyTorch's exact update ({@code torch.optim.Adagrad}) and defaults
 * (no learning-rate decay, no weight decay, accumulators starting at 0, eps 1e-10):
 * <pre>
 * g = grad + weightDecay * p
 * s = s + g^2                                        s starts at initialAccumulatorValue
 * p = p - lr / (1 + (t - 1) * lrDecay) * g / (sqrt(s) + eps)
 * </pre>
 * {@code t} counts each parameter's own updates.
 */
public final class Adagrad extends Optimizer {
    private final double lrDecay;
    private final double weightDecay;
    private final double eps;
    private float[][] sums;
    private final long[] paramSteps;

    public Adagrad(List<Tensor> params, double lr) {
        this(params, lr, 0, 0, 0, 1e-10);
    }

    public Adagrad(List<Tensor> params, double lr, double lrDecay, double weightDecay, double initialAccumulatorValue,
                   double eps) {
        super(params, lr);
        checkRange("Adagrad", "lr decay", lrDecay, 0, Double.MAX_VALUE);
        checkRange("Adagrad", "weight decay", weightDecay, 0, Double.MAX_VALUE);
        checkRange("Adagrad", "initial accumulator value", initialAccumulatorValue, 0, Double.MAX_VALUE);
        checkRange("Adagrad", "eps", eps, 0, Double.MAX_VALUE);
        this.lrDecay = lrDecay;
        this.weightDecay = weightDecay;
        this.eps = eps;
        // PyTorch fills every accumulator when the optimizer is built, not at a parameter's first gradient.
        this.sums = new float[this.params.size()][];
        for (int i = 0; i < sums.length; i++) {
            sums[i] = new float[this.params.get(i).size()];
            Arrays.fill(sums[i], (float) initialAccumulatorValue);
        }
        this.paramSteps = new long[this.params.size()];
    }

    /** Adagrad has no momentum. */
    @Override
    public double momentum() {
        return 0;
    }

    @Override
    public void setMomentum(double momentum) {
        if (momentum != 0) {
            throw new IllegalArgumentException("Adagrad has no momentum, got " + momentum);
        }
    }

    @Override
    public OptimizerState state() {
        Map<String, Long> counters = new LinkedHashMap<>();
        putCounters(counters, "step", paramSteps);
        Map<String, float[]> buffers = new LinkedHashMap<>();
        putBuffers(buffers, "sum", sums);
        return new OptimizerState(getClass().getSimpleName(), lr, 0, counters, buffers);
    }

    @Override
    public void restore(OptimizerState state) {
        restoreCommon(state);
        float[][] saved = takeBuffers(state, "sum", params.size());
        for (int i = 0; i < saved.length; i++) {
            if (saved[i] == null) {
                throw new IllegalArgumentException("Adagrad state has no 'sum." + i + "' for parameter " + i);
            }
        }
        long[] steps = takeCounters(state, "step", params.size());
        System.arraycopy(steps, 0, paramSteps, 0, steps.length);
        this.sums = saved;
    }

    @Override
    public void step() {
        Kernels kernels = Execution.kernels();
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            if (p.grad() == null) {
                continue;
            }
            long t = ++paramSteps[i];
            float[] w = p.data();
            AdagradStep scalars = new AdagradStep((float) -(lr / (1 + (t - 1) * lrDecay)), (float) eps, (float) weightDecay);
            kernels.adagradUpdate(w, p.grad().data(), sums[i], w.length, scalars);
        }
    }
}
