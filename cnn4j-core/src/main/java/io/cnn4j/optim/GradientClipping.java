package io.cnn4j.optim;

import io.cnn4j.kernel.Kernels;
import io.cnn4j.tensor.Execution;
import io.cnn4j.tensor.Tensor;

import java.util.List;

/**
 * Clipping by global norm, as {@code torch.nn.utils.clip_grad_norm_(params, maxNorm)}: when the L2 norm
 * of all gradients together exceeds {@code maxNorm}, every gradient is scaled by
 * {@code maxNorm / (norm + 1e-6)}, so one bad batch cannot throw the weights far while the direction of
 * the step is kept. Parameters without a gradient are skipped.
 */
public final class GradientClipping {
    /** PyTorch's guard against dividing by a zero norm. */
    private static final double EPS = 1e-6;

    private GradientClipping() {
    }

    /**
     * Scales the gradients of {@code params} in place so that their global L2 norm is at most
     * {@code maxNorm}; returns the norm before clipping (infinite or NaN if a gradient is).
     */
    public static double clipByGlobalNorm(List<Tensor> params, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("gradient clipping: the maximum norm must be > 0, got " + maxNorm);
        }
        double norm = globalNorm(params);
        double coefficient = maxNorm / (norm + EPS);
        // PyTorch multiplies by min(coefficient, 1) always; multiplying by 1 changes nothing, so skip it.
        if (coefficient < 1) {
            Kernels kernels = Execution.kernels();
            for (Tensor p : params) {
                if (p.grad() != null) {
                    kernels.scale((float) coefficient, p.grad().data(), p.grad().size());
                }
            }
        }
        return norm;
    }

    /** The L2 norm of all gradients of {@code params} taken as one vector, summed in double. */
    public static double globalNorm(List<Tensor> params) {
        Kernels kernels = Execution.kernels();
        double sumOfSquares = 0;
        for (Tensor p : params) {
            if (p.grad() != null) {
                sumOfSquares += kernels.sumOfSquares(p.grad().data(), p.grad().size());
            }
        }
        return Math.sqrt(sumOfSquares);
    }
}
