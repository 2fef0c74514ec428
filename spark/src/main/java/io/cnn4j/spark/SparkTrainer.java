package io.cnn4j.spark;

import io.cnn4j.tensor.Shape;
import io.cnn4j.train.EpochMetrics;
import org.apache.spark.HashPartitioner;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;
import scala.reflect.ClassTag$;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Trains a cnn4j model on a Spark cluster by synchronous data parallelism: one barrier stage of N tasks
 * (one per executor; each uses its task's CPUs through cnn4j's own threads), which exchange addresses once
 * through the driver and then sum gradients over direct sockets ({@link SocketAllReduce}). Worker {@code r}
 * holds shard {@code r} of the training set alone (image {@code i} of the data set belongs to shard {@code
 * i mod N}, {@link io.cnn4j.data.ShardedOrder}). Every step, worker {@code r} computes the gradient of
 * micro-batch {@code r} of the global batch, drawn from its shard, the sum reaches every worker, and each
 * applies the same optimizer step: the weights equal, bit for bit, those of one process running {@code
 * cnn4j train --accumulate N --shard-order} on the same data set.
 *
 * <p>A failed worker fails its peers within the plan's timeout; Spark then retries the whole stage
 * ({@code spark.task.maxFailures}, {@code spark.stage.maxConsecutiveAttempts}), which resumes from rank
 * 0's last checkpoint and ends with the weights of a run that never failed.
 */
public final class SparkTrainer {
    private final SparkSession spark;
    private final TrainingPlan plan;
    private Consumer<EpochMetrics> onEpochEnd = m -> { };

    /**
     * What a run gave: every epoch's metrics (as rank 0 measured them), the steps taken, the mean seconds a
     * step spent summing gradients (rank 0's, waiting for the slowest worker included), the trained parameters.
     */
    public record Result(List<EpochMetrics> epochs, long steps, double allReduceSeconds, Map<String, float[]> parameters) {
    }

    public SparkTrainer(SparkSession spark, TrainingPlan plan) {
        this.spark = Objects.requireNonNull(spark, "spark");
        this.plan = Objects.requireNonNull(plan, "plan");
    }

    /**
     * Hands each epoch's metrics to {@code listener} on the driver as rank 0 ends the epoch, while training
     * goes on (on a thread of the driver's; after a retry, the epochs the new attempt runs).
     */
    public SparkTrainer onEpochEnd(Consumer<EpochMetrics> listener) {
        this.onEpochEnd = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * The workers a run uses: the plan's number; else in local mode one per core, on a cluster {@code
     * spark.executor.instances} when set (YARN, Kubernetes) or the executors registered so far.
     */
    public int workers() {
        if (plan.workers() > 0) {
            return plan.workers();
        }
        SparkContext sc = spark.sparkContext();
        if (sc.isLocal()) {
            return sc.defaultParallelism();
        }
        int instances = sc.getConf().getInt("spark.executor.instances", 0);
        int registered = sc.getExecutorMemoryStatus().size() - 1;
        if (instances > 0 || registered > 0) {
            return instances > 0 ? instances : registered;
        }
        throw new IllegalArgumentException("no executor has registered yet, so the number of workers is unknown: give it"
                + " (--workers N, or TrainingPlan.workers), one per executor");
    }

    /**
     * Trains on a data set every worker loads itself, as {@code cnn4j train --data} names it ({@code
     * embedded}, {@code fashion-mnist}, or a directory every executor can read), keeping only its shard of
     * the training set; rank 0 evaluates on the test set after each epoch.
     */
    public Result fit(String dataSpec) {
        int n = workers();
        List<Tuple2<Long, Row>> slots = IntStream.range(0, n).mapToObj(r -> new Tuple2<>((long) r, RowFactory.create())).toList();
        JavaPairRDD<Long, Row> rdd = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelizePairs(slots, n);
        return run(rdd.rdd(), Objects.requireNonNull(dataSpec, "dataSpec"), null, 0);
    }

