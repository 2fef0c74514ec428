package io.cnn4j.cli;

import io.cnn4j.io.ModelFile;
import io.cnn4j.io.SafeTensors;
import io.cnn4j.models.Models;
import io.cnn4j.nn.Module;
import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input gets one clear paragraph and a non-zero exit, never a stack trace: each test pins what the
 * message must name.
 */
class CliErrorsTest {

    @TempDir
    Path tmp;

    static void assertFailsWith(CliRun run, String... fragments) {
        assertEquals(1, run.exitCode(), run.toString());
        assertFalse(run.err().contains("\tat "), "no stack trace expected:\n" + run);
        for (String f : fragments) {
            assertTrue(run.err().contains(f), "expected the error to mention '" + f + "':\n" + run);
        }
    }

    @Test
    void missingDataDirectoryIsNamed() {
        Path dir = tmp.resolve("no-such-dir");
        assertFailsWith(CliRun.of("train", "--data", dir.toString(), "--max-steps", "1"), dir.toString());
    }

    @Test
    void missingDataFileIsListed() throws IOException {
        Path dir = TinyData.write(tmp.resolve("data"), 16, 8);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        assertFailsWith(CliRun.of("train", "--data", dir.toString(), "--max-steps", "1"), "t10k-labels-idx1-ubyte");
    }

