package io.cnn4j.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.cnn4j.data.Datasets;
import io.cnn4j.data.InputSpec;
import io.cnn4j.io.ModelFile;
import io.cnn4j.models.Models;
import io.cnn4j.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.cnn4j.cli.CliRun.assertFailure;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Models for colour pictures of any size on the command line: what they record, predict on and summarise. */
class PicturesCliTest {

    @TempDir
    Path tmp;

    @Test
    void predictClassifiesFilesFoldersAndGlobsAndWritesCsv() throws IOException {
        Path model = ColourPictures.model(tmp);
        Path photos = tmp.resolve("photos");
        Path a = ColourPictures.png(photos.resolve("a.png"), 0xff0000);
        Path b = ColourPictures.png(photos.resolve("nested/b.PNG"), 0x00ff00);
        ColourPictures.png(photos.resolve(".hidden.png"), 0x0000ff);
        Files.writeString(photos.resolve("notes.txt"), "not a picture");
        Path c = ColourPictures.png(tmp.resolve("more/c.png"), 0x0000ff);
        Path csv = tmp.resolve("out/predictions.csv");

        CliRun run = CliRun.of("predict", "--model-file", model.toString(), photos.toString(), tmp.resolve("more") + "/*.png",
                "--top-k", "2", "--output", csv.toString());
        assertEquals(0, run.exitCode(), run.toString());
        List<String> rows = Files.readAllLines(csv);
        assertEquals(List.of("path", "class", "probability", "class_2", "probability_2"), List.of(rows.get(0).split(",")));
        assertEquals(List.of(a.toString(), b.toString(), c.toString()), rows.subList(1, 4).stream().map(r -> r.split(",")[0]).toList());
        for (String row : rows.subList(1, 4)) {
            String[] cells = row.split(",");
            assertTrue(ColourPictures.COLOURS.contains(cells[1]) && ColourPictures.COLOURS.contains(cells[3]) && !cells[1].equals(cells[3]), row);
            assertTrue(Float.parseFloat(cells[2]) >= Float.parseFloat(cells[4]), row);
        }
        assertTrue(run.out().startsWith(a + ": "), run.toString());
        assertEquals(3, run.out().lines().count(), run.toString());
    }

