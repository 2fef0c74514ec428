package io.cnn4j.spark;

import io.cnn4j.io.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The spark-submit main class: cnn4j train's options, the driver's report and files, one-line errors. */
class SparkTrainCommandTest {
    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SparkTrain.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void trainsOnTwoWorkersAndWritesTheMetricsAndTheModel() throws Exception {
        Path metrics = tmp.resolve("metrics.jsonl");
        Path model = tmp.resolve("model.safetensors");
        Run r = run("train", "--master", "local[2]", "--model", "seed", "--batch-size", "32", "--max-steps", "3",
                "--epochs", "1", "--optimizer", "sgd", "--lr", "0.05", "--momentum", "0.9", "--metrics-out", metrics.toString(),
                "--save", model.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("training: seed on embedded, 2 worker(s), global batch 32, sgd lr 0.05, 1 epoch(s), seed 0"),
                r.out());
        assertTrue(r.out().matches("(?s).*epoch 1: 3 steps, train loss \\d\\.\\d{4} acc \\d\\.\\d{4}, test loss .*"), r.out());
        assertTrue(Files.readString(metrics).startsWith("{\"epoch\":1,\"steps\":3,"));
        assertTrue(r.out().matches("(?s).*done: 3 steps in \\d+\\.\\d s, \\d+\\.\\d\\d ms a step summing gradients, saved .*"), r.out());
        assertEquals("2", ModelFile.read(model).metadata().get("cnn4j.spark.workers"));
    }

    @Test
    void aFailedTaskIsReportedByWhatItThrew() {
        var e = new org.apache.spark.SparkException("Job aborted due to stage failure: Could not recover from a failed barrier"
                + " ResultStage. Most recent failure reason: Stage failed because barrier task ResultTask(0, 1) finished"
                + " unsuccessfully.\nio.cnn4j.spark.PeerFailedException: worker 0 (10.0.0.7:35713) closed its connection (its"
                + " process ended or failed)\n\tat io.cnn4j.spark.SocketAllReduce.receiveBytes(SocketAllReduce.java:280)\n");
        assertEquals("worker 0 (10.0.0.7:35713) closed its connection (its process ended or failed)",
                SparkTrainer.rootMessage(new IllegalStateException(e)));
        assertEquals("not Spark's", SparkTrainer.rootMessage(new IllegalArgumentException("not Spark's\nsecond line")));
    }

    @Test
    void aBadOptionIsOneLine() {
        Run r = run("train", "--master", "local[1]", "--model", "vgg");
        assertEquals(1, r.code());
        assertEquals("cnn4j-spark train: error: --model: unknown model 'vgg'; built-in models: " + io.cnn4j.models.Models.names(),
                r.err().strip());
        assertTrue(io.cnn4j.models.Models.names().containsAll(java.util.List.of("seed", "lenet5", "small", "bn", "resnet")));
        r = run("train", "--master", "local[1]", "--optimizer", "rmsprop");
        assertEquals("cnn4j-spark train: error: the optimizer on Spark must be sgd or adam, got 'rmsprop'", r.err().strip());
    }
}
