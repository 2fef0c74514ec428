package io.cnn4j.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

/**
 * Lends the arrays of a training step's intermediate tensors (activations, their gradients, pooling
 * indices) and takes them back when the step ends, so the next step, whose shapes are the same, reuses
 * them instead of allocating: steady-state training then allocates no large arrays at all, which keeps
 * the garbage collector idle and the heap small.
 *
 * <p>The price is a lifetime rule, the same as Deeplearning4j's workspaces: a tensor computed while a
 * workspace is open on this thread is valid only until it {@linkplain Scope#close() closes}. Copy
 * ({@link Tensor#copy()}) what must outlive the step. Parameters, their gradients and optimizer state
 * never come from a workspace. Without an open workspace, {@link Tensor#temporary} simply allocates.
 *
 * <p>A workspace belongs to one thread at a time (the one that runs the forward and backward passes;
 * the kernels' worker threads only write into arrays handed to them).
 */
public final class Workspace {
    private static final ThreadLocal<Workspace> ACTIVE = new ThreadLocal<>();

    private final Pool<float[]> floats = new Pool<>(float[]::new, a -> a.length, a -> Arrays.fill(a, 0f));
    private final Pool<int[]> ints = new Pool<>(int[]::new, a -> a.length, a -> Arrays.fill(a, 0));

    /** Makes this workspace lend on the current thread until the returned scope closes. */
    public Scope open() {
        Workspace previous = ACTIVE.get();
        if (previous == this) {
            throw new IllegalStateException("workspace is already open on this thread");
        }
        ACTIVE.set(this);
        return () -> {
            floats.takeBack();
            ints.takeBack();
            if (previous == null) {
                ACTIVE.remove();
            } else {
                ACTIVE.set(previous);
            }
        };
    }

    /** Bytes of all arrays this workspace holds, lent or free. */
    public long bytes() {
        return 4L * (floats.elements() + ints.elements());
    }

    /** A zeroed array of {@code n} floats, lent by this thread's open workspace or newly allocated. */
    public static float[] floats(int n) {
        Workspace w = ACTIVE.get();
        return w == null ? new float[n] : w.floats.lend(n, true);
    }

    /** A zeroed array of {@code n} ints, lent by this thread's open workspace or newly allocated. */
    public static int[] ints(int n) {
        Workspace w = ACTIVE.get();
        return w == null ? new int[n] : w.ints.lend(n, true);
    }

    /**
     * An array of {@code n} floats for a caller that writes every element before reading any (a kernel's
     * output: the kernels overwrite), so a lent one keeps the last step's values instead of being zeroed:
     * zeroing the activations and gradients of a step costs a pass over all of them (measured: ~2 ms of
     * a 40 ms step of {@code small}).
     */
    public static float[] emptyFloats(int n) {
        Workspace w = ACTIVE.get();
        return w == null ? new float[n] : w.floats.lend(n, false);
    }

    /** As {@link #emptyFloats}, for ints. */
    public static int[] emptyInts(int n) {
        Workspace w = ACTIVE.get();
        return w == null ? new int[n] : w.ints.lend(n, false);
    }

    /** The lending of one workspace on one thread, for try-with-resources. */
    public interface Scope extends AutoCloseable {
        /** Takes back every array lent since {@link #open()}; tensors built on them are then invalid. */
        @Override
        void close();
    }

    /** Free arrays by exact length, and those lent out since the workspace opened. */
    private static final class Pool<A> {
        private final Map<Integer, ArrayDeque<A>> free = new HashMap<>();
        private final List<A> lent = new ArrayList<>();
        private final IntFunction<A> allocate;
        private final ToIntFunction<A> length;
        private final Consumer<A> clear;
        private long elements;

        Pool(IntFunction<A> allocate, ToIntFunction<A> length, Consumer<A> clear) {
            this.allocate = allocate;
            this.length = length;
            this.clear = clear;
        }

        /** An array of length {@code n}, a free one when there is one, zeroed if {@code zero} (new ones are). */
        A lend(int n, boolean zero) {
            ArrayDeque<A> queue = free.get(n);
            A a = queue == null ? null : queue.poll();
            if (a == null) {
                a = allocate.apply(n);
                elements += n;
            } else if (zero) {
                clear.accept(a);
            }
            lent.add(a);
            return a;
        }

        void takeBack() {
            for (A a : lent) {
                free.computeIfAbsent(length.applyAsInt(a), k -> new ArrayDeque<>()).push(a);
            }
            lent.clear();
        }

        long elements() {
            return elements;
        }
    }
}