    /**
     * Trains on {@code rows}: {@code imageColumn} holds each image as {@code C * H * W} unsigned bytes
     * ({@code imageShape}, row-major; binary, or an array of integers from 0 to 255), {@code labelColumn}
     * its class in {@code [0, classes)}. The rows are numbered in the data set's order (which a single
     * process's {@code collectAsList()} reproduces) and row {@code i} is sent to worker {@code i mod N},
     * which holds those rows alone. Bad rows, empty partitions, more workers than rows and shards too small
     * for their micro-batch are refused before training starts.
     */
    public Result fit(Dataset<Row> rows, String imageColumn, String labelColumn, Shape imageShape, int classes) {
        int n = workers();
        if (imageShape.rank() != 3) {
            throw new IllegalArgumentException("the image shape must be [C, H, W], got " + imageShape);
        }
        if (classes < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + classes);
        }
        JavaRDD<Row> selected = rows.select(imageColumn, labelColumn).toJavaRDD();
        RowLayout layout = new RowLayout(0, 1, imageShape.dim(0), imageShape.dim(1), imageShape.dim(2),
                IntStream.range(0, classes).mapToObj(Integer::toString).toList());
        long total = PartitionCheck.requireUsable(selected, layout, imageColumn, labelColumn);
        if (total < n) {
            throw new IllegalArgumentException("the data set has " + total + " row(s) for " + n + " workers, so some worker"
                    + " would have no data: give it at least " + n + " rows, or use fewer workers");
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the data set has " + total + " rows, more than the " + Integer.MAX_VALUE
                    + " a training set can have");
        }
        plan.order((int) total, n); // refuses, before any task starts, a shard too small for its micro-batch
        JavaPairRDD<Long, Row> dealt = selected.zipWithIndex().mapToPair(t -> new Tuple2<>(t._2(), t._1()))
                .partitionBy(new HashPartitioner(n));
        return run(dealt.rdd(), null, layout, (int) total);
    }

    private Result run(RDD<Tuple2<Long, Row>> data, String dataSpec, RowLayout layout, int rows) {
        List<WorkerReport> collected;
        try (EpochReports progress = EpochReports.listen(onEpochEnd)) {
            var driver = new EpochReports.Address(spark.sparkContext().getConf().get("spark.driver.host", "localhost"),
                    progress.port());
            Worker worker = new Worker(plan, dataSpec, layout, rows, driver, UUID.randomUUID().toString());
            RDD<WorkerReport> reports = data.barrier().mapPartitions(worker, false, ClassTag$.MODULE$.apply(WorkerReport.class));
            // Through a shuffle, so that the barrier stage is a map stage, which Spark retries when a task fails
            // (a failed barrier result stage is not retried).
            collected = reports.toJavaRDD().repartition(1).collect();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for the workers' progress: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("training on Spark failed: " + rootMessage(e), e);
        }
        WorkerReport report = collected.getFirst();
        List<EpochMetrics> epochs = new ArrayList<>();
        for (double[] e : report.epochs()) {
            epochs.add(WorkerReport.decode(e));
        }
        return new Result(List.copyOf(epochs), report.steps(), report.allReduceSeconds(), report.parameters());
    }

    /** A line of a task's stack trace as Spark quotes it: {@code io.cnn4j.spark.PeerFailedException: worker 2 ...}. */
    private static final Pattern THROWN = Pattern.compile("^(?:[\\w$]+\\.)+[\\w$]*(?:Exception|Error)(?:: (.*))?$");

    /**
     * What the failing task threw, in one line, without Spark's wrapping: Spark reports a task's failure as
     * text, its first line about the stage and then the task's exception and stack trace.
     */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.toString() : t.getMessage();
        if (t instanceof SparkException) {
            for (String line : message.lines().skip(1).toList()) {
                Matcher m = THROWN.matcher(line.strip());
                if (m.matches()) {
                    return m.group(1) != null ? m.group(1) : line.strip();
                }
            }
        }
        return message.lines().findFirst().orElse(message);
    }
}
