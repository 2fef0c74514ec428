package io.cnn4j.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.cnn4j.data.ColorMode;
import io.cnn4j.data.Dataset;
import io.cnn4j.data.ImageDecoder;
import io.cnn4j.data.InputSpec;
import io.cnn4j.data.Picture;
import io.cnn4j.data.Preprocessing;
import io.cnn4j.data.ResizeMode;
import io.cnn4j.io.ModelFile;
import io.cnn4j.tensor.Tensor;
import io.cnn4j.train.Predictor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Training, evaluating and predicting on a folder of 32x32 colour PNGs in three classes. */
class PictureFolderCliTest {
    private static final List<String> CLASSES = List.of("blue", "green", "red");
    private static final int[] COLOURS = {0x2020c0, 0x20c020, 0xc02020};

    @TempDir
    Path tmp;

    @Test
    void aFolderOfColourPicturesTrainsEvaluatesAndPredicts() throws IOException {
        Path data = tree(tmp.resolve("colours"), 8);
        Path model = tmp.resolve("colours.safetensors");
        Path cache = tmp.resolve("cache");
        CliRun train = CliRun.of("train", "--data", data.toString(), "--model", "seed", "--max-steps", "3", "--epochs", "1",
                "--batch-size", "4", "--test-split", "0.25", "--cache-dir", cache.toString(), "--save", model.toString(),
                "--threads", "1");
        assertEquals(0, train.exitCode(), train.toString());
        assertTrue(train.out().contains("model: seed, 21,251 parameters"), "seed built for 3x32x32 and 3 classes:\n" + train);
        Map<String, String> meta = ModelFile.read(model).metadata();
        assertEquals("3x32x32", meta.get(InputSpec.SHAPE_KEY));
        assertEquals("color=rgb size=32x32 resize=stretch", meta.get(InputSpec.PREPROCESSING_KEY));
        assertEquals(CLASSES, InputSpec.fromMetadata(meta).classNames());
        assertEquals("0.25", meta.get(DataChoice.TEST_SPLIT_KEY));

        CliRun eval = CliRun.of("eval", "--model-file", model.toString(), "--data", data.toString(), "--cache-dir",
                cache.toString(), "--threads", "1");
        assertEquals(0, eval.exitCode(), eval.toString());
        assertTrue(eval.out().contains("(6 images)"), "the recorded split holds out 2 of each class's 8:\n" + eval);
        assertTrue(eval.out().contains(" red "), eval.toString());

        Path csv = tmp.resolve("p.csv");
        Path jsonl = tmp.resolve("p.jsonl");
        Path red = data.resolve("red/07.png");
        for (Path out : List.of(csv, jsonl)) {
            CliRun predict = CliRun.of("predict", "--model-file", model.toString(), red.toString(), data.resolve("blue").toString(),
                    "--top-k", "2", "--output", out.toString(), "--threads", "1");
            assertEquals(0, predict.exitCode(), predict.toString());
        }
        List<String> rows = Files.readAllLines(csv);
        assertEquals(1 + 1 + 8, rows.size(), rows.toString());
        assertTrue(rows.get(1).startsWith(red + ","), rows.toString());
        assertTrue(rows.get(2).startsWith(data.resolve("blue/00.png") + ","), rows.toString());
        List<String> lines = Files.readAllLines(jsonl);
        assertEquals(9, lines.size());
        JsonObject first = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertEquals(red.toString(), first.get("path").getAsString());
        assertEquals(2, first.getAsJsonArray("top_k").size());
        assertEquals(rows.get(1).split(",")[1], first.get("class").getAsString());

        CliRun summary = CliRun.of("summary", "--model-file", model.toString());
        assertEquals(0, summary.exitCode(), summary.toString());
        assertTrue(summary.out().contains("input: [N, 3, 32, 32]"), summary.toString());
        assertTrue(summary.out().contains("Classes (3): blue, green, red"), summary.toString());
    }

