package io.cnn4j.kernel;

/**
 * The scalars of one RMSprop update (PyTorch's {@code torch.optim.RMSprop} rule), rounded once to float as
 * PyTorch does with Python floats: the learning rate, the smoothing {@code alpha} and its complement,
 * {@code eps}, the L2 weight decay, the momentum (0 for none) and whether the estimate is centred.
 */
public record RmspropStep(float lr, float alpha, float oneMinusAlpha, float eps, float weightDecay, float momentum,
                          boolean centered) {
}
