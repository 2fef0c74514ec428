package io.cnn4j.data;

import io.cnn4j.limits.InputFileException;
import io.cnn4j.limits.InputFiles;
import io.cnn4j.limits.MemoryBudget;
import io.cnn4j.limits.TooLargeException;

import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Decodes a picture file into the unsigned-byte {@code [C, H, W]} a data set holds, converted and resized
 * as a {@link Preprocessing} says. Safe to call from many threads at once.
 *
 * <p><b>Formats.</b> Whatever ImageIO reads (PNG, JPEG, BMP, GIF, TIFF, WBMP) and netpbm PGM/PPM
 * ({@link Netpbm}), recognised from the content, not the name. Only a GIF's or TIFF's first image is read.
 *
 * <p><b>Colour.</b> Samples are read from the raster as stored (never through a colour conversion, which
 * would change gray values): gray, gray with alpha, RGB, RGBA and palettes (expanded through the palette);
 * samples of other depths (16-bit, 1-, 2- or 4-bit) are scaled to 8 bits by rounding {@code v * 255 / max};
 * transparency is composited over black ({@code v * alpha / max}, rounded). A picture keeps its own
 * colours unless {@link Preprocessing#color()} says otherwise: a gray one, or one whose palette holds only
 * grays, has one channel, anything else three. Gray is made from colour by PIL's {@code convert("L")}
 * ({@code (19595 R + 38470 G + 7471 B + 2^15) >> 16}); colour from gray repeats it in every channel.
 * CMYK and YCCK JPEGs are refused.
 *
 * <p><b>Size.</b> A picture's size is read from its header before it is decoded, and one of more than
 * {@link #MAX_PIXELS} pixels (or more than the heap can decode) is refused: a small, highly compressed file
 * can declare a huge image. Resizing is PIL's bilinear resize with antialiasing, byte for byte, fitted
 * by the preprocessing's {@link ResizeMode}; it comes after the colour conversion, as in torchvision's
 * {@code Compose([Grayscale(), Resize(...)])} (and {@code ImageFolder}'s {@code convert("RGB")} before any
 * transform).
 *
 * <p>Every problem is one {@link DataFileException} whose message names the file.
 */
public final class ImageDecoder {
    /** The most pixels a picture may have: 50 megapixels, far more than any model input needs. */
    public static final long MAX_PIXELS = 50_000_000;
    /** Decoding takes up to this much per pixel: 16-bit RGBA samples, then the planar bytes and their resizing. */
    private static final long BYTES_PER_PIXEL = 16;
    /** Larger picture files are not pictures a model is meant to see. */
    private static final long MAX_FILE_BYTES = 512L << 20;
    /** The readers of the formats recognised by their first bytes, found once: ImageIO's own search asks every reader. */
    private static final List<Format> FORMATS = List.of(
            Format.of("png", new byte[] {(byte) 0x89, 'P', 'N', 'G'}),
            Format.of("jpeg", new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}),
            Format.of("gif", new byte[] {'G', 'I', 'F', '8'}),
            Format.of("bmp", new byte[] {'B', 'M'}),
            Format.of("tiff", new byte[] {'I', 'I', 42, 0}),
            Format.of("tiff", new byte[] {'M', 'M', 0, 42}));

    private ImageDecoder() {
    }

    /** The picture in {@code file}, preprocessed by {@code preprocessing}. */
    public static Picture read(Path file, Preprocessing preprocessing) throws DataFileException {
        return read(file, preprocessing, null);
    }

    /**
     * The picture encoded in {@code bytes} (PNG, JPEG, GIF, BMP, TIFF or Netpbm, as a file holds it),
     * preprocessed by {@code preprocessing}; {@code source} names it in errors.
     */
    public static Picture read(byte[] bytes, String source, Preprocessing preprocessing) throws DataFileException {
        return prepare(decode(bytes, source, null), preprocessing, null);
    }

    /** {@link #read(Path, Preprocessing)}, adding to {@code notes} (if not null) what was done to the picture. */
    static Picture read(Path file, Preprocessing preprocessing, List<String> notes) throws DataFileException {
        String source = file.toString();
        return prepare(decode(bytes(file, source), source, notes), preprocessing, notes);
    }

    /** The picture in {@code file}, in its own colours and size. */
    static Picture decode(Path file) throws DataFileException {
        String source = file.toString();
        return decode(bytes(file, source), source, null);
    }

    /** The picture in {@code bytes}, in its own colours and size. */
    static Picture decode(byte[] bytes, String source, List<String> notes) throws DataFileException {
        if (bytes.length == 0) {
            throw new DataFileException(source, source + " is empty, not an image");
        }
        if (Netpbm.matches(bytes)) {
            return Netpbm.read(bytes, source);
        }
        ImageReader reader = reader(bytes, source);
        try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
            reader.setInput(in, true, true);
            checkSize(source, reader.getWidth(0), reader.getHeight(0));
            return pixels(reader.read(0), source, notes);
        } catch (DataFileException e) {
            throw e;
        } catch (IIOException e) {
            if ("Unsupported Image Type".equals(e.getMessage())) {
                throw new DataFileException(source, source + " is a CMYK or YCCK JPEG, which cnn4j cannot read;"
                        + " save it as RGB", e);
            }
            throw undecodable(source, e);
        } catch (IOException | RuntimeException e) {
            throw undecodable(source, e);
        } finally {
            reader.dispose();
        }
    }

    /** A decoder's exception as one sentence: ImageIO wraps the end of the file in its own exceptions. */
    static DataFileException undecodable(String source, Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EOFException) {
                return new DataFileException(source, source + " is truncated: it ends before its image data does", e);
            }
        }
        return new DataFileException(source, source + " cannot be decoded as an image: " + DataFileException.reason(e), e);
    }

    /** The whole file, after checking that it is a regular file of a sensible size. */
    static byte[] bytes(Path file, String source) throws DataFileException {
        try {
            long size = InputFiles.requireRegularFile(file, "image file", MAX_FILE_BYTES);
            MemoryBudget.require(size, "reading " + source);
            return Files.readAllBytes(file);
        } catch (InputFileException | TooLargeException e) {
            throw new DataFileException(source, e.getMessage(), e);
        } catch (IOException e) {
            throw new DataFileException(source, source + " cannot be read: " + DataFileException.reason(e), e);
        }
    }

    /** A new reader (readers are not thread-safe) for the format {@code bytes} start with. */
    private static ImageReader reader(byte[] bytes, String source) throws DataFileException {
        try {
            for (Format f : FORMATS) {
                if (f.matches(bytes)) {
                    return f.reader.createReaderInstance();
                }
            }
            try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
                Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
                if (readers.hasNext()) {
                    return readers.next();
                }
            }
        } catch (IOException e) {
            throw undecodable(source, e);
        }
        throw new DataFileException(source, source + " is not an image in a format this Java can read ("
                + String.join(", ", formats()) + ")");
    }

    /** Refuses a picture of more than {@link #MAX_PIXELS} pixels, or more than the heap can decode. */
    static void checkSize(String source, int w, int h) throws DataFileException {
        long pixels = (long) w * h;
        String size = w + "x" + h;
        if (pixels > MAX_PIXELS) {
            throw new DataFileException(source, String.format(Locale.ROOT, "%s is a %s image (%.1f megapixels),"
                    + " more than the %d megapixels cnn4j reads; scale it down first", source, size, pixels / 1e6,
                    MAX_PIXELS / 1_000_000));
        }
        try {
            MemoryBudget.require(pixels * BYTES_PER_PIXEL, "decoding " + source + " (a " + size + " image)");
        } catch (TooLargeException e) {
            throw new DataFileException(source, e.getMessage(), e);
        }
    }

    /** The picture's formats that ImageIO reads, and netpbm's, by name. */
    private static List<String> formats() {
        TreeSet<String> names = new TreeSet<>(List.of("PGM", "PPM"));
        for (String f : ImageIO.getReaderFormatNames()) {
            names.add(f.toUpperCase(Locale.ROOT));
        }
        return List.copyOf(names);
    }

    /** The decoded {@code image} in its own colours, transparency composited over black. */
    static Picture pixels(BufferedImage image, String source, List<String> notes) throws DataFileException {
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        RasterSamples samples;
        if (cm instanceof IndexColorModel palette) {
            samples = RasterSamples.palette(palette);
        } else {
            int colours = cm.getNumColorComponents();
            int type = cm.getColorSpace().getType();
            if (!(colours == 1 && type == ColorSpace.TYPE_GRAY || colours == 3 && type != ColorSpace.TYPE_CMY)) {
                throw new DataFileException(source, type == ColorSpace.TYPE_CMYK
                        ? source + " is a CMYK picture, which cnn4j cannot read; save it as RGB"
                        : source + " has " + colours + " colour components (colour space type " + type
                        + "), which cnn4j cannot read; save it as RGB or gray");
            }
            for (int size : cm.getComponentSize()) {
                if (size > 16) {
                    throw new DataFileException(source, source + " has samples of " + size + " bits, which cnn4j cannot"
                            + " read; save it with 8 or 16 bits a sample");
                }
            }
            samples = RasterSamples.direct(cm, raster.getNumBands());
        }
        Picture picture = samples.read(raster);
        if (notes != null && samples.transparent()) {
            notes.add("composited transparent areas over black");
        }
        return picture;
    }

    /** {@code own} converted to the preprocessing's colours and size. */
    static Picture prepare(Picture own, Preprocessing preprocessing, List<String> notes) {
        Picture p = own;
        ColorMode mode = preprocessing.color();
        if (mode == ColorMode.GRAY && p.channels() == 3) {
            p = gray(p, notes);
        } else if (mode == ColorMode.RGB && p.channels() == 1) {
            byte[] rgb = new byte[3 * p.pixels().length];
            for (int c = 0; c < 3; c++) {
                System.arraycopy(p.pixels(), 0, rgb, c * p.pixels().length, p.pixels().length);
            }
            p = new Picture(rgb, 3, p.height(), p.width());
        }
        if (preprocessing.resizes() && (p.height() != preprocessing.height() || p.width() != preprocessing.width())) {
            Picture resized = PictureResize.fit(p, preprocessing.height(), preprocessing.width(), preprocessing.resize());
            if (notes != null) {
                notes.add("resized " + p.width() + "x" + p.height() + " to " + resized.width() + "x" + resized.height()
                        + " by " + switch (preprocessing.resize()) {
                            case STRETCH -> "bilinear interpolation with antialiasing, as PIL"
                                    + (p.height() * (long) resized.width() != p.width() * (long) resized.height()
                                    ? ", stretching it to the new shape" : "");
                            case CROP -> "scaling it to cover that size (bilinear, antialiased, as PIL) and cutting out the centre";
                            case PAD -> "scaling it to fit inside (bilinear, antialiased, as PIL) and centring it on black";
                        });
            }
            p = resized;
        }
        return p;
    }

    /** PIL's {@code convert("L")} of a three-channel picture. */
    private static Picture gray(Picture p, List<String> notes) {
        byte[] in = p.pixels();
        int n = p.height() * p.width();
        byte[] out = new byte[n];
        boolean colour = false;
        for (int i = 0; i < n; i++) {
            int r = in[i] & 0xff;
            int g = in[n + i] & 0xff;
            int b = in[2 * n + i] & 0xff;
            colour |= r != g || g != b;
            out[i] = (byte) ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
        }
        if (notes != null && colour) {
            notes.add("converted colour to grayscale (luma 0.299 R + 0.587 G + 0.114 B, as PIL's convert(\"L\"))");
        }
        return new Picture(out, 1, p.height(), p.width());
    }

    /** A format recognised by its first bytes, and its reader's provider. */
    private record Format(byte[] magic, ImageReaderSpi reader) {
        static Format of(String name, byte[] magic) {
            return new Format(magic, ImageIO.getImageReadersByFormatName(name).next().getOriginatingProvider());
        }

        boolean matches(byte[] bytes) {
            if (bytes.length < magic.length) {
                return false;
            }
            for (int i = 0; i < magic.length; i++) {
                if (bytes[i] != magic[i]) {
                    return false;
                }
            }
            return true;
        }
    }
}