    @Test
    void evalRefusesAFolderOfOtherClassesNamingBoth() throws IOException {
        Path model = tmp.resolve("m.safetensors");
        Path data = tree(tmp.resolve("colours"), 4);
        assertEquals(0, CliRun.of("train", "--data", data.toString(), "--max-steps", "1", "--epochs", "1", "--save",
                model.toString(), "--cache-dir", tmp.resolve("cache").toString(), "--threads", "1").exitCode());
        Path other = tmp.resolve("other");
        picture(other.resolve("cyan/0.png"), 0x20c0c0);
        picture(other.resolve("cyan/1.png"), 0x20c0c0);
        picture(other.resolve("magenta/0.png"), 0xc020c0);
        picture(other.resolve("magenta/1.png"), 0xc020c0);
        CliRun eval = CliRun.of("eval", "--model-file", model.toString(), "--data", other.toString(), "--cache-dir",
                tmp.resolve("cache").toString());
        assertEquals(1, eval.exitCode(), eval.toString());
        assertTrue(eval.err().contains(model + " tells apart the classes [blue, green, red], but the data's are [cyan,"
                + " magenta]: evaluate it on data of its own classes"), eval.toString());
        assertFalse(eval.err().contains("\tat "), eval.toString());
    }

    @Test
    void aDescribedModelThatDoesNotFitTheDataIsRefused() throws IOException {
        Path data = tree(tmp.resolve("colours"), 4);
        Path config = tmp.resolve("gray.json");
        assertEquals(0, CliRun.of("summary", "--model", "seed", "--write-config", config.toString()).exitCode());
        CliRun train = CliRun.of("train", "--data", data.toString(), "--model-config", config.toString(), "--max-steps", "1",
                "--cache-dir", tmp.resolve("cache").toString());
        assertEquals(1, train.exitCode(), train.toString());
        assertTrue(train.err().contains(config + " does not take the data's 3x32x32 images: "), train.toString());
    }

    @Test
    void grayAndResizedPicturesAreWhatTheModelRecords() throws IOException {
        Path data = tree(tmp.resolve("colours"), 4);
        Path model = tmp.resolve("gray.safetensors");
        CliRun train = CliRun.of("train", "--data", data.toString(), "--model", "small", "--color", "gray", "--image-size",
                "16x24", "--resize", "crop", "--max-steps", "1", "--epochs", "1", "--save", model.toString(), "--cache-dir",
                tmp.resolve("cache").toString(), "--threads", "1");
        assertEquals(0, train.exitCode(), train.toString());
        Map<String, String> meta = ModelFile.read(model).metadata();
        assertEquals("1x16x24", meta.get(InputSpec.SHAPE_KEY));
        assertEquals("color=gray size=16x24 resize=crop", meta.get(InputSpec.PREPROCESSING_KEY));
        CliRun predict = CliRun.of("predict", "--model-file", model.toString(), data.resolve("red/00.png").toString());
        assertEquals(0, predict.exitCode(), predict.toString());
    }

    @Test
    void unreadablePicturesAreRefusedOrSkippedAndListed() throws IOException {
        Path data = tree(tmp.resolve("colours"), 4);
        Path bad = data.resolve("red/zz-bad.png");
        Files.writeString(bad, "a text file named .png");
        CliRun refused = CliRun.of("train", "--data", data.toString(), "--max-steps", "1", "--cache-dir",
                tmp.resolve("cache").toString(), "--threads", "1");
        assertEquals(1, refused.exitCode(), refused.toString());
        assertTrue(refused.err().contains(bad.toString()), refused.toString());
        assertFalse(refused.err().contains("\tat "), refused.toString());

        CliRun skipped = CliRun.of("train", "--data", data.toString(), "--max-steps", "1", "--epochs", "1",
                "--skip-unreadable", "--cache-dir", tmp.resolve("cache").toString(), "--threads", "1");
        assertEquals(0, skipped.exitCode(), skipped.toString());
        assertTrue(skipped.out().contains("skipped 1 unreadable file(s):\n  "), skipped.toString());
        assertTrue(skipped.out().lines().anyMatch(l -> l.startsWith("  ") && l.contains(bad.toString())), skipped.toString());
    }

