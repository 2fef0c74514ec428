package io.cnn4j.tensor;

import io.cnn4j.kernel.CpuKernels;
import io.cnn4j.kernel.Kernels;

import java.util.Objects;

/**
 * Which {@link Kernels} a computation runs on: those a program hands to the model
 * ({@code Module.to}), the trainer ({@code Trainer.kernels}) or the call ({@link #call}), and when none
 * is given, {@link #defaultKernels()}: the fast CPU kernels on every core.
 *
 * {@snippet :
 * try (var cpu = new CpuKernels(2)) {
 *     Tensor logits = Execution.call(cpu, () -> model.forward(images));
 * }
 * }
 *
 * <p>The choice is bound to the calling thread for the extent of the call, the way a try block encloses
 * it, and is never a global setting: two threads may compute on different kernels at once, and a
 * library embedded twice in one JVM does not see the other's choice. An operation remembers the
 * kernels of its forward pass, so its backward pass runs on them too wherever it is called from.
 */
public final class Execution {
    private static final ScopedValue<Kernels> BOUND = ScopedValue.newInstance();

    private Execution() {
    }

    /** The kernels of the computation running on this thread. */
    public static Kernels kernels() {
        return BOUND.orElse(DefaultKernels.CPU);
    }

    /** Runs {@code work} on {@code kernels} and returns its result. */
    public static <T, X extends Throwable> T call(Kernels kernels, ScopedValue.CallableOp<T, X> work) throws X {
        Objects.requireNonNull(kernels, "kernels");
        if (BOUND.isBound() && BOUND.get() == kernels) {
            return work.call();
        }
        return ScopedValue.where(BOUND, kernels).call(work);
    }

    /** Runs {@code work} on {@code kernels}. */
    public static void run(Kernels kernels, Runnable work) {
        Objects.requireNonNull(kernels, "kernels");
        if (BOUND.isBound() && BOUND.get() == kernels) {
            work.run();
            return;
        }
        ScopedValue.where(BOUND, kernels).run(work);
    }

    /**
     * The kernels used when a program names none: {@link CpuKernels} with a thread for every available
     * processor, made on first use and shared (they are safe to call from several threads at once).
     */
    public static Kernels defaultKernels() {
        return DefaultKernels.CPU;
    }

    /** Holds the default kernels, created the first time they are asked for. */
    private static final class DefaultKernels {
        static final Kernels CPU = new CpuKernels(Runtime.getRuntime().availableProcessors());
    }
}
