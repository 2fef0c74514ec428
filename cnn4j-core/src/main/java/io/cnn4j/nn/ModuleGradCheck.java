package io.cnn4j.nn;

import io.cnn4j.autograd.GradCheck;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks a layer's backward pass in one call: the gradients of its input and of every parameter, against
 * central differences of its forward pass ({@link GradCheck} says how, and with what tolerances). This is
 * how to test a layer of one's own before training with it:
 *
 * {@snippet :
 * ModuleGradCheck.check(new Swish(), Shape.of(2, 3, 4, 4));
 * }
 *
 * <p>A failure throws an {@link AssertionError} (a test framework reports it as a failed test) naming
 * each tensor out of tolerance, its worst element and the analytic and numeric values there:
 * {@code "weight [3]: 1 of 3 checked elements out of tolerance; worst at [1]: analytic 0.4120000,
 * numeric 0.8240000 (190.6x the tolerance)"}. A pass returns the {@link GradCheck.Report}.
 *
 * <p>The layer runs in the mode it is in; a stochastic one (dropout while training) is refused, and is
 * checked after {@code eval()}. Finite differences are wrong across a kink (ReLU at 0, the maximum of a
 * pooling window changing), so a layer with kinks is checked on an input that keeps away from them,
 * given as a tensor. The layer is left as it was: its parameters, buffers (running statistics) and
 * gradients are put back.
 */
public final class ModuleGradCheck {
    private static final long SEED = 0x5EEDL;

    private ModuleGradCheck() {
    }

    /** Checks {@code module} on a fixed random input of {@code inputShape}, uniform in [-1, 1), with the default settings. */
    public static GradCheck.Report check(Module module, Shape inputShape) {
        Rng rng = new Rng(SEED);
        float[] x = new float[inputShape.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.uniform(-1, 1);
        }
        return check(module, Tensor.of(x, inputShape), GradCheck.DEFAULT);
    }

    /** Checks {@code module} on {@code input} (which is not changed) with the default settings. */
    public static GradCheck.Report check(Module module, Tensor input) {
        return check(module, input, GradCheck.DEFAULT);
    }

    /** Checks {@code module} on {@code input} (which is not changed) with {@code settings}. */
    public static GradCheck.Report check(Module module, Tensor input, GradCheck settings) {
        Tensor x = Tensor.of(input.toArray(), input.shape()).requiresGrad(true);
        Map<String, Tensor> checked = new LinkedHashMap<>();
        checked.put("input " + x.shape(), x);
        module.namedParameters().forEach((name, p) -> checked.put(name + " " + p.shape(), p));

        Map<Tensor, float[]> values = new IdentityHashMap<>();
        Map<Tensor, Tensor> gradients = new IdentityHashMap<>();
        module.stateDict().values().forEach(t -> values.put(t, t.toArray()));
        module.parameters().forEach(p -> gradients.put(p, p.grad()));
        try {
            return settings.report(checked, () -> module.forward(x)).requirePassed();
        } finally {
            values.forEach((t, v) -> System.arraycopy(v, 0, t.data(), 0, v.length));
            gradients.forEach(Tensor::setGrad);
        }
    }
}
