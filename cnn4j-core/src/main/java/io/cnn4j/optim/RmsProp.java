package io.cnn4j.optim;

import io.cnn4j.kernel.Kernels;
import io.cnn4j.kernel.RmspropStep;
import io.cnn4j.tensor.Execution;
import io.cnn4j.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RMSprop (Hinton's lecture 6e; Graves 2013 for the centred form) with PyTorch's exact update
 * ({@code torch.optim.RMSprop}) and defaults (alpha 0.99, eps 1e-8, no momentum, not centred):
 * <pre>
 * g = grad + weightDecay * p
 * s = alpha * s + (1 - alpha) * g^2
 * d = sqrt(s) + eps                                  centred: a = alpha * a + (1 - alpha) * g, d = sqrt(s - a^2) + eps
 * p = p - lr * g / d                                 momentum: b = momentum * b + g / d, p = p - lr * b
 * </pre>
 * Note that eps is added outside the square root, as PyTorch does (Keras adds it inside).
 */
public final class RmsProp extends Optimizer {
    private final double alpha;
    private final double eps;
    private final double weightDecay;
    private double momentum;
    private final boolean centered;
    private float[][] squareAvg;
    private float[][] gradAvg;
    private float[][] buffers;
    private final long[] paramSteps;

    public RmsProp(List<Tensor> params, double lr) {
        this(params, lr, 0.99, 1e-8, 0, 0, false);
    }

    public RmsProp(List<Tensor> params, double lr, double alpha, double eps, double weightDecay, double momentum,
                   boolean centered) {
        super(params, lr);
        checkRange("RMSprop", "alpha", alpha, 0, 1);
        checkRange("RMSprop", "eps", eps, 0, Double.MAX_VALUE);
        checkRange("RMSprop", "weight decay", weightDecay, 0, Double.MAX_VALUE);
        checkRange("RMSprop", "momentum", momentum, 0, 1);
        this.alpha = alpha;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.momentum = momentum;
        this.centered = centered;
        this.squareAvg = new float[this.params.size()][];
        this.gradAvg = new float[this.params.size()][];
        this.buffers = new float[this.params.size()][];
        this.paramSteps = new long[this.params.size()];
    }

    @Override
    public double momentum() {
        return momentum;
    }

    /** Sets the momentum; its buffer starts, at zero, at the first step that has one. */
    @Override
    public void setMomentum(double momentum) {
        checkRange("RMSprop", "momentum", momentum, 0, 1);
        this.momentum = momentum;
    }

    @Override
    public OptimizerState state() {
        Map<String, Long> counters = new LinkedHashMap<>();
        putCounters(counters, "step", paramSteps);
        Map<String, float[]> state = new LinkedHashMap<>();
        putBuffers(state, "square_avg", squareAvg);
        putBuffers(state, "grad_avg", gradAvg);
        putBuffers(state, "momentum_buffer", buffers);
        return new OptimizerState(getClass().getSimpleName(), lr, momentum, counters, state);
    }

    @Override
    public void restore(OptimizerState state) {
        restoreCommon(state);
        float[][] squares = takeBuffers(state, "square_avg", params.size());
        float[][] means = takeBuffers(state, "grad_avg", params.size());
        float[][] moments = takeBuffers(state, "momentum_buffer", params.size());
        long[] steps = takeCounters(state, "step", params.size());
        for (int i = 0; i < params.size(); i++) {
            boolean started = squares[i] != null;
            if (started != (steps[i] > 0) || (means[i] != null) != (centered && started)
                    || moments[i] != null && !started) {
                throw new IllegalArgumentException("RmsProp state of parameter " + i + " does not fit this optimizer:"
                        + " square_avg " + (started ? "saved" : "absent") + ", grad_avg " + (means[i] != null ? "saved" : "absent")
                        + " (centered " + centered + "), momentum_buffer " + (moments[i] != null ? "saved" : "absent"));
            }
        }
        System.arraycopy(steps, 0, paramSteps, 0, steps.length);
        this.squareAvg = squares;
        this.gradAvg = means;
        this.buffers = moments;
    }

    @Override
    public void step() {
        Kernels kernels = Execution.kernels();
        RmspropStep scalars = new RmspropStep((float) lr, (float) alpha, (float) (1 - alpha), (float) eps,
                (float) weightDecay, (float) momentum, centered);
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            if (p.grad() == null) {
                continue;
            }
            float[] w = p.data();
            if (squareAvg[i] == null) {
                squareAvg[i] = new float[w.length];
                gradAvg[i] = centered ? new float[w.length] : null;
            }
            if (momentum > 0 && buffers[i] == null) {
                buffers[i] = new float[w.length];
            }
            paramSteps[i]++;
            kernels.rmspropUpdate(w, p.grad().data(), squareAvg[i], gradAvg[i], momentum > 0 ? buffers[i] : null, w.length,
                    scalars);
        }
    }
}
