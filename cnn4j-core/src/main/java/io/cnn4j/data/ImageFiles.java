package io.cnn4j.data;

import io.cnn4j.limits.InputFileException;
import io.cnn4j.limits.InputFiles;
import io.cnn4j.limits.MemoryBudget;
import io.cnn4j.limits.TooLargeException;
import io.cnn4j.tensor.Tensor;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.Raster;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a single image for a model that expects Fashion-MNIST input (for {@code cnn4j predict}):
 * a picture file (PNG, JPEG or anything else {@link ImageIO} reads) or one image of an IDX file.
 *
 * <p>The image becomes a {@code [1, 1, 28, 28]} tensor in [0, 1]: colour is converted to grayscale by
 * luma ({@code 0.299 R + 0.587 G + 0.114 B}, as PIL's {@code convert("L")}), transparent areas are
 * composited over black, and any other size is resized to 28x28 (see {@link Resample}; the aspect ratio is
 * not kept). Each such step is listed in {@link InputImage#notes()}.
 *
 * <p>Fashion-MNIST images are light objects on a black background. A photo of a dark object on a white
 * background is therefore the negative of what the models were trained on; it is <em>not</em> inverted
 * here, because guessing wrongly would ruin a correct image, but a note warns when the border is light.
 *
 * <p>A picture's size is read from its header before it is decoded, and one of more than
 * {@link #MAX_PIXELS} pixels (or more than the heap can hold) is refused: a small, highly compressed file
 * can declare a huge image.
 */
public final class ImageFiles {
    /** Fashion-MNIST's image height and width. */
    public static final int SIZE = 28;
    /** The most pixels a picture may have: 50 megapixels, far more than any model input needs. */
    public static final long MAX_PIXELS = 50_000_000;
    /** Decoding takes up to this much per pixel: 16-bit RGBA samples, then ARGB ints, then gray floats. */
    private static final long BYTES_PER_PIXEL = 16;

    private static final Pattern INDEXED = Pattern.compile("(.+)#(\\d+)");

    private ImageFiles() {
    }

    /**
     * Reads {@code spec}: the path of a picture or IDX file, or {@code path#index} for image {@code index}
     * (from 0) of an IDX image file such as {@code t10k-images-idx3-ubyte.gz#17}. A file whose name really
     * ends in {@code #digits} is read as itself.
     */
    public static InputImage read(String spec) throws IOException {
        Path whole = Path.of(spec);
        Matcher m = INDEXED.matcher(spec);
        if (!Files.exists(whole) && m.matches()) {
            return readIdx(Path.of(m.group(1)), index(spec, m.group(2)));
        }
        return read(whole);
    }

    /**
     * Reads {@code spec} (a picture file, an IDX file of one image, or {@code path#index}, as {@link #read(String)})
     * into the input of a model that {@code preprocessing} describes: a {@code [1, C, H, W]} tensor in [0, 1],
     * the bytes {@link ImageDecoder#read} makes divided by 255, as a data set's images are. A one-channel IDX
     * image is taken as it is (copied to three channels for a colour model) and must already have the size.
     */
    public static InputImage read(String spec, Preprocessing preprocessing) throws IOException {
        Picture picture = picture(spec, preprocessing);
        Tensor tensor = Tensor.of(scaled(picture.pixels()), 1, picture.channels(), picture.height(), picture.width());
        return new InputImage(tensor, spec, List.of());
    }

    private static Picture picture(String spec, Preprocessing preprocessing) throws IOException {
        Path whole = Path.of(spec);
        Matcher m = INDEXED.matcher(spec);
        if (!Files.exists(whole) && m.matches()) {
            return idxPicture(IdxFile.readItem(Path.of(m.group(1)), index(spec, m.group(2))), preprocessing);
        }
        try {
            InputFiles.requireRegularFile(whole, "image file");
        } catch (InputFileException e) {
            throw new DataFileException(spec, e.getMessage(), e);
        }
        return looksLikeIdx(whole) ? idxPicture(onlyImage(whole), preprocessing) : ImageDecoder.read(whole, preprocessing);
    }

    /** The one image of {@code idx}, gray, copied to three channels when {@code preprocessing} asks for colour. */
    private static Picture idxPicture(IdxFile idx, Preprocessing preprocessing) throws DataFileException {
        int[] dims = idx.dims();
        if (dims.length != 3 && !(dims.length == 4 && dims[1] == 1)) {
            throw new DataFileException(idx.source(), idx.source() + " is not a one-channel image file: its IDX"
                    + " dimensions are " + Arrays.toString(dims) + ", expected [N, H, W]");
        }
        int h = dims[dims.length - 2];
        int w = dims[dims.length - 1];
        checkSize(idx.source(), w, h);
        if (preprocessing.resizes() && (h != preprocessing.height() || w != preprocessing.width())) {
            throw new DataFileException(idx.source(), idx.source() + " holds " + h + "x" + w + " images, but the model"
                    + " takes " + preprocessing.height() + "x" + preprocessing.width() + " and IDX images are not resized");
        }
        byte[] gray = Arrays.copyOf(idx.bytes(), h * w);
        if (preprocessing.color() != ColorMode.RGB) {
            return new Picture(gray, 1, h, w);
        }
        byte[] rgb = new byte[3 * h * w];
        for (int c = 0; c < 3; c++) {
            System.arraycopy(gray, 0, rgb, c * h * w, h * w);
        }
        return new Picture(rgb, 3, h, w);
    }

    private static int index(String spec, String digits) throws DataFileException {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new DataFileException(spec, "image index in " + spec + " is too large");
        }
    }

    /** An IDX image file that must hold exactly one image. */
    private static IdxFile onlyImage(Path path) throws IOException {
        IdxFile idx = IdxFile.read(path);
        if (idx.count() != 1) {
            throw new DataFileException(path.toString(), path + " is an IDX file of " + idx.count()
                    + " images; name one as " + path + "#INDEX (0 to " + (idx.count() - 1) + ")");
        }
        return idx;
    }

    /**
     * Reads a picture file, or an IDX image file that holds exactly one image. The format is recognised
     * from the content, not the name.
     */
    public static InputImage read(Path path) throws IOException {
        String source = path.toString();
        try {
            InputFiles.requireRegularFile(path, "image file");
        } catch (InputFileException e) {
            throw new DataFileException(source, e.getMessage(), e);
        }
        if (looksLikeIdx(path)) {
            return fromIdx(onlyImage(path));
        }
        return fromImage(decode(path, source), source);
    }

    /** Image {@code index} (from 0) of an IDX image file {@code [N, H, W]}, gzip-compressed or not. */
    public static InputImage readIdx(Path path, int index) throws IOException {
        return fromIdx(IdxFile.readItem(path, index));
    }

    /** Converts a decoded image; {@code source} names it in the result. */
    public static InputImage fromImage(BufferedImage image, String source) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[] gray = new float[w * h];
        List<String> notes = new ArrayList<>();
        ColorModel cm = image.getColorModel();
        boolean transparent;
        if (cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && cm.getNumColorComponents() == 1) {
            // Read the samples themselves: getRGB() would push linear gray through an sRGB conversion and
            // change every value.
            transparent = grayFromRaster(image.getRaster(), cm, gray);
        } else {
            boolean[] colour = new boolean[1];
            transparent = grayFromRgb(image, gray, colour);
            if (colour[0]) {
                notes.add("converted colour to grayscale (luma 0.299 R + 0.587 G + 0.114 B)");
            }
        }
        if (transparent) {
            notes.add("composited transparent areas over black");
        }
        return finish(gray, h, w, source, notes);
    }

    /**
     * Decodes the first image of a picture file as {@link ImageIO#read} would, after reading its size from
     * the header alone and refusing one too large to decode.
     */
    private static BufferedImage decode(Path path, String source) throws DataFileException {
        try (ImageInputStream in = ImageIO.createImageInputStream(path.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new DataFileException(source, source + " is not an image in a format this Java can read ("
                        + String.join(", ", formats()) + ") nor an IDX file");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                checkSize(source, reader.getWidth(0), reader.getHeight(0));
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (DataFileException e) {
            throw e;
        } catch (EOFException e) {
            throw new DataFileException(source, source + " is truncated: it ends before its image data does", e);
        } catch (IOException | RuntimeException e) {
            throw new DataFileException(source, source + " cannot be decoded as an image: "
                    + DataFileException.reason(e), e);
        }
    }

    /** Refuses an image of more than {@link #MAX_PIXELS} pixels, or more than the heap can decode. */
    private static void checkSize(String source, int w, int h) throws DataFileException {
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

    private static InputImage fromIdx(IdxFile idx) throws DataFileException {
        Picture picture = idxPicture(idx, Preprocessing.NONE);
        return finish(scaled(picture.pixels()), picture.height(), picture.width(), idx.source(), new ArrayList<>());
    }

    /** Bytes as floats in [0, 1], {@code b / 255f} as a data set makes them. */
    private static float[] scaled(byte[] bytes) {
        float[] values = new float[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            values[i] = (bytes[i] & 0xff) / 255f;
        }
        return values;
    }

    private static InputImage finish(float[] gray, int h, int w, String source, List<String> notes) {
        float[] pixels = gray;
        if (h != SIZE || w != SIZE) {
            String how = h >= SIZE && w >= SIZE ? "area averaging" : h <= SIZE && w <= SIZE ? "bilinear interpolation"
                    : "area averaging and bilinear interpolation";
            pixels = Resample.resize(gray, h, w, SIZE, SIZE);
            notes.add("resized " + w + "x" + h + " to " + SIZE + "x" + SIZE + " by " + how
                    + (h != w ? ", stretching it to a square" : ""));
        }
        if (borderMean(pixels) > 0.5f) {
            notes.add("the border is light, but Fashion-MNIST is light objects on a dark background:"
                    + " if predictions look wrong, try the inverted image");
        }
        return new InputImage(Tensor.of(pixels, 1, 1, SIZE, SIZE), source, notes);
    }

    /** Fills {@code gray} from a one-band gray raster (plus alpha, if any); true if any pixel is not opaque. */
    private static boolean grayFromRaster(Raster raster, ColorModel cm, float[] gray) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        float max = (1 << cm.getComponentSize(0)) - 1;
        boolean alpha = cm.hasAlpha() && raster.getNumBands() > 1;
        float alphaMax = alpha ? (1 << cm.getComponentSize(1)) - 1 : 1;
        boolean transparent = false;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float v = raster.getSample(x, y, 0) / max;
                if (alpha) {
                    float a = raster.getSample(x, y, 1) / alphaMax;
                    transparent |= a < 1;
                    v *= a;
                }
                gray[y * w + x] = v;
            }
        }
        return transparent;
    }

    /** Fills {@code gray} by luma from sRGB; sets {@code colour[0]} if any pixel is not gray. */
    private static boolean grayFromRgb(BufferedImage image, float[] gray, boolean[] colour) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        boolean transparent = false;
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            int a = p >>> 24;
            int r = p >>> 16 & 0xff;
            int g = p >>> 8 & 0xff;
            int b = p & 0xff;
            colour[0] |= r != g || g != b;
            float v = r == g && g == b ? r / 255f : (0.299f * r + 0.587f * g + 0.114f * b) / 255f;
            if (a < 255) {
                transparent = true;
                v *= a / 255f;
            }
            gray[i] = v;
        }
        return transparent;
    }

    private static float borderMean(float[] p) {
        float sum = 0;
        for (int i = 0; i < SIZE; i++) {
            sum += p[i] + p[(SIZE - 1) * SIZE + i] + p[i * SIZE] + p[i * SIZE + SIZE - 1];
        }
        return sum / (4 * SIZE);
    }

    /**
     * IDX files start with gzip's magic (when compressed) or two zero bytes and an IDX type code; the
     * picture formats ImageIO reads start otherwise.
     */
    private static boolean looksLikeIdx(Path path) throws DataFileException {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] b = in.readNBytes(3);
            if (b.length >= 2 && b[0] == 0x1f && (b[1] & 0xff) == 0x8b) {
                return true;
            }
            return b.length == 3 && b[0] == 0 && b[1] == 0 && b[2] >= 0x08 && b[2] <= 0x0E;
        } catch (IOException e) {
            throw new DataFileException(path.toString(), path + " cannot be read: " + DataFileException.reason(e), e);
        }
    }

    private static List<String> formats() {
        TreeSet<String> names = new TreeSet<>();
        for (String f : ImageIO.getReaderFormatNames()) {
            names.add(f.toUpperCase(Locale.ROOT));
        }
        return List.copyOf(names);
    }
}
