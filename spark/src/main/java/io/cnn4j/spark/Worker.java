package io.cnn4j.spark;

import io.cnn4j.data.DataLoader;
import io.cnn4j.data.DataOptions;
import io.cnn4j.data.DataSplit;
import io.cnn4j.data.Dataset;
import io.cnn4j.data.Datasets;
import io.cnn4j.data.ShardedOrder;
import io.cnn4j.io.ModelFile;
import io.cnn4j.kernel.CpuKernels;
import io.cnn4j.train.Checkpoint;
import io.cnn4j.train.EpochMetrics;
import io.cnn4j.train.StepMetrics;
import io.cnn4j.train.TrainingListener;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.sql.Row;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * One barrier task: a worker. It tells the others where it listens (the one exchange through the driver,
 * {@link BarrierTaskContext#allGather}), connects to them directly, gets its shard of the training set (its
 * own partition's rows, or its items of the named data set, which it loads whole and then lets go of), then
 * trains its replica on micro-batch {@code rank} of every global batch, drawn from that shard ({@link
 * ShardedOrder}), summing gradients with the others through {@link SocketAllReduce}. A retried stage resumes
 * from rank 0's last checkpoint, which holds the order's position.
 */
final class Worker extends AbstractFunction1<scala.collection.Iterator<Tuple2<Long, Row>>, scala.collection.Iterator<WorkerReport>>
        implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The checkpoint's record of the epochs done, so that a resumed run still reports them. */
    static final String EPOCHS_KEY = "cnn4j.spark.epochs";
    /** The run a checkpoint belongs to: a retry resumes from its own run's, never from an older run's file. */
    static final String RUN_KEY = "cnn4j.spark.run";

    private final TrainingPlan plan;
    /** What {@link Datasets#resolve(String, DataOptions)} loads on every worker, or null when the rows are the data. */
    private final String dataSpec;
    private final RowLayout layout;
    /** The rows in all partitions together, when the rows are the data. */
    private final int totalRows;
    /** Where rank 0 reports each epoch as it ends. */
    private final EpochReports.Address driver;
    private final String runId;

    Worker(TrainingPlan plan, String dataSpec, RowLayout layout, int rows, EpochReports.Address driver, String runId) {
        this.plan = plan;
        this.dataSpec = dataSpec;
        this.layout = layout;
        this.totalRows = rows;
        this.driver = driver;
        this.runId = runId;
    }

    @Override
    public scala.collection.Iterator<WorkerReport> apply(scala.collection.Iterator<Tuple2<Long, Row>> rows) {
        BarrierTaskContext context = BarrierTaskContext.get();
        int rank = context.partitionId();
        int workers = context.getTaskInfos().length;
        int attempt = context.stageAttemptNumber();
        Dataset partition = layout == null ? null
                : layout.decode(new byte[][] {layout.encode(CollectionConverters.asJava(rows), rank)}, "rows of partition " + rank);
        try {
            Checkpoint resumed = resumable(attempt) ? Checkpoint.read(Path.of(plan.checkpoint())) : null;
            if (resumed != null && !runId.equals(resumed.metadata().get(RUN_KEY))) {
                resumed = null; // an earlier run's: this run failed before its first checkpoint
            }
            long resumedStep = resumed == null ? 0 : resumed.progress().step();
            try (ServerSocket server = SocketAllReduce.listen()) {
                String executor = context.getTaskInfos()[rank].address();
                String host = executor.contains(":") ? executor.substring(0, executor.lastIndexOf(':')) : executor;
                String[] all = context.allGather(host + " " + server.getLocalPort() + " " + resumedStep);
                List<InetSocketAddress> addresses = new ArrayList<>();
                for (String a : all) {
                    String[] parts = a.split(" ");
                    addresses.add(new InetSocketAddress(parts[0], Integer.parseInt(parts[1])));
                    if (Long.parseLong(parts[2]) != resumedStep) {
                        throw new IllegalStateException("the workers resumed from different checkpoints (steps "
                                + parts[2] + " and " + resumedStep + "): " + plan.checkpoint() + " changed while they read it");
                    }
                }
                try (SocketAllReduce reduce = SocketAllReduce.connect(rank, addresses, server,
                        Duration.ofSeconds(plan.timeoutSeconds()))) {
                    List<WorkerReport> report = train(context, reduce, partition, resumed, attempt);
                    return CollectionConverters.asScala(report.iterator());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private boolean resumable(int attempt) {
        return attempt > 0 && plan.checkpoint() != null && Files.isRegularFile(Path.of(plan.checkpoint()));
    }

    private List<WorkerReport> train(BarrierTaskContext context, SocketAllReduce reduce, Dataset partition, Checkpoint resumed,
                                     int attempt) throws IOException {
        int rank = reduce.rank();
        Shard data = layout == null ? load(reduce) : new Shard(plan.order(totalRows, reduce.size()), partition, null);
        int expected = data.order().shardSize(rank);
        if (data.train().size() != expected) {
            throw new IllegalStateException("worker " + rank + " received " + data.train().size() + " rows, where row i of"
                    + " the " + totalRows + " goes to worker i mod " + reduce.size() + ", which gives it " + expected);
        }
        int threads = plan.threads() > 0 ? plan.threads() : Math.max(1, context.cpus());
        try (CpuKernels kernels = new CpuKernels(threads);
             var progress = rank == 0 ? new EpochReports.Sender(driver, plan.timeoutSeconds() * 1000) : null) {
            Replica replica = new Replica(plan, DataLoader.shard(data.train(), data.order(), rank), kernels);
            replica.trainer.dataParallel(rank, reduce.size(), reduce);
            List<double[]> epochs = new ArrayList<>();
            if (resumed != null) {
                epochs.addAll(decodeEpochs(resumed.metadata().get(EPOCHS_KEY)));
                replica.trainer.restore(resumed, replica.feed);
            }
            boolean writes = rank == 0 && plan.checkpoint() != null;
            if (writes) {
                replica.trainer.checkpoints(Path.of(plan.checkpoint()), plan.checkpointEvery(), Map.of(EPOCHS_KEY, encodeEpochs(epochs), RUN_KEY, runId));
            }
            replica.trainer.addListener(new TrainingListener() {
                @Override
                public void onStep(StepMetrics step) {
                    FaultInjection.check(rank, step.step(), attempt);
                }

                @Override
                public void onEpochEnd(EpochMetrics metrics) {
                    epochs.add(WorkerReport.encode(metrics));
                    if (progress != null) {
                        progress.send(epochs.getLast());
                    }
                    if (writes) {
                        // The epoch-end checkpoint, written next, carries this epoch's metrics too.
                        replica.trainer.checkpoints(Path.of(plan.checkpoint()), plan.checkpointEvery(),
                                Map.of(EPOCHS_KEY, encodeEpochs(epochs), RUN_KEY, runId));
                    }
                }
            });
            replica.trainer.fit(replica.feed, data.test(), plan.epochs());
            if (rank != 0) {
                return List.of();
            }
            if (plan.save() != null) {
                ModelFile.save(Path.of(plan.save()), replica.model, Map.of("cnn4j.spark.workers", Integer.toString(reduce.size())));
            }
            Map<String, float[]> parameters = new LinkedHashMap<>();
            replica.model.namedParameters().forEach((name, t) -> parameters.put(name, t.data().clone()));
            return List.of(new WorkerReport(epochs, replica.trainer.steps(), reduce.meanSumSeconds(), parameters));
        }
    }

    /** A worker's part of the training set, in its order, and the test set when it evaluates (rank 0). */
    private record Shard(ShardedOrder order, Dataset train, Dataset test) {
    }

    /**
     * Loads the named data set, checks that every worker found the same, and keeps only this worker's shard
     * of the training set (a copy: the whole set is garbage once this returns) and, on rank 0, the test set.
     */
    private Shard load(SocketAllReduce reduce) throws IOException {
        DataSplit split = Datasets.resolve(dataSpec, DataOptions.DEFAULT);
        Dataset whole = split.train();
        requireSameData(reduce, whole, dataSpec);
        ShardedOrder order = plan.order(whole.size(), reduce.size());
        Dataset mine = whole.copyOf(order.shardItems(reduce.rank()), "shard " + reduce.rank() + " of " + reduce.size()
                + " of " + whole.description());
        return new Shard(order, mine, reduce.rank() == 0 ? split.test() : null);
    }

    /**
     * Every worker loads the named data set itself, from its own machine: one that found other files than
     * rank 0 (another version, a missing download and the embedded fallback) would train on other images
     * under the same indices, so the runs are compared before the first step.
     */
    static void requireSameData(SocketAllReduce reduce, Dataset train, String dataSpec) {
        CRC32 crc = new CRC32();
        for (int label : train.labels()) {
            crc.update(label);
        }
        String mine = train.size() + " images of " + train.imageShape() + " in " + train.numClasses() + " classes, labels' CRC "
                + Long.toHexString(crc.getValue());
        byte[][] all = reduce.allGather(mine.getBytes(StandardCharsets.UTF_8));
        for (int r = 0; r < all.length; r++) {
            String theirs = new String(all[r], StandardCharsets.UTF_8);
            if (!theirs.equals(mine)) {
                throw new IllegalStateException("the workers loaded different training sets from '" + dataSpec + "': worker "
                        + reduce.rank() + " has " + mine + ", worker " + r + " " + theirs + "; every executor must read the same data");
            }
        }
    }

    static String encodeEpochs(List<double[]> epochs) {
        StringBuilder s = new StringBuilder();
        for (double[] e : epochs) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(e.length * Double.BYTES);
            b.asDoubleBuffer().put(e);
            s.append(s.isEmpty() ? "" : ",").append(Base64.getEncoder().encodeToString(b.array()));
        }
        return s.toString();
    }

    static List<double[]> decodeEpochs(String text) {
        List<double[]> out = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        for (String part : text.split(",")) {
            java.nio.DoubleBuffer b = java.nio.ByteBuffer.wrap(Base64.getDecoder().decode(part)).asDoubleBuffer();
            double[] e = new double[b.remaining()];
            b.get(e);
            out.add(e);
        }
        return out;
    }
}
