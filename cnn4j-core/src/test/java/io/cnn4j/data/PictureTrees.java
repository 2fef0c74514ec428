package io.cnn4j.data;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Folders of small one-colour pictures written by ImageIO, and a progress listener that remembers, for tests. */
final class PictureTrees {
    private PictureTrees() {
    }

    /** A {@code w x h} picture filled with {@code value} (gray) in {@code format}, parent folders made. */
    static Path gray(Path file, String format, int w, int h, int value) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setSamples(0, 0, w, h, 0, filled(w * h, value));
        return write(image, format, file);
    }

    /** A {@code w x h} picture filled with {@code rgb} (0xRRGGBB) in {@code format}, parent folders made. */
    static Path colour(Path file, String format, int w, int h, int rgb) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        return write(image, format, file);
    }

    private static int[] filled(int n, int value) {
        int[] samples = new int[n];
        Arrays.fill(samples, value);
        return samples;
    }

    private static Path write(BufferedImage image, String format, Path file) {
        try {
            Files.createDirectories(file.getParent());
            if (!ImageIO.write(image, format, file.toFile())) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Hears everything a load says. */
    static final class Recorder implements LoadProgress {
        final List<String> notes = new ArrayList<>();
        final List<String> skipped = new ArrayList<>();
        int decoded;

        @Override
        public synchronized void decoded(String what, int done, int total) {
            decoded++;
        }

        @Override
        public synchronized void skipped(String file, String reason) {
            skipped.add(file + ": " + reason);
        }

        @Override
        public synchronized void note(String message) {
            notes.add(message);
        }

        String notesText() {
            return String.join("\n", notes);
        }
    }
}
