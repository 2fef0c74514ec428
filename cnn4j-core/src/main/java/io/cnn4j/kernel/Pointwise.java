package io.cnn4j.kernel;

/**
 * The element-wise functions beyond ReLU, sigmoid and tanh, with the derivatives their backward passes
 * need, as PyTorch defines them. Each is worked out in double and rounded once to float; {@code param}
 * is the one argument a function takes (ELU's alpha), ignored by the others.
 */
public enum Pointwise {
    /** {@code x * Φ(x)}, Φ the standard normal CDF: {@code 0.5 * x * (1 + erf(x / √2))}. */
    GELU {
        @Override
        double apply(double x, double param) {
            return 0.5 * x * erfcOfMinus(x * SQRT_HALF);
        }

        @Override
        double derivative(double x, double param) {
            return 0.5 * erfcOfMinus(x * SQRT_HALF) + x * Math.exp(-0.5 * x * x) * INV_SQRT_2PI;
        }
    },
    /** GELU's tanh approximation: {@code 0.5 * x * (1 + tanh(√(2/π) * (x + 0.044715 * x^3)))}. */
    GELU_TANH {
        @Override
        double apply(double x, double param) {
            return 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + KAPPA * x * x * x)));
        }

        @Override
        double derivative(double x, double param) {
            double t = Math.tanh(SQRT_2_OVER_PI * (x + KAPPA * x * x * x));
            return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * KAPPA * x * x);
        }
    },
    /** SiLU (swish): {@code x * sigmoid(x)}. */
    SILU {
        @Override
        double apply(double x, double param) {
            return x * sigmoid(x);
        }

        @Override
        double derivative(double x, double param) {
            double s = sigmoid(x);
            return s * (1 + x * (1 - s));
        }
    },
    /** ELU: {@code x > 0 ? x : alpha * (exp(x) - 1)}. */
    ELU {
        @Override
        double apply(double x, double alpha) {
            return x > 0 ? x : alpha * Math.expm1(x);
        }

        @Override
        double derivative(double x, double alpha) {
            return x > 0 ? 1 : alpha * Math.exp(x);
        }
    },
    /** Hardswish: {@code x * relu6(x + 3) / 6}; its derivative at -3 and 3 is PyTorch's (x / 3 + 0.5 inside [-3, 3]). */
    HARDSWISH {
        @Override
        double apply(double x, double param) {
            return x <= -3 ? 0 : x >= 3 ? x : x * (x + 3) / 6;
        }

        @Override
        double derivative(double x, double param) {
            return x < -3 ? 0 : x <= 3 ? x / 3 + 0.5 : 1;
        }
    };

    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    private static final double KAPPA = 0.044715;

    /** f(x). */
    abstract double apply(double x, double param);

    /** f'(x). */
    abstract double derivative(double x, double param);

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /**
     * {@code 1 + erf(z) = erfc(-z)}, from the Chebyshev fit of erfc in Numerical Recipes (2nd ed., 6.2),
     * whose relative error is below 1.2e-7 everywhere: well inside a float's rounding for GELU's output,
     * and accurate also where 1 + erf(z) is tiny, where adding 1 to erf would cancel every digit.
     */
    static double erfcOfMinus(double z) {
        double a = Math.abs(z);
        double t = 1 / (1 + 0.5 * a);
        double erfc = t * Math.exp(-a * a - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return z >= 0 ? 2 - erfc : erfc;
    }
}
