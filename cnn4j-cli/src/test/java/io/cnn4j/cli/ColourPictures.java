package io.cnn4j.cli;

import io.cnn4j.data.InputSpec;
import io.cnn4j.data.ResizeMode;
import io.cnn4j.io.ModelFile;
import io.cnn4j.models.Models;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Shape;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Pictures of three colours and a model for them, written where a test asks. */
final class ColourPictures {
    static final List<String> COLOURS = List.of("blue", "green", "red");

    private ColourPictures() {
    }

    /** A seed model for 3x32x32 pictures of the three colours, as training would save it, in {@code dir}. */
    static Path model(Path dir) throws IOException {
        Path file = dir.resolve("colour.safetensors");
        Map<String, String> meta = new LinkedHashMap<>();
        InputSpec.of(Shape.of(3, 32, 32), COLOURS, ResizeMode.STRETCH, null).toMetadata(meta);
        ModelFile.save(file, Models.create("seed", Shape.of(3, 32, 32), 3, new Rng(2)), meta);
        return file;
    }

    /** A 32x32 RGB PNG of one colour with a lighter square. */
    static Path png(Path file, int rgb) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                image.setRGB(x, y, x > 8 && x < 24 && y > 8 && y < 24 ? rgb | 0x404040 : rgb);
            }
        }
        ImageIO.write(image, "png", file.toFile());
        return file;
    }
}
