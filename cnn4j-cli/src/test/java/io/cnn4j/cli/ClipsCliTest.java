package io.cnn4j.cli;

import io.cnn4j.data.InputSpec;
import io.cnn4j.data.MovingFashion;
import io.cnn4j.io.ModelFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** clips, then train, eval and predict on the clips it wrote, and the commands that refuse clips. */
class ClipsCliTest {
    /** A linear classifier of 1x4x16x16 clips: enough to carry a clip model through every command. */
    private static final String LINEAR = """
            {"type": "Sequential", "children": [
              {"type": "Flatten"},
              {"type": "Linear", "args": {"in_features": 1024, "out_features": 8}}
            ]}""";

    @TempDir
    static Path tmp;
    static Path clips;
    static Path model;

    @BeforeAll
    static void makeAndTrain() throws IOException {
        clips = tmp.resolve("clips");
        CliRun make = CliRun.of("clips", "--output", clips.toString(), "--data", "embedded", "--train-clips", "64",
                "--test-clips", "24", "--frames", "4", "--side", "16", "--format", "gif");
        assertEquals(0, make.exitCode(), make.toString());
        assertEquals("wrote 64 train and 24 test clips of 1x4x16x16 to " + clips + "/train and " + clips + "/test\n",
                make.out());
        Path config = Files.writeString(tmp.resolve("linear.json"), LINEAR);
        model = tmp.resolve("clips.safetensors");
        CliRun train = CliRun.of("train", "--data", "clips:" + clips, "--frames", "4", "--model-config", config.toString(),
                "--epochs", "1", "--batch-size", "16", "--save", model.toString(), "--threads", "1");
        assertEquals(0, train.exitCode(), train.toString());
        assertTrue(train.out().contains("data: clips (" + clips + ": 64 train, 24 test clips of [1, 4, 16, 16])"),
                train.toString());
    }

    @Test
    void aTrainedClipModelRecordsItsClipInput() throws IOException {
        Map<String, String> meta = ModelFile.read(model).metadata();
        assertEquals("1x4x16x16", meta.get(InputSpec.SHAPE_KEY));
        // the class folders' names, sorted, as for folders of pictures
        assertEquals(MovingFashion.DIRECTIONS.stream().sorted().toList(), InputSpec.fromMetadata(meta).classNames());
        assertEquals("color=gray size=16x16 resize=stretch", meta.get(InputSpec.PREPROCESSING_KEY));
    }

    @Test
    void evalReadsTheClipsWithTheModelsFrames() {
        CliRun eval = CliRun.of("eval", "--model-file", model.toString(), "--data", "clips:" + clips, "--threads", "1");
        assertEquals(0, eval.exitCode(), eval.toString());
        assertTrue(eval.out().contains("(24 images)"), eval.toString());
        CliRun fewer = CliRun.of("eval", "--model-file", model.toString(), "--data", "clips:" + clips, "--frames", "2",
                "--threads", "1");
        CliRun.assertFailure(fewer, model + " does not take the data's 1x2x16x16 clips: ");
    }

    @Test
    void predictClassifiesAGifAndAFrameFolder() throws IOException {
        Path gif;
        try (Stream<Path> files = Files.list(clips.resolve("test").resolve("E"))) {
            gif = files.sorted().findFirst().orElseThrow();
        }
        Path frames = Files.createDirectories(tmp.resolve("frames"));
        CliRun make = CliRun.of("clips", "--output", frames.toString(), "--data", "embedded", "--train-clips", "1",
                "--test-clips", "8", "--frames", "4", "--side", "16", "--format", "png");
        assertEquals(0, make.exitCode(), make.toString());
        Path folder;
        try (Stream<Path> files = Files.list(frames.resolve("train"))) {
            Path classDir = files.filter(d -> d.toFile().list().length > 0).findFirst().orElseThrow();
            folder = classDir.resolve("00000");
        }
        CliRun predict = CliRun.of("predict", "--model-file", model.toString(), gif.toString(), folder.toString());
        assertEquals(0, predict.exitCode(), predict.toString());
        assertEquals(2, predict.out().lines().count(), predict.toString());
        assertTrue(predict.out().startsWith(gif.toString()), predict.toString());
    }

    @Test
    void commandsThatDrawPicturesRefuseClips() throws IOException {
        CliRun.assertFailure(CliRun.of("report", "--model-file", model.toString(), "--data", "clips:" + clips,
                "--output", tmp.resolve("r.html").toString()), model + " takes clips (1x4x16x16), and a report draws"
                + " pictures: evaluate it with 'cnn4j eval'");
        CliRun.assertFailure(CliRun.of("explain", "--model-file", model.toString(), "--output",
                tmp.resolve("maps").toString(), clips.toString()), model
                + " takes clips (1x4x16x16), and explain draws maps over pictures: classify clips with 'cnn4j predict'");
        CliRun.assertFailure(CliRun.of("train", "--data", "clips:" + clips, "--frames", "4", "--model-config",
                tmp.resolve("linear.json").toString(), "--epochs", "1", "--report", tmp.resolve("t.html").toString()),
                "--report draws the test pictures and what the model sees in them; it does not take clips (clips ("
                        + clips + ": 64 train, 24 test clips of [1, 4, 16, 16]))");
        CliRun.assertFailure(CliRun.of("train", "--data", "clips:" + clips, "--frames", "9", "--model-config",
                tmp.resolve("linear.json").toString(), "--epochs", "1"), "has 4 frames, fewer than the 9 each clip gives;"
                + " give fewer --frames or a longer clip");
    }

    @Test
    void summaryShowsVideo3dForEightFramesOf32x32() {
        CliRun summary = CliRun.of("summary", "--model", "video3d");
        assertEquals(0, summary.exitCode(), summary.toString());
        assertTrue(summary.out().startsWith("Model: video3d    input: [N, 1, 8, 32, 32]\n"), summary.toString());
        assertTrue(summary.out().contains("MaxPool3d"), summary.toString());
        assertTrue(summary.out().contains("[N, 8]"), summary.toString());
        assertTrue(summary.out().contains("Total params: 70,184"), summary.toString());
        CliRun clips = CliRun.of("summary", "--model", "video3d", "--input", "3x16x64x48", "--classes", "5");
        assertTrue(clips.out().startsWith("Model: video3d    input: [N, 3, 16, 64, 48]\n"), clips.toString());
        CliRun.assertFailure(CliRun.of("summary", "--model", "video3d", "--input", "1x28x28"),
                "model 'video3d' is built for one clip's shape [C, T, H, W], got [1, 28, 28]");
    }

    @Test
    void makeClipsRefusesAFolderThatHoldsFiles() {
        CliRun.assertFailure(CliRun.of("clips", "--output", clips.toString()), "--output " + clips
                + " already holds files; give a new or empty folder");
    }
}
