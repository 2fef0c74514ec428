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
}
