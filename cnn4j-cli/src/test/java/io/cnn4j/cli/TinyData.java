package io.cnn4j.cli;

import io.cnn4j.data.IdxFile;
import io.cnn4j.data.MnistStyle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small MNIST-style data directories for error tests, written as the real file format. */
final class TinyData {
    private TinyData() {
    }

    /** A complete directory of {@code train} and {@code test} random 28x28 images with labels 0..9. */
    static Path write(Path dir, int train, int test) throws IOException {
        Files.createDirectories(dir);
        writeSplit(dir, MnistStyle.TRAIN_IMAGES, MnistStyle.TRAIN_LABELS, train, train);
        writeSplit(dir, MnistStyle.TEST_IMAGES, MnistStyle.TEST_LABELS, test, test);
        return dir;
    }

    static void writeSplit(Path dir, String imagesName, String labelsName, int images, int labels) throws IOException {
        byte[] pixels = new byte[images * 28 * 28];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 37 % 251);
        }
        byte[] labelBytes = new byte[labels];
        for (int i = 0; i < labels; i++) {
            labelBytes[i] = (byte) (i % 10);
        }
        IdxFile.of(imagesName, pixels, images, 28, 28).write(dir.resolve(imagesName + ".gz"), true);
        IdxFile.of(labelsName, labelBytes, labels).write(dir.resolve(labelsName + ".gz"), true);
    }
}
