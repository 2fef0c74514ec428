package io.cnn4j.spark;

import io.cnn4j.data.DataLoader;
import io.cnn4j.data.Dataset;
import io.cnn4j.data.Datasets;
import io.cnn4j.kernel.CpuKernels;
import io.cnn4j.tensor.Shape;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training on Spark in local mode, each worker holding only its shard, equals, bit for bit, one process
 * accumulating the same micro-batches in the sharded order;
 * a worker that fails mid-epoch is recovered from the last checkpoint to the same weights; bad rows are
 * refused in one sentence. One session serves every test (four task slots, a task may fail once).
 */
class SparkTrainerTest {
    private static SparkSession spark;
    private static Dataset images;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws IOException {
        spark = SparkSession.builder().master("local[4,2]").appName("cnn4j-spark-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        images = Datasets.embedded().train().subset(96);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static TrainingPlan plan(String optimizer, int workers) {
        return new TrainingPlan().model("lenet5").seed(3).batchSize(24).epochs(2).workers(workers).threads(1)
                .timeoutSeconds(30).optimizer(optimizer, optimizer.equals("sgd") ? 0.05 : 0.002, optimizer.equals("sgd") ? 0.9 : 0, 1e-4);
    }

    /** The rows of {@code data}: image bytes and label, in {@code partitions} partitions. */
    private static org.apache.spark.sql.Dataset<Row> rows(Dataset data, int partitions) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            float[] pixels = data.image(i).data();
            byte[] bytes = new byte[pixels.length];
            for (int p = 0; p < bytes.length; p++) {
                bytes[p] = (byte) Math.round(pixels[p] * 255);
            }
            rows.add(RowFactory.create(bytes, data.label(i)));
        }
        StructType schema = new StructType().add("image", DataTypes.BinaryType).add("label", DataTypes.IntegerType);
        return spark.createDataFrame(rows, schema).repartition(partitions);
    }

    /** One process accumulating {@code n} micro-batches in the sharded order, on the rows as the data set's order gives them. */
    private static Map<String, float[]> accumulated(TrainingPlan plan, Dataset data, int n) {
        try (CpuKernels kernels = new CpuKernels(1)) {
            Replica replica = new Replica(plan, DataLoader.sharded(data, plan.order(data.size(), n)), kernels);
            replica.trainer.accumulate(n).fit(replica.feed, null, plan.epochs());
            Map<String, float[]> out = new LinkedHashMap<>();
            replica.model.namedParameters().forEach((name, t) -> out.put(name, t.data().clone()));
            return out;
        }
    }

    /** The rows collected back, in the order Spark numbers them. */
    private static Dataset collected(org.apache.spark.sql.Dataset<Row> rows) {
        List<Row> all = rows.collectAsList();
        byte[] pixels = new byte[all.size() * 784];
        int[] labels = new int[all.size()];
        for (int i = 0; i < all.size(); i++) {
            System.arraycopy((byte[]) all.get(i).get(0), 0, pixels, i * 784, 784);
            labels[i] = all.get(i).getInt(1);
        }
        return Dataset.of(pixels, labels, 1, 28, 28, images.classNames(), "collected rows");
    }

    @Test
    void rowsTrainedByTwoAndFourWorkersEqualAccumulationBitForBit() {
        for (String optimizer : List.of("sgd", "adam")) {
            for (int n : new int[] {2, 4}) {
                var data = rows(images, 3);
                TrainingPlan plan = plan(optimizer, n);
                SparkTrainer.Result result = new SparkTrainer(spark, plan).fit(data, "image", "label", Shape.of(1, 28, 28), 10);
                assertEquals(8, result.steps());
                assertEquals(2, result.epochs().size());
                assertBitwiseEqual(accumulated(plan, collected(data), n), result.parameters(), optimizer + ", " + n + " workers");
            }
        }
    }

    @Test
    void aNamedDataSetOfWhichEachWorkerKeepsItsShardEqualsAccumulation() {
        TrainingPlan plan = plan("adam", 2).batchSize(32).maxSteps(5).epochs(1);
        SparkTrainer.Result result = new SparkTrainer(spark, plan).fit("embedded");
        assertEquals(5, result.steps());
        assertTrue(result.epochs().getFirst().testAccuracy() > 0, "rank 0 evaluates on the test set: " + result.epochs());
        try {
            assertBitwiseEqual(accumulated(plan, Datasets.embedded().train(), 2), result.parameters(), "embedded");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aFolderOfPicturesIsReadByEveryWorker() throws IOException {
        java.util.Random random = new java.util.Random(5);
        for (String label : List.of("dark", "light")) {
            Path dir = java.nio.file.Files.createDirectories(tmp.resolve("pictures").resolve(label));
            for (int i = 0; i < 10; i++) {
                var picture = new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
                for (int p = 0; p < 64; p++) {
                    picture.getRaster().setSample(p % 8, p / 8, 0, random.nextInt(100) + (label.equals("light") ? 150 : 0));
                }
                javax.imageio.ImageIO.write(picture, "png", dir.resolve(i + ".png").toFile());
            }
        }
        TrainingPlan plan = new TrainingPlan().model("seed").batchSize(8).epochs(3).workers(2).threads(1).optimizer("sgd", 0.1, 0.9, 0);
        SparkTrainer.Result result = new SparkTrainer(spark, plan).fit(tmp.resolve("pictures").toString());
        assertEquals(6, result.steps(), "16 training pictures (a fifth held out), batches of 8, 3 epochs");
        assertTrue(result.epochs().getLast().testLoss() < result.epochs().getFirst().testLoss(), "it learns: " + result.epochs());

        // The same pictures through Spark's binaryFile source: encoded, decoded by the workers.
        var files = spark.read().format("binaryFile").load(tmp.resolve("pictures") + "/*/*.png")
                .withColumn("label", org.apache.spark.sql.functions.when(
                        org.apache.spark.sql.functions.col("path").contains("/light/"), 1).otherwise(0));
        result = new SparkTrainer(spark, plan).fit(files, "content", "label", Shape.of(1, 8, 8), 2);
        assertEquals(6, result.steps(), "20 pictures, 10 a worker, micro-batches of 4: 2 whole steps an epoch, 3 epochs");
        assertTrue(result.epochs().getLast().trainLoss() < result.epochs().getFirst().trainLoss(), "it learns: " + result.epochs());
    }

    @Test
    void aWorkerThatFailsMidEpochIsRetriedFromTheCheckpointToTheSameWeights() {
        var data = rows(images, 2);
        TrainingPlan straight = plan("adam", 2).epochs(3);
        Map<String, float[]> expected = new SparkTrainer(spark, straight).fit(data, "image", "label", Shape.of(1, 28, 28), 10)
                .parameters();
        TrainingPlan failing = plan("adam", 2).epochs(3).checkpoint(tmp.resolve("run.ckpt").toString(), 2);
        FaultInjection.failAt(1, 7);
        try {
            long start = System.nanoTime();
            List<Integer> live = java.util.Collections.synchronizedList(new ArrayList<>());
            SparkTrainer.Result result = new SparkTrainer(spark, failing).onEpochEnd(m -> live.add(m.epoch()))
                    .fit(data, "image", "label", Shape.of(1, 28, 28), 10);
            assertTrue(FaultInjection.failed(), "worker 1 failed in the first attempt");
            assertEquals(12, result.steps());
            assertEquals(3, result.epochs().size(), "the epochs before the failure are still reported");
            assertEquals(List.of(1, 2, 3), live, "each epoch reached the driver once, as it ended");
            assertBitwiseEqual(expected, result.parameters(), "after a retry");
            assertTrue((System.nanoTime() - start) / 1e9 < 60, "no worker waited for its timeout");
        } finally {
            FaultInjection.clear();
        }

        // A failure before this run's first checkpoint starts afresh, not from an earlier run's file left there.
        new SparkTrainer(spark, plan("adam", 2).seed(4).epochs(1).checkpoint(failing.checkpoint(), 2))
                .fit(data, "image", "label", Shape.of(1, 28, 28), 10);
        FaultInjection.failAt(0, 1);
        try {
            SparkTrainer.Result result = new SparkTrainer(spark, failing).fit(data, "image", "label", Shape.of(1, 28, 28), 10);
            assertTrue(FaultInjection.failed(), "worker 0 failed in the first attempt");
            assertBitwiseEqual(expected, result.parameters(), "after a retry before the first checkpoint");
        } finally {
            FaultInjection.clear();
        }
    }

    @Test
    void unusableRowsAreRefusedInOneSentence() {
        var e = assertThrows(IllegalArgumentException.class, () -> new SparkTrainer(spark, plan("sgd", 2))
                .fit(rows(images.subset(3), 4), "image", "label", Shape.of(1, 28, 28), 10));
        assertTrue(e.getMessage().matches("partition \\d of the training rows' 4 is empty: remove the filter that emptied"
                + " it, or repartition the data set"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> new SparkTrainer(spark, plan("sgd", 4))
                .fit(rows(images.subset(3), 1), "image", "label", Shape.of(1, 28, 28), 10));
        assertEquals("the data set has 3 row(s) for 4 workers, so some worker would have no data: give it at least 4 rows,"
                + " or use fewer workers", e.getMessage());

        // 20 rows: 10 a worker, fewer than a worker's micro-batch of 12.
        e = assertThrows(IllegalArgumentException.class, () -> new SparkTrainer(spark, plan("sgd", 2))
                .fit(rows(images.subset(20), 2), "image", "label", Shape.of(1, 28, 28), 10));
        assertEquals("the 20 training images dealt to 2 shards give shard 0 10 image(s), fewer than its micro-batch of 12"
                + " (a batch of 24), so not one step: give it more images, or use a smaller batch", e.getMessage());

        // One partition's labels go beyond the classes the others (and the model) have.
        e = assertThrows(IllegalArgumentException.class, () -> new SparkTrainer(spark, plan("sgd", 2))
                .fit(rows(images.subset(20), 1).union(rows(images.subset(20), 1).selectExpr("image", "label + 10 AS label")),
                        "image", "label", Shape.of(1, 28, 28), 10));
        assertTrue(e.getMessage().matches("the training rows are not usable: partition \\d, row \\d+: label 1\\d is not one of"
                + " the 10 classes \\(0 to 9\\) \\(image column 'image', label column 'label'\\)"), e.getMessage());

        // An image as an array of integers, one of them no byte.
        StructType arrays = new StructType().add("image", DataTypes.createArrayType(DataTypes.IntegerType))
                .add("label", DataTypes.IntegerType);
        var pixels = new java.util.ArrayList<Integer>(java.util.Collections.nCopies(784, 7));
        var badPixels = new java.util.ArrayList<>(pixels);
        badPixels.set(5, 300);
        var arrayRows = spark.createDataFrame(List.of(RowFactory.create(pixels, 1), RowFactory.create(badPixels, 2)), arrays);
        e = assertThrows(IllegalArgumentException.class, () -> new SparkTrainer(spark, plan("sgd", 1))
                .fit(arrayRows.repartition(1), "image", "label", Shape.of(1, 28, 28), 10));
        assertEquals("the training rows are not usable: partition 0, row 1: pixel 5 is 300, outside 0 to 255 (image column"
                + " 'image', label column 'label')", e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> new SparkTrainer(spark, plan("sgd", 2))
                .fit(rows(images.subset(4), 2), "image", "label", Shape.of(1, 32, 32), 10));
        assertTrue(e.getMessage().endsWith("the image has 784 values, where [1, 32, 32] needs 1024 (image column 'image',"
                + " label column 'label')"), e.getMessage());
    }

    private static void assertBitwiseEqual(Map<String, float[]> expected, Map<String, float[]> actual, String what) {
        assertEquals(expected.keySet(), actual.keySet(), what);
        for (var e : expected.entrySet()) {
            float[] a = e.getValue();
            float[] b = actual.get(e.getKey());
            for (int i = 0; i < a.length; i++) {
                if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                    throw new AssertionError(what + ": parameter " + e.getKey() + " value " + i + ": " + a[i] + " vs " + b[i]);
                }
            }
        }
    }

}
