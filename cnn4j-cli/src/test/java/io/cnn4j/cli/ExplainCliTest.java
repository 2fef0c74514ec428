package io.cnn4j.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.cnn4j.cli.CliRun.assertFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExplainCliTest {

    @TempDir
    Path tmp;

    @Test
    void writesAnOverlayAndTheRawMapOfEachPicture() throws IOException {
        Path pictures = tmp.resolve("pictures");
        ColourPictures.png(pictures.resolve("a.png"), 0x2040c0);
        ColourPictures.png(pictures.resolve("b.png"), 0xc04020);
        Path out = tmp.resolve("out");
        CliRun run = CliRun.of("explain", "--model-file", ColourPictures.model(tmp).toString(), "--output", out.toString(), "--format", "json",
                "--saliency", pictures.toString());
        assertEquals(0, run.exitCode(), run.toString());
        for (String name : List.of("a", "b")) {
            BufferedImage overlay = ImageIO.read(out.resolve(name + ".gradcam.png").toFile());
            assertEquals(32, overlay.getWidth(), "the picture at the model's input size");
            assertEquals(32, overlay.getHeight());
            assertEquals(32, ImageIO.read(out.resolve(name + ".saliency.png").toFile()).getWidth());
            JsonObject json = JsonParser.parseString(Files.readString(out.resolve(name + ".gradcam.json"))).getAsJsonObject();
            assertEquals("0", json.get("layer").getAsString(), "the default layer: the seed model's only convolution");
            assertEquals("[28,28]", json.get("shape").toString(), "the map before upsampling: the convolution's output");
            assertEquals(28 * 28, json.getAsJsonArray("map").size());
            int c = json.get("class").getAsInt();
            assertEquals(ColourPictures.COLOURS.get(c), json.get("label").getAsString());
            assertEquals(32 * 32, json.getAsJsonObject("saliency").getAsJsonArray("map").size());
        }
    }

    @Test
    void aChosenClassByNameIsExplained() throws IOException {
        Path picture = ColourPictures.png(tmp.resolve("p.png"), 0x20c040);
        Path out = tmp.resolve("out");
        CliRun run = CliRun.of("explain", "--model-file", ColourPictures.model(tmp).toString(), "--output", out.toString(), "--format", "json",
                "--class", "red", picture.toString());
        assertEquals(0, run.exitCode(), run.toString());
        JsonObject json = JsonParser.parseString(Files.readString(out.resolve("p.gradcam.json"))).getAsJsonObject();
        assertEquals(2, json.get("class").getAsInt());
        assertFalse(Files.exists(out.resolve("p.saliency.png")), "saliency only when asked");
    }

    @Test
    void aBadPictureIsReportedAndTheOthersAreExplained() throws IOException {
        Path good = ColourPictures.png(tmp.resolve("good.png"), 0x2040c0);
        Path bad = tmp.resolve("bad.png");
        Files.writeString(bad, "not a picture");
        Path out = tmp.resolve("out");
        CliRun run = CliRun.of("explain", "--model-file", ColourPictures.model(tmp).toString(), "--output", out.toString(), bad.toString(),
                good.toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains(bad.toString()), "the bad picture is named:\n" + run);
        assertTrue(run.err().contains("explain: 1 picture(s) or argument(s) could not be explained"), run.toString());
        assertTrue(Files.exists(out.resolve("good.gradcam.png")), run.toString());
        assertFalse(run.err().contains("\tat "), "no stack trace:\n" + run);
    }

    @Test
    void badOptionsAreRefusedInOneSentence() throws IOException {
        Path picture = ColourPictures.png(tmp.resolve("p.png"), 0x20c040);
        String model = ColourPictures.model(tmp).toString();
        assertFailure(CliRun.of("explain", "--model-file", model, "--output", tmp.resolve("o").toString(), "--layer", "9",
                picture.toString()), "Grad-CAM: the model has no layer 9; its convolutions are 0");
        assertFailure(CliRun.of("explain", "--model-file", model, "--output", tmp.resolve("o").toString(), "--class", "7",
                picture.toString()), "--class 7: the model's classes are 0 to 2 (blue, green, red)");
        assertFailure(CliRun.of("explain", "--model-file", model, "--output", tmp.resolve("o").toString(), "--format", "svg",
                picture.toString()), "--format svg: choose png or json");
        Path file = Files.writeString(tmp.resolve("afile"), "");
        assertFailure(CliRun.of("explain", "--model-file", model, "--output", file.toString(), picture.toString()),
                "--output " + file + " is a file; name a folder to write the pictures into");
        assertFailure(CliRun.of("explain", "--model-file", model, "--output", file.resolve("sub").toString(), picture.toString()),
                "--output " + file.resolve("sub") + ": cannot make the folder (Not a directory)");
    }

    @Test
    void outputNamesComeFromTheFileNamesAndIdxIndexes() {
        Set<String> taken = new HashSet<>();
        assertEquals("t10k-7", ExplainCommand.uniqueName("data/t10k.idx#7", taken));
        assertEquals("cat", ExplainCommand.uniqueName("a/cat.jpg", taken));
        assertEquals("cat-2", ExplainCommand.uniqueName("b/cat.png", taken), "a second picture of the same name");
        assertEquals("notes#x", ExplainCommand.uniqueName("notes#x.png", taken));
    }
}
