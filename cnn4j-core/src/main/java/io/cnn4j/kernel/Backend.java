package io.cnn4j.kernel;

import java.util.Objects;

/**
 * Which {@link Kernels} the whole library computes with. Chosen once at start-up (the CLI's
 * {@code --threads} and {@code --kernels} options end here); switching while a model trains is allowed
 * but pointless.
 */
public final class Backend {
    private static volatile Kernels active = new ReferenceKernels();

    private Backend() {
    }

    public static Kernels kernels() {
        return active;
    }

    public static void use(Kernels kernels) {
        active = Objects.requireNonNull(kernels, "kernels");
    }

    /** Makes {@code kernels} active until the returned scope closes, which restores the ones before. */
    public static Scope scoped(Kernels kernels) {
        Kernels previous = active;
        use(kernels);
        return () -> use(previous);
    }

    /** A temporary choice of kernels, for try-with-resources. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
