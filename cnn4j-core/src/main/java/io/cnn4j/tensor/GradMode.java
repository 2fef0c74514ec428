package io.cnn4j.tensor;

/**
 * Whether operations record themselves for backpropagation on the current thread.
 *
 * {@snippet :
 * try (var ignored = GradMode.noGrad()) {
 *     Tensor logits = model.forward(images); // records nothing, keeps no activations alive
 * }
 * }
 */
public final class GradMode {
    private static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> Boolean.TRUE);

    private GradMode() {
    }

    public static boolean isEnabled() {
        return ENABLED.get();
    }

    /** Turns recording off until the returned scope is closed; scopes nest. */
    public static Scope noGrad() {
        boolean previous = ENABLED.get();
        ENABLED.set(Boolean.FALSE);
        return () -> ENABLED.set(previous);
    }

    /**
     * Turns recording on until the returned scope is closed, even inside {@link #noGrad()}: for a computation
     * that needs gradients whatever its caller chose (explaining a prediction).
     */
    public static Scope enableGrad() {
        boolean previous = ENABLED.get();
        ENABLED.set(Boolean.TRUE);
        return () -> ENABLED.set(previous);
    }

    /** A scope that restores the previous mode when closed; closing never throws. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
