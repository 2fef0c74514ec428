package io.cnn4j.train;

import io.cnn4j.data.ColorMode;
import io.cnn4j.data.Dataset;
import io.cnn4j.data.Datasets;
import io.cnn4j.data.ImageDecoder;
import io.cnn4j.data.InputSpec;
import io.cnn4j.data.Normalize;
import io.cnn4j.data.Picture;
import io.cnn4j.data.Preprocessing;
import io.cnn4j.data.ResizeMode;
import io.cnn4j.io.ModelFile;
import io.cnn4j.io.ModelFileException;
import io.cnn4j.models.Models;
import io.cnn4j.nn.Module;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Shape;
import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PredictorTest {
    private static final List<String> CLASSES = List.of("red", "green", "blue");

    @TempDir
    Path dir;

    @Test
    void aPhotoBecomesExactlyTheTensorTheTrainingDataWouldHoldOfIt() throws IOException {
        Shape shape = Shape.of(3, 24, 20);
        Normalize normalize = new Normalize(new float[] {0.4f, 0.5f, 0.6f}, new float[] {0.2f, 0.25f, 0.3f});
        InputSpec spec = InputSpec.of(shape, CLASSES, ResizeMode.CROP, normalize);
        Path model = save("small", spec);
        Path jpeg = picture("photo.jpg", "jpg", 37, 29);

        Predictor predictor = Predictor.load(model);
        Tensor seen = predictor.tensor(jpeg);

        Picture decoded = ImageDecoder.read(jpeg, new Preprocessing(ColorMode.RGB, 24, 20, ResizeMode.CROP));
        Tensor expected = Dataset.of(decoded.pixels(), new int[] {0}, 3, 24, 20, CLASSES, "training").batch(0);
        normalize.apply(expected);
        assertArrayEquals(new int[] {1, 3, 24, 20}, seen.shape().dims());
        assertArrayEquals(expected.data(), seen.data());
    }

    @Test
    void predictionsAreRankedProbabilitiesOfTheRecordedClasses() throws IOException {
        Path model = save("seed", InputSpec.of(Shape.of(3, 24, 20), CLASSES, ResizeMode.STRETCH, null));
        Predictor predictor = Predictor.load(model);
        List<Prediction> p = predictor.predict(picture("a.png", "png", 20, 24));
        assertEquals(3, p.size());
        assertEquals(List.of("blue", "green", "red"), p.stream().map(Prediction::name).sorted().toList());
        assertEquals(1.0, p.stream().mapToDouble(Prediction::probability).sum(), 1e-5);
        assertTrue(p.get(0).probability() >= p.get(1).probability() && p.get(1).probability() >= p.get(2).probability());
        assertEquals(CLASSES.get(p.get(0).label()), p.get(0).name());

        Path b = picture("b.png", "png", 20, 24);
        List<List<Prediction>> batched = predictor.predictAll(List.of(b, b, b), 2);
        assertEquals(3, batched.size());
        assertEquals(predictor.predict(b), batched.get(2));
    }

    @Test
    void aModelFileWithoutAnInputSpecPredictsFashionMnistClasses() throws IOException {
        Path model = dir.resolve("old.safetensors");
        ModelFile.save(model, Models.create("seed", new Rng(3)), Map.of(ModelFile.MODEL_NAME_KEY, "seed"));
        Predictor predictor = Predictor.load(model);
        assertEquals("color=gray size=28x28 resize=stretch", predictor.input().preprocessing().spec());
        List<Prediction> p = predictor.predict(picture("shirt.png", "png", 28, 28));
        assertEquals(10, p.size());
        assertEquals(Datasets.FASHION_MNIST_CLASSES.get(p.get(0).label()), p.get(0).name());
        assertArrayEquals(new int[] {1, 1, 28, 28}, predictor.tensor(dir.resolve("shirt.png")).shape().dims());
    }

    @Test
    void aModelThatDoesNotFitItsRecordedInputIsRefused() throws IOException {
        Path model = dir.resolve("wrong.safetensors");
        Map<String, String> meta = new LinkedHashMap<>();
        InputSpec.of(Shape.of(3, 24, 20), CLASSES, ResizeMode.STRETCH, null).toMetadata(meta);
        ModelFile.save(model, Models.create("seed", Shape.of(3, 24, 20), 4, new Rng(1)), meta);
        assertEquals(model + ": the model gives outputs of shape [1, 4] for one image, but its metadata names 3 classes",
                assertThrows(ModelFileException.class, () -> Predictor.load(model)).getMessage());

        ModelFile.save(model, Models.create("seed", new Rng(1)), meta);
        assertTrue(assertThrows(ModelFileException.class, () -> Predictor.load(model)).getMessage()
                .startsWith(model + ": the model does not take the 3x24x20 images its metadata records: "));

        meta.put(InputSpec.SHAPE_KEY, "3x24");
        ModelFile.save(model, Models.create("seed", new Rng(1)), meta);
        assertEquals(model + ": the model's metadata 'cnn4j.input_shape' is damaged ('3x24'): expected CxHxW such as 3x32x32, or CxTxHxW for clips such as 1x8x32x32",
                assertThrows(ModelFileException.class, () -> Predictor.load(model)).getMessage());
    }

    private Path save(String name, InputSpec spec) throws IOException {
        Module model = Models.create(name, spec.shape(), spec.classes(), new Rng(5));
        Map<String, String> meta = new LinkedHashMap<>();
        spec.toMetadata(meta);
        Path file = dir.resolve(name + ".safetensors");
        ModelFile.save(file, model, meta);
        return file;
    }

    /** A colourful picture of {@code w x h}, different in every pixel and channel. */
    private Path picture(String name, String format, int w, int h) throws IOException {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, (x * 12 & 0xff) << 16 | (y * 10 & 0xff) << 8 | ((x * y * 7 + 30) & 0xff));
            }
        }
        Path file = dir.resolve(name);
        ImageIO.write(image, format, file.toFile());
        return file;
    }
}