    @Test
    void oneBadPictureIsNamedAndTheOthersStillWritten() throws IOException {
        Path model = ColourPictures.model(tmp);
        Path good = ColourPictures.png(tmp.resolve("in/good.png"), 0x123456);
        Path bad = tmp.resolve("in/bad.png");
        Files.writeString(bad, "a text file named .png");
        Path jsonl = tmp.resolve("p.jsonl");

        CliRun run = CliRun.of("predict", "--model-file", model.toString(), tmp.resolve("in").toString(),
                tmp.resolve("none") + "/*.jpg", "--output", jsonl.toString(), "--top", "3");
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains(bad.toString()), run.toString());
        assertTrue(run.err().contains("no file matches " + tmp.resolve("none") + "/*.jpg"), run.toString());
        assertTrue(run.err().contains("predict: 2 picture(s) or argument(s) could not be classified; " + jsonl
                + " holds the others"), run.toString());
        assertFalse(run.err().contains("\tat "), run.toString());
        List<String> lines = Files.readAllLines(jsonl);
        assertEquals(1, lines.size(), lines.toString());
        JsonObject row = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertEquals(good.toString(), row.get("path").getAsString());
        assertTrue(ColourPictures.COLOURS.contains(row.get("class").getAsString()));
        assertEquals(3, row.getAsJsonArray("top_k").size());
        assertEquals(row.get("class").getAsString(), row.getAsJsonArray("top_k").get(0).getAsJsonObject().get("class").getAsString());
    }

    @Test
    void anOutputFileMustSayItsFormat() throws IOException {
        CliRun run = CliRun.of("predict", "--model-file", ColourPictures.model(tmp).toString(), "x.png", "--output", tmp.resolve("p.txt").toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("--output " + tmp.resolve("p.txt") + ": name a .csv or a .jsonl file"), run.toString());
        Path model = tmp.resolve("model.csv");
        Files.copy(ColourPictures.model(tmp), model);
        byte[] before = Files.readAllBytes(model);
        assertFailure(CliRun.of("predict", "--model-file", model.toString(), "x.png", "--output", model.toString()),
                "--output and --model-file both name " + model + "; write the predictions to a file of their own");
        assertArrayEquals(before, Files.readAllBytes(model));
    }

    @Test
    void aModelFileOfEarlierVersionsStillPredictsFashionMnist() throws IOException {
        Path model = tmp.resolve("old.safetensors");
        ModelFile.save(model, Models.create("seed", new Rng(1)), Map.of(ModelFile.MODEL_NAME_KEY, "seed"));
        Path picture = tmp.resolve("coat.png");
        BufferedImage gray = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(14, 14, 0, 200);
        ImageIO.write(gray, "png", picture.toFile());
        CliRun run = CliRun.of("predict", "--model-file", model.toString(), picture.toString(), "--top-k", "1");
        assertEquals(0, run.exitCode(), run.toString());
        CliRun summary = CliRun.of("summary", "--model-file", model.toString());
        assertTrue(summary.out().contains("Assumed (the file records none) input: 1x28x28, preprocessing color=gray"
                + " size=28x28 resize=stretch, normalisation none"), summary.toString());
        String predicted = run.out().strip().substring((picture + ": ").length()).replaceAll(" [0-9.]+$", "");
        assertTrue(Datasets.FASHION_MNIST_CLASSES.contains(predicted), run.toString());
    }

    @Test
    void summaryBuildsAModelForAnotherShapeAndShowsWhatAFileRecords() throws IOException {
        CliRun built = CliRun.of("summary", "--model", "seed", "--input", "3x32x32", "--classes", "3");
        assertEquals(0, built.exitCode(), built.toString());
        assertTrue(built.out().contains("input: [N, 3, 32, 32]"), built.toString());
        assertTrue(built.out().contains("Total params: " + String.format("%,d", 32 * 3 * 25 + 32 + 32 * 14 * 14 * 3 + 3)),
                built.toString());

        CliRun file = CliRun.of("summary", "--model-file", ColourPictures.model(tmp).toString());
        assertEquals(0, file.exitCode(), file.toString());
        assertTrue(file.out().contains("input: [N, 3, 32, 32]"), file.toString());
        assertTrue(file.out().contains("Recorded input: 3x32x32, preprocessing color=rgb size=32x32 resize=stretch,"
                + " normalisation none"), file.toString());
        assertTrue(file.out().contains("Classes (3): blue, green, red"), file.toString());

        assertFailure(CliRun.of("summary", "--model", "lenet5", "--input", "3x10x10"),
                "model 'lenet5' takes images of at least 12x12 pixels, got 10x10 (3x10x10)");
        assertFailure(CliRun.of("summary", "--model", "seed", "--input", "2x32x32"),
                "--input 2x32x32: give the shape of one image as CxHxW, C being 1 or 3, e.g. 3x32x32");
        assertFailure(CliRun.of("summary", "--model", "seed", "--classes", "1"), "--classes must be from 2 to 1000000, got 1");
        assertFailure(CliRun.of("summary", "--model-file", ColourPictures.model(tmp).toString(), "--classes", "4"),
                "--classes builds a built-in model (--model NAME) or loads weights alone for other images; a model file or"
                        + " description is as it was made");
    }

    @Test
    void trainingRecordsTheInputAndEvalRefusesOtherClasses() throws IOException {
        Path model = tmp.resolve("fashion.safetensors");
        CliRun train = CliRun.of("train", "--data", "embedded", "--max-steps", "2", "--epochs", "1", "--save",
                model.toString(), "--threads", "1");
        assertEquals(0, train.exitCode(), train.toString());
        Map<String, String> meta = ModelFile.read(model).metadata();
        assertEquals("1x28x28", meta.get(InputSpec.SHAPE_KEY));
        assertEquals("color=gray size=28x28 resize=stretch", meta.get(InputSpec.PREPROCESSING_KEY));
        assertEquals(Datasets.FASHION_MNIST_CLASSES, InputSpec.fromMetadata(meta).classNames());
        assertEquals("0.2", meta.get(DataChoice.TEST_SPLIT_KEY));

        Path digits = TinyData.write(tmp.resolve("digits"), 20, 10);
        assertFailure(CliRun.of("eval", "--model-file", model.toString(), "--data", digits.toString()),
                model + " tells apart the classes [T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker,"
                        + " Bag, Ankle boot], but the data's are [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]");
        assertFailure(CliRun.of("eval", "--model-file", model.toString(), "--data", "embedded", "--image-size", "32"),
                model + " records how pictures are preprocessed for it (color=gray size=28x28 resize=stretch); --color,"
                        + " --image-size and --resize cannot change that");
    }

    @Test
    void pictureOptionsAreCheckedBeforeAnythingIsRead() {
        assertFailure(CliRun.of("train", "--data", "embedded", "--resize", "crop"),
                "--resize crop says how pictures are fitted to --image-size, and none is given");
        assertFailure(CliRun.of("train", "--data", "embedded", "--color", "cmyk"), "--color: colour mode 'cmyk' must be rgb or gray");
        assertFailure(CliRun.of("train", "--data", "embedded", "--image-size", "64x"),
                "--image-size: image size '64x' must be H or HxW in pixels, e.g. 64 or 48x64");
        assertFailure(CliRun.of("train", "--data", "embedded", "--test-split", "1"),
                "--test-split must be a share between 0 and 1 (not either), e.g. 0.2, got 1.0");
    }
}