    @Test
    void howPicturesAreReadIsPartOfARunAndWhereTheCacheIsIsNot() throws IOException {
        Path data = tree(tmp.resolve("colours"), 4);
        Path checkpoint = tmp.resolve("run.ckpt");
        CliRun first = CliRun.of("train", "--data", data.toString(), "--image-size", "16", "--max-steps", "1", "--epochs", "1",
                "--checkpoint", checkpoint.toString(), "--cache-dir", tmp.resolve("cache").toString(), "--threads", "1");
        assertEquals(0, first.exitCode(), first.toString());
        CliRun changed = CliRun.of("train", "--resume", checkpoint.toString(), "--color", "gray");
        assertEquals(1, changed.exitCode(), changed.toString());
        assertTrue(changed.err().contains("--color cannot be changed with --resume"), changed.toString());
        CliRun moved = CliRun.of("train", "--resume", checkpoint.toString(), "--cache-dir", tmp.resolve("elsewhere").toString(),
                "--threads", "1");
        assertEquals(0, moved.exitCode(), moved.toString());
        assertTrue(moved.out().contains("1x16x16") || moved.out().contains("[3, 16, 16]"), "the saved --image-size holds:\n" + moved);
    }

    @Test
    void photosOfMixedSizesTrainCroppedAndPredictAppliesExactlyThatCrop() throws IOException {
        Path data = tmp.resolve("photos");
        for (int c = 0; c < CLASSES.size(); c++) {
            for (int i = 0; i < 4; i++) {
                jpeg(data.resolve(CLASSES.get(c)).resolve(i + ".jpg"), COLOURS[c], 30 + 7 * i, 26 + 5 * c);
            }
        }
        Path model = tmp.resolve("photos.safetensors");
        CliRun train = CliRun.of("train", "--data", data.toString(), "--image-size", "24", "--resize", "crop",
                "--normalize", "dataset", "--max-steps", "2", "--epochs", "1", "--save", model.toString(), "--cache-dir",
                tmp.resolve("cache").toString(), "--threads", "1");
        assertEquals(0, train.exitCode(), train.toString());

        Path photo = tmp.resolve("elsewhere.jpg");
        jpeg(photo, 0x8040c0, 53, 41);
        Predictor predictor = Predictor.load(model);
        Preprocessing crop = new Preprocessing(ColorMode.RGB, 24, 24, ResizeMode.CROP);
        assertEquals(crop, predictor.input().preprocessing());
        Picture decoded = ImageDecoder.read(photo, crop);
        Tensor expected = Dataset.of(decoded.pixels(), new int[] {0}, 3, 24, 24, CLASSES, "as trained").batch(0);
        predictor.input().normalize().apply(expected);
        assertArrayEquals(expected.data(), predictor.tensor(photo).data());
        CliRun predict = CliRun.of("predict", "--model-file", model.toString(), photo.toString());
        assertEquals(0, predict.exitCode(), predict.toString());
        assertTrue(predict.err().contains(photo + ": note: resized 53x41 to 24x24"), predict.toString());
    }

    /** {@code dir/<colour>/NN.png}: {@code perClass} 32x32 pictures of each colour, each a little different. */
    private static Path tree(Path dir, int perClass) throws IOException {
        for (int c = 0; c < CLASSES.size(); c++) {
            for (int i = 0; i < perClass; i++) {
                picture(dir.resolve(CLASSES.get(c)).resolve(String.format("%02d.png", i)), COLOURS[c] + i * 0x030303);
            }
        }
        return dir;
    }

    private static void jpeg(Path file, int rgb, int w, int h) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, x * 3 < w ? rgb : rgb ^ (x * 5 + y * 3 & 0xff));
            }
        }
        ImageIO.write(image, "jpg", file.toFile());
    }

    /** A 32x32 picture of one colour, striped with black. */
    static void picture(Path file, int rgb) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                image.setRGB(x, y, (x + y) % 7 == 0 ? 0 : rgb);
            }
        }
        ImageIO.write(image, "png", file.toFile());
    }
}
