package io.cnn4j.data;

import io.cnn4j.fuzz.HostileInput;
import io.cnn4j.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import static io.cnn4j.data.IdxBytes.counting;
import static io.cnn4j.data.IdxBytes.gzip;
import static io.cnn4j.data.IdxBytes.ubyte;
import static io.cnn4j.data.IdxBytes.write;
import static io.cnn4j.data.Mentions.assertMentions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageFilesTest {
    @TempDir
    Path tmp;

    private Path png(String name, BufferedImage image) throws Exception {
        Path file = tmp.resolve(name);
        assertTrue(ImageIO.write(image, "png", file.toFile()));
        return file;
    }

    @Test
    void grayPngKeepsItsExactPixelValues() throws Exception {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                image.getRaster().setSample(x, y, 0, x == 0 || y == 0 ? 0 : (y * 28 + x) % 256);
            }
        }
        InputImage read = ImageFiles.read(png("gray.png", image));
        assertEquals(Shape.of(1, 1, 28, 28), read.tensor().shape());
        assertEquals(0f, read.tensor().get(0, 0, 0, 5));
        assertEquals(((3 * 28 + 5) % 256) / 255f, read.tensor().get(0, 0, 3, 5));
        assertEquals(((27 * 28 + 27) % 256) / 255f, read.tensor().get(0, 0, 27, 27));
        assertEquals(0, read.notes().size(), read.notes().toString());
    }

    @Test
    void colourBecomesLuma() throws Exception {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
        image.setRGB(10, 10, 0xFF0000);
        image.setRGB(11, 10, 0x00FF00);
        image.setRGB(12, 10, 0xFFFFFF);
        InputImage read = ImageFiles.read(png("colour.png", image));
        // PIL's convert("L"): (19595 R + 38470 G + 7471 B + 2^15) >> 16.
        assertEquals(76 / 255f, read.tensor().get(0, 0, 10, 10));
        assertEquals(150 / 255f, read.tensor().get(0, 0, 10, 11));
        assertEquals(1f, read.tensor().get(0, 0, 10, 12));
        assertTrue(read.notes().stream().anyMatch(n -> n.contains("grayscale")), read.notes().toString());
    }

    @Test
    void largerImageIsResizedWithAntialiasingTo28x28AndSaysSo() throws Exception {
        // 56x56 of 2-pixel-wide stripes halved: PIL's triangle filter, widened to 4 pixels, weighs the
        // stripe under an output pixel 6/8 and each neighbouring stripe 1/8.
        BufferedImage image = new BufferedImage(56, 56, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 56; y++) {
            for (int x = 0; x < 56; x++) {
                image.getRaster().setSample(x, y, 0, (x / 2) * 9 % 256);
            }
        }
        InputImage read = ImageFiles.read(png("big.png", image));
        assertEquals(Shape.of(1, 1, 28, 28), read.tensor().shape());
        for (int x = 1; x < 27; x++) {
            float expected = ((x - 1) * 9 + 6 * x * 9 + (x + 1) * 9) / 8f / 255f;
            assertEquals(expected, read.tensor().get(0, 0, 13, x), 0.5f / 255, "column " + x);
        }
        assertTrue(read.notes().stream().anyMatch(n -> n.contains("resized 56x56 to 28x28")), read.notes().toString());
    }

    @Test
    void smallerImageIsInterpolatedUp() throws Exception {
        BufferedImage image = new BufferedImage(14, 10, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 14; x++) {
                image.getRaster().setSample(x, y, 0, 51);
            }
        }
        InputImage read = ImageFiles.read(png("small.png", image));
        for (float v : read.tensor().data()) {
            assertEquals(0.2f, v, 1e-6f);
        }
        assertTrue(read.notes().stream().anyMatch(n -> n.contains("resized 14x10") && n.contains("stretching")),
                read.notes().toString());
    }

    @Test
    void lightBackgroundIsNotInvertedButNoted() throws Exception {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                image.getRaster().setSample(x, y, 0, 255);
            }
        }
        InputImage read = ImageFiles.read(png("white.png", image));
        assertEquals(1f, read.tensor().get(0, 0, 0, 0));
        assertTrue(read.notes().stream().anyMatch(n -> n.contains("invert")), read.notes().toString());
    }

    @Test
    void readsOneImageOfAnIdxFileByIndex() throws Exception {
        Path file = write(tmp.resolve("images-idx3-ubyte.gz"), gzip(ubyte(counting(3 * 784), 3, 28, 28)));
        InputImage read = ImageFiles.read(file + "#2");
        assertEquals(file + "#2", read.source());
        assertEquals((2 * 784 % 256) / 255f, read.tensor().get(0, 0, 0, 0));
        assertEquals(ImageFiles.readIdx(file, 2).tensor().get(0, 0, 5, 7), read.tensor().get(0, 0, 5, 7));

        DataFileException e = assertThrows(DataFileException.class, () -> ImageFiles.read(file.toString()));
        assertMentions(e, file.toString(), "3 images", "#INDEX");
    }

    @Test
    void unreadableFilesAreNamed() throws Exception {
        Path text = tmp.resolve("notes.png");
        Files.writeString(text, "not a picture");
        DataFileException e = assertThrows(DataFileException.class, () -> ImageFiles.read(text));
        assertMentions(e, text.toString(), "not an image", "PNG");

        Path missing = tmp.resolve("missing.png");
        DataFileException e2 = assertThrows(DataFileException.class, () -> ImageFiles.read(missing.toString()));
        assertMentions(e2, missing.toString(), "does not exist");
    }

    @Test
    void pngOf20000x20000IsRefusedBeforeDecoding() throws Exception {
        byte[] small = ImageBytes.encode(ImageBytes.gradient(2, 2, BufferedImage.TYPE_BYTE_GRAY), "png");
        Path file = write(tmp.resolve("huge.png"), ImageBytes.pngClaiming(small, 20000, 20000));
        DataFileException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                assertThrows(DataFileException.class, () -> ImageFiles.read(file)));
        assertEquals(file + " is a 20000x20000 image (400.0 megapixels), more than the 50 megapixels cnn4j reads;"
                + " scale it down first", e.getMessage());
    }

    @Test
    void bmpClaimingAHugeSizeIsRefusedBeforeDecoding() throws Exception {
        byte[] bmp = ImageBytes.encode(ImageBytes.gradient(3, 2, BufferedImage.TYPE_INT_RGB), "bmp");
        ByteBuffer.wrap(bmp).order(ByteOrder.LITTLE_ENDIAN).putInt(ImageBytes.BMP_WIDTH, 30000)
                .putInt(ImageBytes.BMP_HEIGHT, 7000);
        Path file = write(tmp.resolve("huge.bmp"), bmp);
        // ImageIO's BMP reader checks the claim against the data itself, before cnn4j can.
        DataFileException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                assertThrows(DataFileException.class, () -> ImageFiles.read(file)));
        assertEquals(file + " cannot be decoded as an image: Invalid width/height for BI_RGB image data.", e.getMessage());
    }

    @Test
    void anIdxImageOfMoreThanFiftyMegapixelsIsRefused() throws Exception {
        Path file = write(tmp.resolve("huge-idx3-ubyte.gz"), gzip(ubyte(new byte[64_000_000], 1, 8000, 8000)));
        DataFileException e = assertThrows(DataFileException.class, () -> ImageFiles.read(file + "#0"));
        assertEquals(file + "#0 is a 8000x8000 image (64.0 megapixels), more than the 50 megapixels cnn4j reads;"
                + " scale it down first", e.getMessage());
    }

    @Test
    void aTruncatedPictureSaysSo() throws Exception {
        byte[] bmp = ImageBytes.encode(ImageBytes.gradient(3, 2, BufferedImage.TYPE_INT_RGB), "bmp");
        Path file = write(tmp.resolve("cut.bmp"), Arrays.copyOf(bmp, 2));
        DataFileException e = assertThrows(DataFileException.class, () -> ImageFiles.read(file));
        assertEquals(file + " is truncated: it ends before its image data does", e.getMessage());
    }

    @Test
    void fifoGivenToPredictIsRefusedNotOpened() throws Exception {
        Path fifo = HostileInput.fifo(tmp.resolve("picture.png"));
        DataFileException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                assertThrows(DataFileException.class, () -> ImageFiles.read(fifo.toString())));
        assertEquals("image file " + fifo + " is not a regular file (a FIFO); cnn4j reads only regular files, so that"
                + " reading cannot block or never end", e.getMessage());
    }
}