    @Test
    void truncatedDataFileNamesTheFile() throws IOException {
        Path dir = tmp.resolve("data");
        Files.createDirectories(dir);
        TinyData.writeSplit(dir, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", 8, 8);
        TinyData.writeSplit(dir, "train-images-idx3-ubyte", "train-labels-idx1-ubyte", 16, 16);
        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        byte[] raw = io.cnn4j.data.IdxFile.read(images).data();
        Files.delete(images);
        byte[] header = {0, 0, 8, 3, 0, 0, 0, 16, 0, 0, 0, 28, 0, 0, 0, 28};
        byte[] cut = new byte[header.length + raw.length / 2];
        System.arraycopy(header, 0, cut, 0, header.length);
        System.arraycopy(raw, 0, cut, header.length, raw.length / 2);
        Files.write(dir.resolve("train-images-idx3-ubyte"), cut);
        assertFailsWith(CliRun.of("train", "--data", dir.toString(), "--max-steps", "1"), "train-images-idx3-ubyte", "truncated");
    }

    @Test
    void labelsThatDoNotMatchTheImagesAreCounted() throws IOException {
        Path dir = tmp.resolve("data");
        Files.createDirectories(dir);
        TinyData.writeSplit(dir, "train-images-idx3-ubyte", "train-labels-idx1-ubyte", 16, 15);
        TinyData.writeSplit(dir, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", 8, 8);
        assertFailsWith(CliRun.of("train", "--data", dir.toString(), "--max-steps", "1"), "16", "15", "train-labels-idx1-ubyte");
    }

    @Test
    void initFileThatDoesNotFitNamesTheTensorAndBothShapes() throws IOException {
        Module lenet = Models.create("lenet5");
        Map<String, Tensor> state = new LinkedHashMap<>(Models.create("seed").stateDict());
        state.put("4.weight", Tensor.zeros(10, 3136));
        Path file = tmp.resolve("wrong.safetensors");
        SafeTensors.write(file, state);
        assertFailsWith(CliRun.of("train", "--data", "embedded", "--init", file.toString(), "--max-steps", "1"),
                "4.weight", "[10, 3136]", "[10, 4608]", file.toString());
        assertTrue(lenet.parameterCount() > 0);
    }

    @Test
    void inputOfTheWrongShapeNamesTheLayer() {
        assertFailsWith(CliRun.of("summary", "--model", "seed", "--input-shape", "1,32,32"),
                "layer 4", "Linear(4608, 10)", "[1, 6272]");
        assertFailsWith(CliRun.of("summary", "--model", "seed", "--input-shape", "3,28,28"),
                "layer 0", "Conv2d(1, 32, kernel_size=5)", "[1, 3, 28, 28]");
    }

    /** The loss of step 5 overflows: the weights of step 4 gave it, so those of step 3 are the last good ones. */
    @Test
    void divergedTrainingStopsAtTheStepAndKeepsTheLastGoodWeights() throws IOException {
        Path saved = tmp.resolve("last-good.safetensors");
        CliRun run = CliRun.of("train", "--data", "embedded", "--model", "small", "--optimizer", "sgd", "--momentum", "0.9",
                "--lr", "1e4", "--max-steps", "50", "--save", saved.toString());
        assertFailsWith(run, "the loss became Infinity at step 5 (epoch 1)",
                "The weights of step 3, the last good ones, are saved in " + saved);
        assertEquals("3", ModelFile.read(saved).metadata().get("cnn4j.trained_steps"));
        for (Tensor t : ModelFile.load(saved).stateDict().values()) {
            for (float v : t.data()) {
                assertTrue(Float.isFinite(v), "saved weights must be the last finite ones");
            }
        }
    }

    @Test
    void unknownModelAndOptimizerAreUsageErrorsWithTheChoices() {
        assertFailsWith(CliRun.of("train", "--model", "resnet9000", "--max-steps", "1"), "resnet9000", "seed", "lenet5", "small");
        assertFailsWith(CliRun.of("train", "--data", "embedded", "--optimizer", "lbfgs", "--max-steps", "1"),
                "--optimizer must be sgd, adam, adamw, rmsprop or adagrad, got 'lbfgs'");
    }

    @Test
    void anOptimizerSettingTheChosenOptimizerLacksIsRefusedNotIgnored() {
        assertFailsWith(CliRun.of("train", "--data", "embedded", "--optimizer", "sgd", "--betas", "0.8,0.99", "--max-steps", "1"),
                "--betas applies to --optimizer adam or adamw, not sgd");
        assertFailsWith(CliRun.of("train", "--data", "embedded", "--centered", "--max-steps", "1"),
                "--centered applies to --optimizer rmsprop, not adam");
        assertFailsWith(CliRun.of("train", "--data", "embedded", "--optimizer", "adagrad", "--momentum", "0.9", "--max-steps", "1"),
                "--momentum applies to --optimizer sgd or rmsprop, not adagrad");
        assertFailsWith(CliRun.of("train", "--data", "embedded", "--betas", "0.9", "--max-steps", "1"),
                "--betas takes two numbers, B1,B2 (such as 0.9,0.999), got 1");
        assertFailsWith(CliRun.of("train", "--data", "embedded", "--optimizer", "adagrad", "--schedule", "onecycle",
                "--cycle-momentum", "--max-steps", "1"), "--cycle-momentum moves the optimizer's momentum, and adagrad has none");
    }

    @Test
    void malformedGemmSizeShowsTheFormExpected() {
        assertFailsWith(CliRun.of("bench", "--gemm", "64x64"), "64x64", "MxKxN");
        assertFailsWith(CliRun.of("bench", "--gemm", "0"), "0x0x0", ">= 1");
    }

    @Test
    void openBlasComparisonNeedsTheGemmAndALoadableLibrary() {
        assertFailsWith(CliRun.of("bench", "--openblas"), "--openblas", "only with --gemm");
        assertFailsWith(CliRun.of("bench", "--gemm", "8", "--openblas", tmp.resolve("libnone.so").toString()),
                "--openblas", "cannot load", "libnone.so");
    }

    @Test
    void negativeTestTimeShiftIsNamed() {
        assertFailsWith(CliRun.of("train", "--data", "embedded", "--tta-shift", "-1"), "--tta-shift", "got -1");
    }

    @Test
    void predictAndEvalRefuseCountsBelowOne() throws IOException {
        Path model = tmp.resolve("m.safetensors");
        ModelFile.save(model, Models.create("seed"));
        assertFailsWith(CliRun.of("predict", "--model-file", model.toString(), "--top", "0", "x.png"), "--top-k must be >= 1, got 0");
        assertFailsWith(CliRun.of("eval", "--model-file", model.toString(), "--batch-size", "0"), "--batch-size must be >= 1, got 0");
    }

    @Test
    void aLabelsFileGivenToPredictIsCalledOneAndTheImagesBesideItAreNamed() throws IOException {
        Path model = tmp.resolve("m.safetensors");
        ModelFile.save(model, Models.create("seed"));
        Path data = TinyData.write(tmp.resolve("data"), 4, 12);
        Path labels = data.resolve("t10k-labels-idx1-ubyte.gz");
        Path images = data.resolve("t10k-images-idx3-ubyte.gz");
        // The whole file and one item of it get the same account, where they once contradicted each other.
        for (String item : new String[]{"", "#3"}) {
            CliRun run = CliRun.of("predict", "--model-file", model.toString(), labels + item);
            assertFailsWith(run, labels + " is an IDX labels file (one number per image), not images; the images are"
                    + " probably in " + images + ": name one as " + images + (item.isEmpty() ? "#INDEX" : item));
            assertFalse(run.err().contains("10000 images") || run.err().contains("IDX dimensions"), run.toString());
        }
        Path alone = Files.copy(labels, tmp.resolve("classes.idx.gz"));
        assertFailsWith(CliRun.of("predict", "--model-file", model.toString(), alone.toString()), alone
                + " is an IDX labels file (one number per image), not images; give a picture, or an IDX file of images and #INDEX");
        CliRun named = CliRun.of("predict", "--model-file", model.toString(), images + "#3");
        assertEquals(0, named.exitCode(), named.toString());
    }

    @Test
    void weightsWithoutAnArchitectureAreLoadedByTheCommandsTheErrorNames() throws IOException {
        // predict and eval once advised '--model NAME --init FILE', which neither of them takes: each command the
        // advice names is run here as written, NAME and CxHxW filled in.
        Path weights = tmp.resolve("exported.safetensors");
        SafeTensors.write(weights, Models.create("seed").stateDict(), Map.of("format", "pt"));
        String advice = "give the architecture they are for with --model NAME or --model-config FILE beside --model-file, or"
                + " make a complete model file of them once with 'cnn4j import " + weights + " --model NAME --input CxHxW"
                + " --output model.safetensors'";
        Path images = TinyData.write(tmp.resolve("data"), 4, 4).resolve("t10k-images-idx3-ubyte.gz");
        for (String command : List.of("predict", "explain", "eval", "summary")) {
            List<String> args = new ArrayList<>(List.of(command, "--model-file", weights.toString()));
            args.addAll(switch (command) {
                case "predict" -> List.of(images + "#0");
                case "explain" -> List.of("--output", tmp.resolve("cams").toString(), images + "#0");
                case "eval" -> List.of("--data", "embedded");
                default -> List.of();
            });
            assertFailsWith(CliRun.of(args.toArray(String[]::new)), advice);
            args.addAll(command.equals("eval") ? List.of("--model", "seed") : List.of("--model", "seed", "--input", "1x28x28"));
            CliRun advised = CliRun.of(args.toArray(String[]::new));
            assertEquals(0, advised.exitCode(), advised.toString());
        }
        Path model = tmp.resolve("model.safetensors");
        CliRun imported = CliRun.of("import", weights.toString(), "--model", "seed", "--input", "1x28x28", "--output",
                model.toString());
        assertEquals(0, imported.exitCode(), imported.toString());
        CliRun eval = CliRun.of("eval", "--model-file", model.toString(), "--data", "embedded");
        assertEquals(0, eval.exitCode(), eval.toString());
        CliRun train = CliRun.of("train", "--model", "seed", "--init", weights.toString(), "--data", "embedded", "--max-steps", "1");
        assertEquals(0, train.exitCode(), train.toString());
    }

    @Test
    void runningOutOfMemoryIsOneSentenceThatSaysWhatToDo() {
        String text = ErrorReporter.describe(new Main.OutOfMemory(new OutOfMemoryError("Java heap space")));
        assertTrue(text.startsWith("out of memory (the JVM may use at most "), text);
        assertTrue(text.endsWith("); give it more with CNN4J_JAVA_OPTS=-Xmx8g, or use a smaller --batch-size or model"), text);
    }

    @Test
    void unknownOptionIsAUsageError() {
        CliRun run = CliRun.of("train", "--epoch", "3");
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("--epoch"), run.toString());
    }

    @Test
    void modelFileThatIsNotSafetensorsIsReported() throws IOException {
        Path bogus = tmp.resolve("model.safetensors");
        try (RandomAccessFile f = new RandomAccessFile(bogus.toFile(), "rw")) {
            f.write("PK\u0003\u0004 this is a zip".getBytes());
        }
        assertFailsWith(CliRun.of("eval", "--model-file", bogus.toString(), "--data", "embedded"), bogus.toString());
    }
}
