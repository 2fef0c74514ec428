package io.cnn4j.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A fixed set of worker threads that run the tasks of one parallel loop at a time; the calling thread
 * works too. Tasks are claimed from a shared counter, so the split of work never affects results as
 * long as each task writes its own outputs: kernels make every reduction in a fixed order of tasks
 * whose size does not depend on the thread count.
 *
 * <p>A training step makes a few dozen parallel calls of well under a millisecond each, so handing work
 * over must cost microseconds, not the tens of microseconds of waking a parked thread: workers spin for
 * {@link #SPIN_NANOS} after their last task before they park, and the caller spins as long for the
 * workers to finish.
 */
public final class Parallel implements AutoCloseable {
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> Boolean.FALSE);
    /** How long an idle thread polls before it parks: longer than the gaps between the kernels of a step. */
    private static final long SPIN_NANOS = 100_000;

    private final int threads;
    private final Worker[] workers;

    public Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker();
            workers[i].thread.start();
        }
    }

    public int threads() {
        return threads;
    }

    /** One parallel loop: its tasks, the next unclaimed one, and the helpers still running. */
    private static final class Job {
        final int tasks;
        final IntConsumer body;
        final Thread caller = Thread.currentThread();
        final AtomicInteger next = new AtomicInteger();
        final int helpers;
        final AtomicInteger running;
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        volatile boolean callerParked;

        Job(int tasks, IntConsumer body, int helpers) {
            this.tasks = tasks;
            this.body = body;
            this.helpers = helpers;
            this.running = new AtomicInteger(helpers);
        }

        void drain() {
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

        /** A helper is done; the last one wakes the caller if it stopped spinning. */
        void helperDone() {
            if (running.decrementAndGet() == 0 && callerParked) {
                LockSupport.unpark(caller);
            }
        }

        void awaitHelpers() {
            long deadline = System.nanoTime() + SPIN_NANOS;
            while (running.get() > 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            // Set before the last check, read by the last helper after its decrement: one of them sees the other.
            callerParked = true;
            while (running.get() > 0) {
                LockSupport.park(this);
            }
        }
    }

    /** A daemon thread that runs the jobs handed to it, polling for the next one before it parks. */
    private static final class Worker implements Runnable {
        final Thread thread = new Thread(this, "cnn4j-kernel");
        volatile Job pending;
        volatile boolean parked;
        volatile boolean stopped;

        Worker() {
            thread.setDaemon(true);
        }

        void hand(Job job) {
            pending = job;
            if (parked) {
                LockSupport.unpark(thread);
            }
        }

        @Override
        public void run() {
            while (!stopped) {
                Job job = await();
                if (job != null) {
                    job.drain();
                    job.helperDone();
                }
            }
        }

        private Job await() {
            long deadline = System.nanoTime() + SPIN_NANOS;
            while (pending == null && System.nanoTime() < deadline && !stopped) {
                Thread.onSpinWait();
            }
            // As in Job.awaitHelpers: hand() writes pending then reads parked; this writes parked then reads pending.
            parked = true;
            while (pending == null && !stopped) {
                LockSupport.park(this);
            }
            parked = false;
            Job job = pending;
            pending = null;
            return job;
        }
    }

    /**
     * Runs {@code body.accept(i)} for every {@code i} in {@code [0, tasks)}, spread over the threads, and
     * returns when all are done. A call from inside a task runs its tasks on the calling thread.
     */
    public void forEach(int tasks, IntConsumer body) {
        if (tasks <= 0) {
            return;
        }
        if (workers.length == 0 || tasks == 1 || INSIDE.get()) {
            for (int i = 0; i < tasks; i++) {
                body.accept(i);
            }
            return;
        }
        Job job = new Job(tasks, body, Math.min(threads, tasks) - 1);
        run(job);
        Throwable t = job.failure.get();
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error e) {
            throw e;
        }
    }

    /**
     * Runs {@code body.accept(item)} for every item in {@code [0, items)}, in tasks of {@code perTask}
     * consecutive items; an item's work does not depend on the thread count, since a task is the same
     * items on any number of threads.
     */
    public void forEachItem(int items, int perTask, IntConsumer body) {
        forEach(Math.ceilDiv(items, perTask), t -> {
            for (int i = t * perTask, end = Math.min(items, (t + 1) * perTask); i < end; i++) {
                body.accept(i);
            }
        });
    }

    /**
     * {@code partial[i] += partial[size + i] + ... + partial[(slices - 1) * size + i]} for every {@code i < size}:
     * the per-task partial sums of a reduction added into the first, each element over the slices in their
     * order (so the result does not depend on the threads), ranges of elements spread over the threads. On
     * the calling thread alone, the other threads would wait through it at the end of every weight gradient.
     */
    public void sumSlices(float[] partial, int slices, int size) {
        int range = Math.ceilDiv(size, threads);
        forEach(threads, th -> {
            int from = th * range;
            int end = Math.min(size, from + range);
            for (int slice = 1; slice < slices; slice++) {
                for (int i = from, off = slice * size; i < end; i++) {
                    partial[i] += partial[off + i];
                }
            }
        });
    }

    /** One job at a time: a worker holds one pending job, so callers on other threads wait their turn. */
    private synchronized void run(Job job) {
        for (int h = 0; h < job.helpers; h++) {
            workers[h].hand(job);
        }
        job.drain();
        job.awaitHelpers();
    }

    @Override
    public void close() {
        for (Worker w : workers) {
            w.stopped = true;
            LockSupport.unpark(w.thread);
        }
    }
}
