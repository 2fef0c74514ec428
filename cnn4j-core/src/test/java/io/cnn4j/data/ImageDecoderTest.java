package io.cnn4j.data;

import com.google.gson.JsonObject;
import io.cnn4j.fuzz.HostileInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;

import static io.cnn4j.data.ImageBytes.encode;
import static io.cnn4j.data.ImageBytes.gradient;
import static io.cnn4j.data.IdxBytes.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class ImageDecoderTest {
    private static final Preprocessing OWN = Preprocessing.NONE;

    @TempDir
    Path tmp;

    private Path file(String name, byte[] bytes) throws Exception {
        return write(tmp.resolve(name), bytes);
    }

    private static int at(Picture p, int c, int y, int x) {
        return p.pixels()[(c * p.height() + y) * p.width() + x] & 0xff;
    }

    @Test
    void grayKeepsItsExactValuesInOneChannel() throws Exception {
        BufferedImage image = new BufferedImage(5, 3, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < 15; i++) {
            image.getRaster().setSample(i % 5, i / 5, 0, i * 17);
        }
        Picture p = ImageDecoder.read(file("gray.png", encode(image, "png")), OWN);
        assertEquals(1, p.channels());
        for (int i = 0; i < 15; i++) {
            assertEquals(i * 17, p.pixels()[i] & 0xff);
        }
    }

    @Test
    void sixteenBitSamplesAreRoundedTo8BitsGrayOrColour() throws Exception {
        BufferedImage image = new BufferedImage(6, 1, BufferedImage.TYPE_USHORT_GRAY);
        int[] samples = {0, 128, 129, 32767, 257 * 200, 65535};
        image.getRaster().setPixels(0, 0, 6, 1, samples);
        Picture p = ImageDecoder.read(file("deep.png", encode(image, "png")), OWN);
        // round(v * 255 / 65535): 128 is 0.498, 129 is 0.502, 32767 is 127.498.
        assertArrayEquals(new byte[] {0, 0, 1, 127, (byte) 200, (byte) 255}, p.pixels());

        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_USHORT);
        WritableRaster raster = cm.createCompatibleWritableRaster(2, 1);
        raster.setPixels(0, 0, 2, 1, new int[] {65535, 32767, 129, 65535, 65535, 65535, 65535, 257 * 51});
        Picture rgba = ImageDecoder.read(file("deep-rgba.png", encode(new BufferedImage(cm, raster, false, null), "png")), OWN);
        // Scaled to 8 bits first (255, 127, 1 opaque; 255 at alpha 51), then composited: 255 * 51 / 255 = 51.
        assertArrayEquals(new byte[] {(byte) 255, 51, 127, 51, 1, 51}, rgba.pixels());
    }

    @Test
    void rgbBecomesThreePlanesWhateverTheLayout() throws Exception {
        for (int type : new int[] {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_3BYTE_BGR}) {
            BufferedImage image = gradient(7, 4, type);
            for (String format : new String[] {"png", "bmp", "tiff"}) {
                Picture p = ImageDecoder.read(file("rgb." + format, encode(image, format)), OWN);
                assertEquals(3, p.channels(), format);
                for (int y = 0; y < 4; y++) {
                    for (int x = 0; x < 7; x++) {
                        int rgb = image.getRGB(x, y);
                        assertEquals(rgb >> 16 & 0xff, at(p, 0, y, x), format);
                        assertEquals(rgb >> 8 & 0xff, at(p, 1, y, x), format);
                        assertEquals(rgb & 0xff, at(p, 2, y, x), format);
                    }
                }
            }
        }
    }

    @Test
    void alphaIsCompositedOverBlack() throws Exception {
        BufferedImage image = new BufferedImage(3, 1, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, 0xFF_C8_64_0A);
        image.setRGB(1, 0, 0x80_C8_64_0A);
        image.setRGB(2, 0, 0x00_FF_FF_FF);
        List<String> notes = new ArrayList<>();
        Picture p = ImageDecoder.read(file("alpha.png", encode(image, "png")), OWN, notes);
        // v * 128 / 255, rounded: 200 -> 100, 100 -> 50, 10 -> 5.
        assertArrayEquals(new byte[] {(byte) 200, 100, 0, 100, 50, 0, 10, 5, 0}, p.pixels());
        assertEquals(List.of("composited transparent areas over black"), notes);
    }

    @Test
    void grayWithAlphaStaysOneChannel() throws Exception {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster raster = cm.createCompatibleWritableRaster(2, 1);
        raster.setPixels(0, 0, 2, 1, new int[] {200, 255, 200, 51});
        Picture p = ImageDecoder.read(file("la.png", encode(new BufferedImage(cm, raster, false, null), "png")), OWN);
        assertEquals(1, p.channels());
        assertArrayEquals(new byte[] {(byte) 200, 40}, p.pixels());
    }

    @Test
    void palettesAreExpandedAndAPaletteOfGraysIsGray() throws Exception {
        byte[] r = {0, (byte) 255, 10, 90};
        byte[] g = {0, 0, (byte) 250, 90};
        byte[] b = {0, 0, 30, 90};
        for (int bits : new int[] {2, 8}) {
            BufferedImage colour = indexed(new IndexColorModel(bits, 4, r, g, b));
            Picture p = ImageDecoder.read(file("palette" + bits + ".png", encode(colour, "png")), OWN);
            assertEquals(3, p.channels());
            assertArrayEquals(new byte[] {0, (byte) 255, 10, 90, 0, 0, (byte) 250, 90, 0, 0, 30, 90}, p.pixels(),
                    bits + "-bit palette");
            Picture gif = ImageDecoder.read(file("palette" + bits + ".gif", encode(colour, "gif")), OWN);
            assertArrayEquals(p.pixels(), gif.pixels());
        }
        BufferedImage grays = indexed(new IndexColorModel(8, 4, r, r, r));
        Picture p = ImageDecoder.read(file("grays.gif", encode(grays, "gif")), OWN);
        assertEquals(1, p.channels());
        assertArrayEquals(r, p.pixels());
    }

    private static BufferedImage indexed(IndexColorModel palette) {
        BufferedImage image = palette.getPixelSize() == 8
                ? new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_INDEXED, palette)
                : new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_BINARY, palette);
        image.getRaster().setPixels(0, 0, 4, 1, new int[] {0, 1, 2, 3});
        return image;
    }

    @Test
    void grayIsMadeAsPilConvertLMakesItAndColourFromGrayRepeatsIt() throws Exception {
        JsonObject golden = GoldenPictures.single("gray");
        Picture rgb = GoldenPictures.pattern(3, golden.get("height").getAsInt(), golden.get("width").getAsInt());
        Path ppm = file("pattern.ppm", ppm(rgb));
        List<String> notes = new ArrayList<>();
        Picture gray = ImageDecoder.read(ppm, OWN.withColor(ColorMode.GRAY), notes);
        assertArrayEquals(GoldenPictures.bytes(golden), gray.pixels());
        assertEquals(List.of("converted colour to grayscale (luma 0.299 R + 0.587 G + 0.114 B, as PIL's convert(\"L\"))"),
                notes);

        Path pgm = file("gray.pgm", pgm(gray));
        Picture back = ImageDecoder.read(pgm, OWN.withColor(ColorMode.RGB));
        assertEquals(3, back.channels());
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(gray.pixels(), Arrays.copyOfRange(back.pixels(), c * 99, (c + 1) * 99));
        }
    }

    @Test
    void resizingFollowsThePreprocessing() throws Exception {
        Picture own = GoldenPictures.pattern(3, 20, 30);
        Path ppm = file("p.ppm", ppm(own));
        for (ResizeMode mode : ResizeMode.values()) {
            Picture p = ImageDecoder.read(ppm, OWN.withSize(16, 16, mode));
            assertArrayEquals(PictureResize.fit(own, 16, 16, mode).pixels(), p.pixels(), mode.id());
        }
    }

    @Test
    void netpbmInEveryVariant() throws Exception {
        Picture rgb = GoldenPictures.pattern(3, 3, 4);
        assertArrayEquals(rgb.pixels(), ImageDecoder.read(file("a.ppm", ppm(rgb)), OWN).pixels());
        StringBuilder text = new StringBuilder("P3\n# a comment\n4 3\n255\n");
        for (int i = 0; i < 12; i++) {
            text.append(at(rgb, 0, i / 4, i % 4)).append(' ').append(at(rgb, 1, i / 4, i % 4)).append(' ')
                    .append(at(rgb, 2, i / 4, i % 4)).append(i % 4 == 3 ? "\n" : "  ");
        }
        assertArrayEquals(rgb.pixels(), ImageDecoder.read(file("t.ppm", ascii(text.toString())), OWN).pixels());
        // maxval 65535, two bytes a sample, and maxval 100: scaled by rounding v * 255 / maxval.
        byte[] deep = concat(ascii("P5 3 1 65535\n"), new byte[] {0, (byte) 129, (byte) 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
        assertArrayEquals(new byte[] {1, 127, (byte) 255}, ImageDecoder.read(file("deep.pgm", deep), OWN).pixels());
        assertArrayEquals(new byte[] {0, (byte) 128, (byte) 255, 3},
                ImageDecoder.read(file("t.pgm", ascii("P2\n4 1\n100\n0 50 100 1")), OWN).pixels());
    }

    @Test
    void badNetpbmFilesAreRefusedByName() throws Exception {
        Path cut = file("cut.pgm", ascii("P5 4 4 255\nabc"));
        assertEquals(cut + " is truncated: it ends before its image data does", refusal(cut).getMessage());
        Path pbm = file("bits.pbm", ascii("P1 2 2 0 1 1 0"));
        assertEquals(pbm + " is a PBM bitmap (P1), which cnn4j does not read; save it as PGM, PNG or another gray format",
                refusal(pbm).getMessage());
        Path high = file("high.pgm", ascii("P2 2 1 100 7 101"));
        assertEquals(high + " is not a valid netpbm file: its sample must be a number from 0 to 100", refusal(high).getMessage());
        Path huge = file("huge.ppm", ascii("P6 20000 20000 255\n"));
        assertEquals(huge + " is a 20000x20000 image (400.0 megapixels), more than the 50 megapixels cnn4j reads;"
                + " scale it down first", refusal(huge).getMessage());
        Path claim = file("claim.ppm", ascii("P6 7000 7000 255\n\0\0\0"));
        assertEquals(claim + " is truncated: it ends before its image data does", refusal(claim).getMessage());
    }

    @Test
    void theFormatIsKnownByContentNotName() throws Exception {
        BufferedImage image = gradient(3, 2, BufferedImage.TYPE_INT_RGB);
        Picture p = ImageDecoder.read(file("really-a-png.jpg", encode(image, "png")), OWN);
        assertEquals(image.getRGB(2, 1) & 0xff, at(p, 2, 1, 2));
        Path text = file("notes.png", ascii("not a picture"));
        String message = refusal(text).getMessage();
        assertEquals(text + " is not an image in a format this Java can read (", message.substring(0, message.indexOf('(') + 1));
        assertEquals(true, message.contains("PNG") && message.contains("PPM"), message);
    }

    @Test
    void aJpegDecodesToTheBytesPilDecodesItTo() throws Exception {
        JsonObject golden = GoldenPictures.single("jpeg");
        Picture p = ImageDecoder.read(file("photo.jpg", resource("photo.jpg")), OWN);
        assertEquals(List.of(3, golden.get("height").getAsInt(), golden.get("width").getAsInt()),
                List.of(p.channels(), p.height(), p.width()));
        CRC32 crc = new CRC32();
        crc.update(p.pixels());
        assertEquals(golden.get("crc32").getAsLong(), crc.getValue());
    }

    private byte[] resource(String name) throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/io/cnn4j/golden/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void cmykJpegsAreRefusedWithWhatToDo() throws Exception {
        Path file = file("cmyk.jpg", resource("cmyk.jpg"));
        // This JDK decodes CMYK JPEGs into CMYK (older ones fail with "Unsupported Image Type": also refused).
        assertEquals(file + " is a CMYK picture, which cnn4j cannot read; save it as RGB", refusal(file).getMessage());
    }

    @Test
    void hostileFilesGetOneSentenceNamingThem() throws Exception {
        byte[] small = encode(gradient(2, 2, BufferedImage.TYPE_BYTE_GRAY), "png");
        Path bomb = file("bomb.png", ImageBytes.pngClaiming(small, 20000, 20000));
        assertEquals(bomb + " is a 20000x20000 image (400.0 megapixels), more than the 50 megapixels cnn4j reads;"
                + " scale it down first", assertTimeoutPreemptively(Duration.ofSeconds(10), () -> refusal(bomb)).getMessage());
        byte[] png = encode(gradient(20, 20, BufferedImage.TYPE_INT_RGB), "png");
        for (int length : new int[] {10, 40, png.length / 2}) {
            Path cut = file("cut" + length + ".png", Arrays.copyOf(png, length));
            assertEquals(cut + " is truncated: it ends before its image data does", refusal(cut).getMessage());
        }
        Path empty = file("empty.png", new byte[0]);
        assertEquals(empty + " is empty, not an image", refusal(empty).getMessage());
        Path dir = Files.createDirectory(tmp.resolve("folder.png"));
        assertEquals("image file " + dir + " is a directory, not a file", refusal(dir).getMessage());
        Path fifo = HostileInput.fifo(tmp.resolve("pipe.png"));
        assertEquals("image file " + fifo + " is not a regular file (a FIFO); cnn4j reads only regular files, so that"
                + " reading cannot block or never end", assertTimeoutPreemptively(Duration.ofSeconds(10), () -> refusal(fifo)).getMessage());
    }

    @Test
    void manyThreadsDecodeAsOneDoes() throws Exception {
        List<Path> files = new ArrayList<>();
        int[] types = {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_INT_ARGB,
                BufferedImage.TYPE_BYTE_INDEXED};
        for (int i = 0; i < 16; i++) {
            files.add(file(i + ".png", encode(gradient(9 + i, 7 + i, types[i % 4]), "png")));
        }
        Preprocessing p = new Preprocessing(ColorMode.RGB, 8, 8, ResizeMode.CROP);
        List<byte[]> expected = new ArrayList<>();
        for (Path f : files) {
            expected.add(ImageDecoder.read(f, p).pixels());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<byte[]>> results = new ArrayList<>();
            for (int round = 0; round < 10; round++) {
                for (Path f : files) {
                    results.add(pool.submit(() -> ImageDecoder.read(f, p).pixels()));
                }
            }
            for (int i = 0; i < results.size(); i++) {
                assertArrayEquals(expected.get(i % files.size()), results.get(i).get());
            }
        } finally {
            pool.shutdown();
        }
    }

    private static DataFileException refusal(Path file) {
        DataFileException e = assertThrows(DataFileException.class, () -> ImageDecoder.read(file, OWN));
        assertEquals(file.toString(), e.source());
        return e;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A binary PPM of a three-channel picture. */
    static byte[] ppm(Picture p) {
        int n = p.height() * p.width();
        byte[] data = new byte[3 * n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                data[3 * i + c] = p.pixels()[c * n + i];
            }
        }
        return concat(ascii("P6\n" + p.width() + " " + p.height() + "\n255\n"), data);
    }

    /** A binary PGM of a one-channel picture. */
    static byte[] pgm(Picture p) {
        return concat(ascii("P5 " + p.width() + " " + p.height() + " 255\n"), p.pixels());
    }
}
