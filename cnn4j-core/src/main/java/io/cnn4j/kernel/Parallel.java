package io.cnn4j.kernel;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A fixed set of worker threads that run the tasks of one parallel loop at a time; the calling thread
 * works too. Tasks are claimed from a shared counter, so the split of work never affects results as
 * long as each task writes its own outputs: kernels make every reduction in a fixed order of tasks
 * whose size does not depend on the thread count.
 */
public final class Parallel implements AutoCloseable {
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private final int threads;
    private final ExecutorService workers;

    public Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.workers = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "cnn4j-kernel");
            t.setDaemon(true);
            return t;
        });
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body.accept(i)} for every {@code i} in {@code [0, tasks)}, spread over the threads, and
     * returns when all are done. A call from inside a task runs its tasks on the calling thread.
     */
    public void forEach(int tasks, IntConsumer body) {
        if (tasks <= 0) {
            return;
        }
        if (workers == null || tasks == 1 || INSIDE.get()) {
            for (int i = 0; i < tasks; i++) {
                body.accept(i);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger running = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread caller = Thread.currentThread();
        int helpers = Math.min(threads, tasks) - 1;
        running.set(helpers);
        Runnable work = () -> drain(tasks, body, next, failure);
        for (int h = 0; h < helpers; h++) {
            workers.execute(() -> {
                try {
                    work.run();
                } finally {
                    if (running.decrementAndGet() == 0) {
                        LockSupport.unpark(caller);
                    }
                }
            });
        }
        work.run();
        while (running.get() > 0) {
            LockSupport.park(this);
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error e) {
            throw e;
        }
    }

    private static void drain(int tasks, IntConsumer body, AtomicInteger next, AtomicReference<Throwable> failure) {
        INSIDE.set(Boolean.TRUE);
        try {
            for (int i = next.getAndIncrement(); i < tasks && failure.get() == null; i = next.getAndIncrement()) {
                body.accept(i);
            }
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        } finally {
            INSIDE.set(Boolean.FALSE);
        }
    }

    @Override
    public void close() {
        if (workers != null) {
            workers.shutdownNow();
        }
    }
}
