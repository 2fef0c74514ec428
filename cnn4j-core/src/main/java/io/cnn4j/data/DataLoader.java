package io.cnn4j.data;

import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;

import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Serves a {@link Dataset} as mini-batches, epoch after epoch, like PyTorch's {@code DataLoader}:
 * <pre>
 * DataLoader loader = DataLoader.shuffled(train, 64, seed);
 * for (int e = 0; e &lt; epochs; e++) {
 *     for (Batch b : loader.nextEpoch()) { ... b.images() [64, 1, 28, 28], b.labels() ... }
 * }
 * </pre>
 * With shuffling, each epoch visits the images in a new random permutation drawn from a generator the
 * loader owns, so a seed fixes the order of every epoch and no other consumer of random numbers can
 * disturb it. Without shuffling it visits them in file order. The last batch is smaller when the batch
 * size does not divide the dataset, unless {@code dropLast} discards it; a batch size larger than the
 * dataset gives one batch of every image, as in PyTorch.
 *
 * <p>A {@link ShardedOrder} is the other way to visit the data: {@link #sharded} serves one process the
 * global batches of every shard, {@link #shard} one worker its own shard's micro-batches.
 *
 * <p>Where the loader stands (epoch, batches served, the generator) is a {@link State} that a checkpoint
 * can save, so a resumed run continues mid-epoch with the same batches it would have had. Not thread-safe.
 */
public final class DataLoader {
    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final Rng rng;
    /** The file order, shared by every epoch of a loader that does not shuffle. */
    private final int[] sequential;
    /** The order of every epoch when it is sharded, else null. */
    private final ShardedOrder sharding;
    /** The one shard this loader serves micro-batches of, or -1 when it serves the global batches of all. */
    private final int shard;

    private int epoch;
    private int position;
    private int[] order;
    private Rng.State epochStart;

    /**
     * A loader of batches of {@code batchSize} images. With {@code shuffle}, permutations come from
     * {@code rng}, which the loader takes over: no one else should draw from it.
     */
    public DataLoader(Dataset dataset, int batchSize, boolean shuffle, boolean dropLast, Rng rng) {
        this.dataset = Objects.requireNonNull(dataset, "dataset");
        if (batchSize < 1) {
            throw new IllegalArgumentException("DataLoader: batch size must be at least 1, got " + batchSize);
        }
        if (dropLast && dataset.size() > 0 && dataset.size() < batchSize) {
            throw new IllegalArgumentException("DataLoader: dropping the last partial batch of " + batchSize
                    + " from dataset '" + dataset.description() + "' of " + dataset.size()
                    + " images would leave no batches at all");
        }
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.rng = shuffle ? Objects.requireNonNull(rng, "rng (needed to shuffle)") : rng != null ? rng : new Rng(0);
        this.sequential = shuffle ? null : identity(dataset.size());
        this.epochStart = this.rng.state();
        this.sharding = null;
        this.shard = -1;
    }

    private DataLoader(Dataset dataset, ShardedOrder sharding, int shard) {
        this.dataset = Objects.requireNonNull(dataset, "dataset");
        this.sharding = sharding;
        this.shard = shard;
        int expected = shard < 0 ? sharding.items() : sharding.shardSize(shard);
        if (dataset.size() != expected) {
            throw new IllegalArgumentException("DataLoader: the sharded order is for " + expected + " images"
                    + (shard < 0 ? "" : " in shard " + shard) + ", but dataset '" + dataset.description() + "' has "
                    + dataset.size());
        }
        this.batchSize = shard < 0 ? sharding.batchSize() : sharding.microBatch(shard);
        this.shuffle = true;
        this.dropLast = true;
        this.rng = new Rng(sharding.seed());
        this.sequential = null;
        this.epochStart = rng.state();
    }

    /**
     * Global batches of {@code order}'s batch size from the whole training set, each the concatenation
     * of every shard's micro-batch in shard order: what one process accumulating {@code order.shards()}
     * micro-batches per step trains on to reproduce that many workers that each hold one shard.
     */
    public static DataLoader sharded(Dataset dataset, ShardedOrder order) {
        return new DataLoader(dataset, Objects.requireNonNull(order, "order"), -1);
    }

    /**
     * Shard {@code k}'s micro-batches from {@code shardData}, that shard's items alone in the shard's order
     * ({@link ShardedOrder#shardItems}): what worker {@code k} trains on.
     */
    public static DataLoader shard(Dataset shardData, ShardedOrder order, int k) {
        Objects.checkIndex(k, order.shards());
        return new DataLoader(shardData, order, k);
    }

    /** The sharded order this loader follows, or null when it shuffles or reads in file order. */
    public ShardedOrder sharding() {
        return sharding;
    }

    /** The shard this loader serves micro-batches of, or -1 when it serves whole batches. */
    public int shard() {
        return shard;
    }

    /** Shuffled batches, keeping the last partial one; {@code seed} fixes the order of every epoch. */
    public static DataLoader shuffled(Dataset dataset, int batchSize, long seed) {
        return new DataLoader(dataset, batchSize, true, false, new Rng(seed));
    }

    /** Batches in file order, the last one partial if need be: for evaluation. */
    public static DataLoader sequential(Dataset dataset, int batchSize) {
        return new DataLoader(dataset, batchSize, false, false, null);
    }

    public Dataset dataset() {
        return dataset;
    }

    public int batchSize() {
        return batchSize;
    }

    public boolean shuffle() {
        return shuffle;
    }

    public boolean dropLast() {
        return dropLast;
    }

    /** Batches in one epoch: {@code ceil(N / batchSize)}, or {@code floor(N / batchSize)} with drop-last. */
    public int batchesPerEpoch() {
        return sharding != null ? sharding.stepsPerEpoch() : batches(dataset.size(), batchSize, dropLast);
    }

    /** Written so that no sum can overflow: a batch size near {@code Integer.MAX_VALUE} gives one batch, not none. */
    private static int batches(int images, int batchSize, boolean dropLast) {
        int whole = images / batchSize;
        return dropLast || images % batchSize == 0 ? whole : whole + 1;
    }

    /** Epochs begun so far: 0 before the first {@link #nextEpoch()}, 1 during the first epoch. */
    public int epoch() {
        return epoch;
    }

    /** Batches already served in the current epoch, from 0 to {@link #batchesPerEpoch()}. */
    public int position() {
        return position;
    }

    /** The current epoch's dataset indices in the order they are served (a copy). */
    public int[] order() {
        checkStarted();
        return order.clone();
    }

    /** The generator the permutations come from, live; {@link #state()} is the way to save and restore it. */
    public Rng rng() {
        return rng;
    }

    /**
     * Begins the next epoch (drawing its permutation when shuffling) and returns its batches. The iterable
     * walks this loader, so it can be iterated once, and only until the next epoch begins.
     */
    public Iterable<Batch> nextEpoch() {
        epochStart = rng.state();
        order = drawOrder(epoch + 1);
        position = 0;
        epoch++;
        return remaining();
    }

    /** The batches left in the current epoch, e.g. after {@link #restore(State)} from a mid-epoch checkpoint. */
    public Iterable<Batch> remaining() {
        checkStarted();
        int expectedEpoch = epoch;
        return () -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                checkEpoch();
                return hasNextBatch();
            }

            @Override
            public Batch next() {
                checkEpoch();
                return nextBatch();
            }

            private void checkEpoch() {
                if (epoch != expectedEpoch) {
                    throw new ConcurrentModificationException("DataLoader: iterating epoch " + expectedEpoch
                            + " after epoch " + epoch + " began");
                }
            }
        };
    }

    public boolean hasNextBatch() {
        return order != null && position < batchesPerEpoch();
    }

    /** The next batch of the current epoch. */
    public Batch nextBatch() {
        if (!hasNextBatch()) {
            throw new NoSuchElementException(order == null
                    ? "DataLoader: no epoch has begun; call nextEpoch()"
                    : "DataLoader: epoch " + epoch + " has no batches left (" + batchesPerEpoch() + " served)");
        }
        int from = position * batchSize;
        int to = (int) Math.min((long) from + batchSize, order.length);
        int b = to - from;
        float[] images = new float[b * dataset.itemSize()];
        dataset.copyImages(order, from, to, images, 0);
        int[] labels = new int[b];
        dataset.copyLabels(order, from, to, labels, 0);
        int[] indices = new int[b];
        System.arraycopy(order, from, indices, 0, b);
        position++;
        return new Batch(Tensor.of(images, dataset.batchShape(b).dims()), labels, indices);
    }

    /**
     * Where the loader stands, for a checkpoint. A sharded loader's is that of the whole order (every image,
     * the global batch), so that every worker's, and one process's, are alike.
     */
    public State state() {
        return new State(epoch, position, epochStart, orderItems(), orderBatch(), shuffle);
    }

    private int orderItems() {
        return sharding != null ? sharding.items() : dataset.size();
    }

    private int orderBatch() {
        return sharding != null ? sharding.batchSize() : batchSize;
    }

    /** Epoch {@code e}'s order: shard {@code shard}'s, all shards', a new permutation, or the file order. */
    private int[] drawOrder(int e) {
        if (sharding != null) {
            return shard < 0 ? sharding.epoch(e) : sharding.shardEpoch(e, shard);
        }
        return shuffle ? rng.permutation(dataset.size()) : sequential;
    }

    /**
     * Continues from a {@link #state()} of a loader over the same dataset with the same settings: the
     * current epoch's permutation is drawn again from the saved generator state, so it is identical.
     */
    public void restore(State state) {
        if (state.datasetSize() != orderItems() || state.batchSize() != orderBatch() || state.shuffle() != shuffle) {
            throw new IllegalArgumentException("DataLoader: cannot restore a loader of " + state.datasetSize()
                    + " images in batches of " + state.batchSize() + (state.shuffle() ? ", shuffled," : ", in order,")
                    + " into one of " + orderItems() + " images in batches of " + orderBatch()
                    + (shuffle ? ", shuffled" : ", in order"));
        }
        if (state.position() > batchesPerEpoch()) {
            throw new IllegalArgumentException("DataLoader: the saved position, " + state.position() + " batches served,"
                    + " is beyond the " + batchesPerEpoch() + " batches of an epoch");
        }
        rng.restore(state.epochStart());
        epochStart = state.epochStart();
        epoch = state.epoch();
        order = epoch == 0 ? null : drawOrder(epoch);
        position = state.position();
    }

    private void checkStarted() {
        if (order == null) {
            throw new IllegalStateException("DataLoader: no epoch has begun; call nextEpoch()");
        }
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }

    /**
     * A loader's position: {@code epoch} epochs begun, {@code position} batches of the current one served,
     * and the generator as it stood before the current epoch's permutation was drawn (which is enough to
     * draw it again, so the checkpoint stays small). The dataset size, batch size and shuffle flag guard
     * against restoring into a different loader.
     */
    public record State(int epoch, int position, Rng.State epochStart, int datasetSize, int batchSize, boolean shuffle) {
        public State {
            Objects.requireNonNull(epochStart, "epochStart");
            requireAtLeast("epoch", epoch, 0);
            requireAtLeast("position", position, 0);
            requireAtLeast("dataset size", datasetSize, 0);
            requireAtLeast("batch size", batchSize, 1);
            if (position > batches(datasetSize, batchSize, false) || epoch == 0 && position != 0) {
                throw new IllegalArgumentException("DataLoader state: position " + position + " (batches served) is"
                        + " beyond the " + (epoch == 0 ? 0 : batches(datasetSize, batchSize, false)) + " batches of epoch "
                        + epoch + " (" + datasetSize + " images in batches of " + batchSize + ")");
            }
        }

        private static void requireAtLeast(String what, int value, int min) {
            if (value < min) {
                throw new IllegalArgumentException("DataLoader state: " + what + " must be >= " + min + ", got " + value);
            }
        }
    }
}
