package io.cnn4j.data;

import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Serves a trainer the batches of a {@link DataLoader}, augmented, and with {@code prefetch > 0}
 * assembled ahead on a background thread while the trainer computes: the thread copies and augments up
 * to {@code prefetch} batches (plus the one it is working on) into a bounded queue and blocks when it is
 * full. The batches are the same, bit for bit, with or without prefetching: the loader's order does not
 * depend on timing and {@link Augmentation} derives each batch's randomness from its position.
 *
 * {@snippet :
 * try (BatchFeed feed = new BatchFeed(loader, augmentation, 2)) {
 *     feed.startEpoch();
 *     while (feed.hasNext()) {
 *         Batch b = feed.next();
 *         // ... train on b
 *     }
 * }
 * }
 *
 * <p>{@link #state()} is where the <em>delivered</em> batches leave the loader, however far the thread has
 * run ahead, so it is what a checkpoint saves. {@link #waitSeconds()} is the time {@link #next()} spent
 * waiting for a batch (without prefetching, the time spent assembling it): near zero means the data never
 * held the computation up. One consumer thread; {@link #close()} stops the background thread.
 */
public final class BatchFeed implements AutoCloseable {
    /** How long a waiting {@link #next()} sleeps between checks that the producer is still alive. */
    private static final long POLL_MILLIS = 100;

    private final DataLoader loader;
    private final Augmentation augmentation;
    private final int prefetch;
    private Producer producer;
    private DataLoader.State delivered;
    private long waitNanos;

    /** Batches of {@code loader} transformed by {@code augmentation} (null: none), {@code prefetch} ahead (0: none). */
    public BatchFeed(DataLoader loader, Augmentation augmentation, int prefetch) {
        this.loader = Objects.requireNonNull(loader, "loader");
        if (prefetch < 0) {
            throw new IllegalArgumentException("prefetch must be >= 0 batches, got " + prefetch);
        }
        this.augmentation = augmentation;
        this.prefetch = prefetch;
    }

    /** The loader's batches as they are, assembled when asked for. */
    public static BatchFeed of(DataLoader loader) {
        return new BatchFeed(loader, null, 0);
    }

    public DataLoader loader() {
        return loader;
    }

    public int prefetch() {
        return prefetch;
    }

    public int batchesPerEpoch() {
        return loader.batchesPerEpoch();
    }

    /** Begins the loader's next epoch (a new permutation when shuffling) and starts serving it. */
    public void startEpoch() {
        stop();
        loader.nextEpoch();
        begin();
    }

    /** Serves the rest of the current epoch from where {@link #state()} stands, e.g. after {@link #restore}. */
    public void resumeEpoch() {
        stop();
        if (loader.epoch() == 0) {
            throw new IllegalStateException("BatchFeed: no epoch to resume; call startEpoch()");
        }
        begin();
    }

    /** Whether the current epoch has batches left to deliver. */
    public boolean hasNext() {
        return delivered != null && delivered.epoch() > 0 && delivered.position() < loader.batchesPerEpoch();
    }

    /** The next batch of the current epoch. */
    public Batch next() {
        if (!hasNext()) {
            throw new NoSuchElementException("BatchFeed: the epoch has no batches left, or none has begun");
        }
        long start = System.nanoTime();
        Item item = producer == null ? assemble() : take();
        waitNanos += System.nanoTime() - start;
        if (item.failure() != null) {
            stop();
            throw rethrow(item.failure());
        }
        delivered = item.state();
        return item.batch();
    }

    /** Where the delivered batches leave the loader: epoch, batches served, generator. */
    public DataLoader.State state() {
        return delivered != null ? delivered : loader.state();
    }

    /** Continues from a {@link #state()}; call {@link #resumeEpoch()} to serve the rest of its epoch. */
    public void restore(DataLoader.State state) {
        stop();
        loader.restore(state);
        delivered = loader.state();
    }

    /** Total time {@link #next()} has waited for batches so far. */
    public double waitSeconds() {
        return waitNanos / 1e9;
    }

    /** Stops the background thread, if any; the feed can start or resume an epoch again afterwards. */
    @Override
    public void close() {
        stop();
    }

    private void begin() {
        delivered = loader.state();
        if (prefetch > 0 && loader.hasNextBatch()) {
            producer = new Producer(prefetch);
            producer.thread.start();
        }
    }

    /** The next batch on this thread: the loader's, augmented, with the loader's state after it. */
    private Item assemble() {
        int epoch = loader.epoch();
        int position = loader.position();
        Batch batch = loader.nextBatch();
        if (augmentation != null) {
            augmentation.apply(batch, epoch, position);
        }
        return new Item(batch, loader.state(), null);
    }

    private Item take() {
        try {
            while (true) {
                Item item = producer.queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (item != null) {
                    return item;
                }
                if (!producer.thread.isAlive() && producer.queue.isEmpty()) {
                    return new Item(null, null, new IllegalStateException("BatchFeed: the prefetch thread ended without"
                            + " delivering batch " + (delivered.position() + 1) + " of epoch " + delivered.epoch()));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new IllegalStateException("BatchFeed: interrupted while waiting for a batch", e);
        }
    }

    /**
     * Stops and joins the producer, then puts the loader back where the delivered batches leave it (the
     * producer may have run ahead), so that the loader and {@link #state()} agree again.
     */
    private void stop() {
        if (producer == null) {
            return;
        }
        producer.stopping = true;
        producer.thread.interrupt();
        boolean interrupted = false;
        while (true) {
            try {
                producer.thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        producer = null;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (delivered != null && !loader.state().equals(delivered)) {
            loader.restore(delivered);
        }
    }

    private static RuntimeException rethrow(Throwable failure) {
        if (failure instanceof RuntimeException e) {
            return e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("BatchFeed: assembling a batch failed: " + failure, failure);
    }

    /** A delivered batch with the loader's state after it, or the failure that stopped the producer. */
    private record Item(Batch batch, DataLoader.State state, Throwable failure) {
    }

    /** Assembles the rest of the current epoch into the queue, on its own daemon thread. */
    private final class Producer implements Runnable {
        final BlockingQueue<Item> queue;
        final Thread thread;
        volatile boolean stopping;

        Producer(int capacity) {
            this.queue = new ArrayBlockingQueue<>(capacity);
            this.thread = new Thread(this, "cnn4j-prefetch");
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            try {
                while (!stopping && loader.hasNextBatch()) {
                    Item item;
                    try {
                        item = assemble();
                    } catch (RuntimeException | Error e) {
                        queue.put(new Item(null, null, e));
                        return;
                    }
                    queue.put(item);
                }
            } catch (InterruptedException e) {
                // stop() asked us to end; the consumer no longer takes from the queue.
            }
        }
    }
}
