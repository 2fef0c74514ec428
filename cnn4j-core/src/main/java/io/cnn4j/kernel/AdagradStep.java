package io.cnn4j.kernel;

/**
 * The scalars of one Adagrad update (PyTorch's {@code torch.optim.Adagrad} rule): {@code stepSize} is
 * {@code -lr / (1 + (t - 1) * lrDecay)} worked out in double and rounded once to float, as PyTorch does.
 */
public record AdagradStep(float stepSize, float eps, float weightDecay) {
}
