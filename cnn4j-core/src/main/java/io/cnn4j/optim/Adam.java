package io.cnn4j.optim;

import io.cnn4j.kernel.AdamStep;
import io.cnn4j.kernel.Kernels;
import io.cnn4j.tensor.Execution;
import io.cnn4j.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma and Ba, 2015) with PyTorch's exact update ({@code torch.optim.Adam}) and defaults
 * (betas 0.9 and 0.999, eps 1e-8). With {@code decoupled} set it is AdamW (Loshchilov and Hutter,
 * 2019): the weight decay shrinks the parameters directly instead of joining the gradient.
 * <pre>
 * AdamW: p = p * (1 - lr * weightDecay)          Adam: g = grad + weightDecay * p
 * m = beta1 * m + (1 - beta1) * g
 * v = beta2 * v + (1 - beta2) * g^2
 * p = p - (lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * With {@code amsgrad} (Reddi et al., 2018) the denominator uses the largest {@code v} seen so far,
 * {@code vMax = max(vMax, v)}, so the step size never grows back.
 */
public class Adam extends Optimizer {
    private double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean decoupled;
    private final boolean amsgrad;
    private float[][] m;
    private float[][] v;
    private float[][] vMax;
    /** Updates applied to each parameter (PyTorch's per-parameter {@code state['step']}): its bias correction. */
    private final long[] paramSteps;
    private long step;

    public Adam(List<Tensor> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0);
    }

    public Adam(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        this(params, lr, beta1, beta2, eps, weightDecay, false);
    }

    public Adam(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        this(params, lr, beta1, beta2, eps, weightDecay, amsgrad, false);
    }

    Adam(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad,
         boolean decoupled) {
        super(params, lr);
        String name = decoupled ? "AdamW" : "Adam";
        checkRange(name, "beta1", beta1, 0, 0.999999999);
        checkRange(name, "beta2", beta2, 0, 0.999999999);
        checkRange(name, "eps", eps, 0, Double.MAX_VALUE);
        checkRange(name, "weight decay", weightDecay, 0, Double.MAX_VALUE);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
        this.amsgrad = amsgrad;
        this.m = new float[this.params.size()][];
        this.v = new float[this.params.size()][];
        this.vMax = new float[this.params.size()][];
        this.paramSteps = new long[this.params.size()];
    }

    /** Number of steps taken so far. */
    public long steps() {
        return step;
    }

    @Override
    public double momentum() {
        return beta1;
    }

    /** Sets beta1, the decay of the first moment: what PyTorch's one-cycle schedule cycles for Adam. */
    @Override
    public void setMomentum(double beta1) {
        checkRange(getClass().getSimpleName(), "beta1", beta1, 0, 0.999999999);
        this.beta1 = beta1;
    }

    @Override
    public OptimizerState state() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("step", step);
        putCounters(counters, "step", paramSteps);
        Map<String, float[]> buffers = new LinkedHashMap<>();
        putBuffers(buffers, "exp_avg", m);
        putBuffers(buffers, "exp_avg_sq", v);
        putBuffers(buffers, "max_exp_avg_sq", vMax);
        return new OptimizerState(getClass().getSimpleName(), lr, beta1, counters, buffers);
    }

    @Override
    public void restore(OptimizerState state) {
        restoreCommon(state);
        long[] steps = takeCounters(state, "step", paramSteps.length);
        float[][] newM = takeBuffers(state, "exp_avg", params.size());
        float[][] newV = takeBuffers(state, "exp_avg_sq", params.size());
        float[][] newMax = takeBuffers(state, "max_exp_avg_sq", params.size());
        for (int i = 0; i < steps.length; i++) {
            if ((newM[i] == null) != (newV[i] == null) || (newM[i] == null) != (steps[i] == 0)
                    || amsgrad && (newMax[i] == null) != (newM[i] == null)) {
                throw new IllegalArgumentException(getClass().getSimpleName() + " state of parameter " + i
                        + " is incomplete: its moments and step count must be saved together");
            }
            if (!amsgrad && newMax[i] != null) {
                throw new IllegalArgumentException(getClass().getSimpleName() + " state of parameter " + i
                        + " holds AMSGrad's max_exp_avg_sq, but this optimizer is built without amsgrad");
            }
        }
        this.step = state.counter("step");
        System.arraycopy(steps, 0, paramSteps, 0, steps.length);
        this.m = newM;
        this.v = newV;
        this.vMax = newMax;
    }

    @Override
    public void step() {
        step++;
        Kernels kernels = Execution.kernels();
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            if (p.grad() == null) {
                continue;
            }
            float[] w = p.data();
            float[] g = p.grad().data();
            if (m[i] == null) {
                m[i] = new float[w.length];
                v[i] = new float[w.length];
                vMax[i] = amsgrad ? new float[w.length] : null;
            }
            // A parameter without a gradient at some step skips it, so its bias correction counts its own updates.
            long t = ++paramSteps[i];
            // Scalars are worked out in double and rounded once to float, as PyTorch does with Python floats.
            AdamStep scalars = new AdamStep((float) beta1, (float) (1 - beta1), (float) beta2, (float) (1 - beta2),
                    (float) eps, (float) weightDecay, decoupled, (float) (1 - lr * weightDecay),
                    (float) -(lr / (1 - Math.pow(beta1, t))), (float) Math.sqrt(1 - Math.pow(beta2, t)));
            kernels.adamUpdate(w, g, m[i], v[i], vMax[i], w.length, scalars);
        }
    }
}
