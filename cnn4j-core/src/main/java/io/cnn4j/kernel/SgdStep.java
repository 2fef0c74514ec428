package io.cnn4j.kernel;

/**
 * The scalars of one SGD update (PyTorch's {@code torch.optim.SGD} rule), worked out once per step in
 * double and rounded to float as PyTorch does with Python floats. {@code keep} is {@code 1 - dampening};
 * {@code first} says the momentum buffer is empty and takes the gradient as it is.
 */
public record SgdStep(float lr, float weightDecay, float momentum, float keep, boolean nesterov, boolean first) {
}
