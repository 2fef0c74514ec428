package io.cnn4j.kernel;

/**
 * The scalars of one Adam or AdamW update of one parameter (PyTorch's {@code torch.optim.Adam} and
 * {@code AdamW} rules), worked out in double and rounded once to float: the betas and their
 * complements, {@code eps}, the weight decay (joined to the gradient, or with {@code decoupled} a
 * {@code shrink} of the weights), the bias-corrected {@code stepSize} (negative) and
 * {@code sqrt(1 - beta2^t)}.
 */
public record AdamStep(float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float eps, float weightDecay,
                       boolean decoupled, float shrink, float stepSize, float biasCorrection2Sqrt) {
}
