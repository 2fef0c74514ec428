package io.cnn4j.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.cnn4j.data.IdxFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** The commands on their happy paths: what they print and write. */
class CliCommandsTest {
    /** How a profile names the path a convolution pass took. */
    private static final String PATH = "(im2col|direct|winograd-f2|winograd-f4)";

    @TempDir
    Path tmp;

    @Test
    void everyCommandHasHelp() {
        for (String command : List.of("train", "eval", "predict", "summary")) {
            CliRun run = CliRun.of(command, "--help");
            assertEquals(0, run.exitCode(), run.toString());
            assertTrue(run.out().contains("Usage: cnn4j " + command), run.toString());
        }
        assertTrue(CliRun.of("train", "--help").out().contains("--metrics-out"));
    }

    @Test
    void trainSavesAModelThatEvalAndPredictUse() throws IOException {
        Path model = tmp.resolve("seed.safetensors");
        Path metrics = tmp.resolve("metrics.jsonl");
        CliRun train = CliRun.of("train", "--data", "embedded", "--max-steps", "30", "--save", model.toString(),
                "--metrics-out", metrics.toString(), "--threads", "2");
        assertEquals(0, train.exitCode(), train.toString());
        assertTrue(train.out().contains("embedded subset"), "must say which data it used:\n" + train);
        assertTrue(train.out().contains("epoch 1/2"), train.toString());
        List<String> lines = Files.readAllLines(metrics);
        assertEquals(1, lines.size(), "max-steps 30 stops inside the first epoch: " + lines);
        for (String key : List.of("\"epoch\":1", "\"train_loss\":", "\"train_accuracy\":", "\"test_loss\":",
                "\"test_accuracy\":", "\"seconds\":", "\"images_per_second\":")) {
            assertTrue(lines.get(0).contains(key), key + " missing from " + lines.get(0));
        }

        CliRun eval = CliRun.of("eval", "--model-file", model.toString(), "--data", "embedded");
        assertEquals(0, eval.exitCode(), eval.toString());
        assertTrue(eval.out().contains("accuracy"), eval.toString());
        assertTrue(eval.out().contains("Ankle boot"), "per-class table expected:\n" + eval);
        assertTrue(eval.out().contains("per class:         accuracy precision      F1  images\n   0 T-shirt/top  "),
                eval.toString());
        CliRun table = CliRun.of("eval", "--model-file", model.toString(), "--data", "embedded", "--confusion");
        assertEquals(0, table.exitCode(), table.toString());
        assertTrue(table.out().contains("confusion matrix (rows: true class; columns: predicted class, by index):\n"
                + "                  0   1   2   3   4   5   6   7   8   9\n  0 T-shirt/top "), table.toString());
        CliRun json = CliRun.of("eval", "--model-file", model.toString(), "--data", "embedded", "--json");
        assertEquals(0, json.exitCode(), json.toString());
        JsonObject object = JsonParser.parseString(json.out()).getAsJsonObject();
        JsonArray rows = object.getAsJsonArray("confusion");
        assertEquals(10, rows.size());
        int counted = 0;
        int correct = 0;
        for (int t = 0; t < rows.size(); t++) {
            for (int p = 0; p < 10; p++) {
                int n = rows.get(t).getAsJsonArray().get(p).getAsInt();
                counted += n;
                correct += t == p ? n : 0;
            }
        }
        assertEquals(object.get("images").getAsInt(), counted);
        assertEquals(object.get("accuracy").getAsDouble(), (double) correct / counted, 1e-12);
        assertEquals("Ankle boot", object.getAsJsonArray("classes").get(9).getAsString());
        // Class 0's precision: of the images predicted as 0 (column 0), the share that are 0.
        int column = 0;
        for (int t = 0; t < rows.size(); t++) {
            column += rows.get(t).getAsJsonArray().get(0).getAsInt();
        }
        assertEquals((double) rows.get(0).getAsJsonArray().get(0).getAsInt() / column,
                object.getAsJsonArray("per_class_precision").get(0).getAsDouble(), 1e-12);
        assertEquals(10, object.getAsJsonArray("per_class_f1").size());
        assertTrue(json.err().contains("data: "), "the data line goes to stderr:\n" + json);
        CliRun shifted = CliRun.of("eval", "--model-file", model.toString(), "--data", "embedded", "--tta-shift", "1");
        assertEquals(0, shifted.exitCode(), shifted.toString());
        assertTrue(shifted.out().contains("test-time augmentation: 9 views"), shifted.toString());

        Path images = tmp.resolve("one.idx");
        byte[] pixels = new byte[28 * 28];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) ((i % 28 > 8 && i % 28 < 20) ? 200 : 0);
        }
        IdxFile.of("one", pixels, 1, 28, 28).write(images, false);
        CliRun predict = CliRun.of("predict", "--model-file", model.toString(), images.toString(), "--json");
        assertEquals(0, predict.exitCode(), predict.toString());
        assertTrue(predict.out().startsWith("{\"image\":"), predict.toString());
        assertTrue(predict.out().contains("\"probabilities\""), predict.toString());
        CliRun averaged = CliRun.of("predict", "--model-file", model.toString(), images.toString(), "--json", "--tta-shift", "1");
        assertEquals(0, averaged.exitCode(), averaged.toString());
        assertTrue(averaged.out().contains("\"probabilities\""), averaged.toString());
        assertNotEquals(predict.out(), averaged.out(), "nine views must move the probabilities of a striped image");

        CliRun summary = CliRun.of("summary", "--model-file", model.toString());
        assertEquals(0, summary.exitCode(), summary.toString());
        assertTrue(summary.out().contains("Total params: 46,922"), summary.toString());
    }

    @Test
    void summaryOfBuiltInModelsCountsParametersLikePyTorch() {
        assertTrue(CliRun.of("summary", "--model", "seed").out().contains("Total params: 46,922"));
        assertTrue(CliRun.of("summary", "--model", "lenet5").out().contains("Total params: 61,706"));
        CliRun small = CliRun.of("summary", "--model", "small");
        assertTrue(small.out().contains("Total params: 421,642"), small.toString());
        assertTrue(small.out().contains("[N, 64, 7, 7]"), small.toString());
    }

    @Test
    void benchGemmPrintsItsGflopsAsJson() {
        CliRun run = CliRun.of("bench", "--gemm", "48x32x16", "--threads", "1");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().startsWith("{\"gemm\":\"48x32x16\",\"threads\":1,"), run.toString());
        assertTrue(run.out().matches("(?s).*\"best_gflops\":[0-9.]+,\"median_gflops\":[0-9.]+,.*"), run.toString());
        // The roofline, measured in the same run: a machine's FMA peak is far above this tiny multiply's speed.
        double peak = Double.parseDouble(run.out().replaceAll("(?s).*\"fma_peak_gflops\":([0-9.]+),.*", "$1"));
        double fraction = Double.parseDouble(run.out().replaceAll("(?s).*\"best_fraction_of_peak\":([0-9.]+),.*", "$1"));
        assertTrue(peak > 1 && fraction > 0 && fraction < 1, run.toString());
        assertTrue(run.out().matches("(?s).*\"cpu\":\"[^\"]+, [0-9]+ CPUs\".*"), run.toString());
        assertTrue(run.out().matches("(?s).*\"tile\":\"[0-9]+x[0-9]v kc1024 mc264\".*"), run.toString());
    }

    @Test
    void benchLayerTimesOneDescribedLayerForwardAndTraining() {
        CliRun run = CliRun.of("bench", "--layer", "{\"type\":\"Conv3d\",\"args\":{\"in_channels\":2,\"out_channels\":4,"
                + "\"kernel_size\":3,\"padding\":1}}", "--input", "2,2,4,6,6", "--threads", "1", "--seconds", "0.05");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().startsWith("{\"layer\":\"Conv3d(2, 4, kernel_size=3, padding=1)\",\"input\":[2,2,4,6,6],"
                + "\"output\":[2,4,4,6,6],\"threads\":1,"), run.toString());
        assertTrue(run.out().matches("(?s).*\"forward_ms_median\":[0-9.]+,.*\"train_ms_median\":[0-9.]+,.*"
                + "\"train_kernels_ms\":\\{.*\"conv3dBackwardWeight 2x4x6x6->4 k3x3x3 (vol2col|frames)\":[0-9.]+.*"), run.toString());
        CliRun noShape = CliRun.of("bench", "--layer", "{\"type\":\"ReLU\"}");
        assertEquals("cnn4j bench: error: --layer needs --input, the input's shape (N,C,...), e.g. 32,64,1024", noShape.err().strip());
        CliRun wrongRank = CliRun.of("bench", "--layer", "{\"type\":\"Conv1d\",\"args\":{\"in_channels\":3,\"out_channels\":8,"
                + "\"kernel_size\":3}}", "--input", "2,3,4,5");
        assertEquals("cnn4j bench: error: Conv1d(3, 8, kernel_size=3) expects input [N, 3, L], got [2, 3, 4, 5]", wrongRank.err().strip());
    }

    @Test
    void benchGemmAgainstOpenBlasAlternatesTheTwoAndChecksTheirProducts() {
        CliRun run = CliRun.of("bench", "--gemm", "48x32x16", "--threads", "1", "--openblas");
        assumeFalse(run.exitCode() != 0 && run.err().contains("cannot load"), "no OpenBLAS on this machine");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().matches("(?s)\\{\"gemm\":\"48x32x16\",\"threads\":1,\"pairs\":[0-9]+,\"best_gflops\":[0-9.]+,"
                + "\"median_gflops\":[0-9.]+,\"openblas_best_gflops\":[0-9.]+,\"openblas_median_gflops\":[0-9.]+,"
                + "\"median_ratio\":[0-9.]+,\"max_abs_difference\":([0-9.e-]+),.*"), run.toString());
        String difference = run.out().replaceAll("(?s).*\"max_abs_difference\":([0-9.e-]+),.*", "$1");
        assertTrue(Double.parseDouble(difference) < 1e-4, run.toString());
    }

    @Test
    void benchProfileSplitsAStepByKernel() {
        CliRun run = CliRun.of("bench", "--model", "seed", "--data", "embedded", "--warmup-steps", "2", "--profile", "3",
                "--json", "--threads", "1");
        assertEquals(0, run.exitCode(), run.toString());
        String[] lines = run.out().strip().split("\n");
        assertEquals(2, lines.length, run.toString());
        assertTrue(lines[0].startsWith("{\"model\":\"seed\","), run.toString());
        String profile = lines[1];
        assertTrue(profile.startsWith("{\"model\":\"seed\",\"profile_steps\":3,\"train_step\":{\"ms\":"), profile);
        // The seed's one convolution, by shape and path, in both the training step (with its backward) and inference.
        assertTrue(profile.matches("(?s).*\"train_step\":\\{.*\"conv2dBackwardWeight 1x28x28->32 k5 " + PATH + "\":[0-9.]+.*"
                + "\"infer_batch\".*"), profile);
        assertTrue(profile.matches("(?s).*\"infer_batch\":\\{\"ms\":[0-9.]+,\"outside_kernels_ms\":-?[0-9.]+,"
                + "\"kernels_ms\":\\{.*\"conv2d 1x28x28->32 k5 " + PATH + "\":[0-9.]+.*"), profile);
    }

    /** A profile asked for more steps than an epoch has stops at the epoch's end and counts the steps it took. */
    @Test
    void benchProfileOfMoreStepsThanAnEpochCountsTheStepsTaken() {
        // The embedded subset: 10,000 training images, 157 batches of 64.
        CliRun run = CliRun.of("bench", "--model", "seed", "--data", "embedded", "--warmup-steps", "2", "--profile", "100000",
                "--json", "--threads", "1");
        assertEquals(0, run.exitCode(), run.toString());
        String profile = run.out().strip().split("\n")[1];
        assertTrue(profile.startsWith("{\"model\":\"seed\",\"profile_steps\":157,\"train_step\":{\"ms\":"), profile);
    }

    /** The kernels measure each convolution pass in the tuning file bench names, and the profile shows the path kept. */
    @Test
    void benchNamesItsTuningFileAndProfilesThePathsItKept() throws IOException {
        Path dir = tmp.resolve("tuning");
        System.setProperty("cnn4j.tuning.dir", dir.toString());
        CliRun run;
        try {
            run = CliRun.of("bench", "--model", "seed", "--data", "embedded", "--warmup-steps", "2", "--profile", "2",
                    "--threads", "1");
        } finally {
            System.clearProperty("cnn4j.tuning.dir");
        }
        assertEquals(0, run.exitCode(), run.toString());
        Path file = dir.resolve(io.cnn4j.kernel.TuningCache.processorKey() + ".properties").toAbsolutePath();
        assertTrue(run.out().contains("; tuning: " + file + "\n"), run.toString());
        assertTrue(run.out().contains(",\"tuning\":\"" + file + "\"}"), run.toString());
        String kept = Files.readString(file);
        String forward = kept.replaceAll("(?s).*conv[0-9]*\\.2d\\.forward\\.b64\\.in1x28x28\\.out32x24x24\\.k5x5[^=]*=([a-z0-9-]+).*", "$1");
        assertTrue(forward.matches(PATH), kept);
        assertTrue(run.out().contains("\"conv2d 1x28x28->32 k5 " + forward + "\":"), run.toString());
    }
}
