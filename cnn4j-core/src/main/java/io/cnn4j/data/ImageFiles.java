package io.cnn4j.data;

import io.cnn4j.limits.InputFileException;
import io.cnn4j.limits.InputFiles;
import io.cnn4j.tensor.Tensor;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a single image for a model that expects Fashion-MNIST input (for {@code cnn4j predict}):
 * a picture file (any format {@link ImageDecoder} reads) or one image of an IDX file.
 *
 * <p>The image becomes a {@code [1, 1, 28, 28]} tensor in [0, 1], decoded by {@link ImageDecoder}: colour
 * is converted to grayscale as PIL's {@code convert("L")} does, transparent areas are composited over
 * black, and any other size is resized to 28x28 as PIL's bilinear resize does (the aspect ratio is not
 * kept). Each such step is listed in {@link InputImage#notes()}.
 *
 * <p>Fashion-MNIST images are light objects on a black background. A photo of a dark object on a white
 * background is therefore the negative of what the models were trained on; it is <em>not</em> inverted
 * here, because guessing wrongly would ruin a correct image, but a note warns when the border is light.
 *
 * <p>A picture of more than {@link #MAX_PIXELS} pixels (or more than the heap can hold) is refused
 * before it is decoded.
 */
public final class ImageFiles {
    /** Fashion-MNIST's image height and width. */
    public static final int SIZE = 28;
    /** The most pixels a picture may have: 50 megapixels, far more than any model input needs. */
    public static final long MAX_PIXELS = ImageDecoder.MAX_PIXELS;
    private static final Preprocessing FASHION_MNIST = new Preprocessing(ColorMode.GRAY, SIZE, SIZE, ResizeMode.STRETCH);

    private static final Pattern INDEXED = Pattern.compile("(.+)#(\\d+)");

    private ImageFiles() {
    }

    /**
     * Reads {@code spec}: the path of a picture or IDX file, or {@code path#index} for image {@code index}
     * (from 0) of an IDX image file such as {@code t10k-images-idx3-ubyte.gz#17}. A file whose name really
     * ends in {@code #digits} is read as itself.
     */
    public static InputImage read(String spec) throws IOException {
        List<String> notes = new ArrayList<>();
        return finish(picture(spec, FASHION_MNIST, notes), spec, notes);
    }

    /**
     * Reads {@code spec} (a picture file, an IDX file of one image, or {@code path#index}, as {@link #read(String)})
     * into the input of a model that {@code preprocessing} describes: a {@code [1, C, H, W]} tensor in [0, 1],
     * the bytes {@link ImageDecoder#read} makes divided by 255, as a data set's images are. A one-channel IDX
     * image is converted and resized as a gray picture would be.
     */
    public static InputImage read(String spec, Preprocessing preprocessing) throws IOException {
        List<String> notes = new ArrayList<>();
        return toInput(picture(spec, preprocessing, notes), spec, notes);
    }

    /** {@code spec}'s picture: image {@code index} of an IDX file for {@code path#index}, else the file's. */
    private static Picture picture(String spec, Preprocessing preprocessing, List<String> notes) throws IOException {
        Path whole = Path.of(spec);
        Matcher m = INDEXED.matcher(spec);
        if (!Files.exists(whole) && m.matches()) {
            return idxPicture(imageItem(Path.of(m.group(1)), index(spec, m.group(2))), preprocessing, notes);
        }
        return picture(whole, preprocessing, notes);
    }

    /** The picture in a picture file, or in an IDX file that holds exactly one image. */
    private static Picture picture(Path path, Preprocessing preprocessing, List<String> notes) throws IOException {
        try {
            InputFiles.requireRegularFile(path, "image file");
        } catch (InputFileException e) {
            throw new DataFileException(path.toString(), e.getMessage(), e);
        }
        return looksLikeIdx(path) ? idxPicture(onlyImage(path), preprocessing, notes)
                : ImageDecoder.read(path, preprocessing, notes);
    }

    private static int index(String spec, String digits) throws DataFileException {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new DataFileException(spec, "image index in " + spec + " is too large");
        }
    }

    /** Item {@code index} of an IDX file that must hold images. */
    private static IdxFile imageItem(Path path, int index) throws IOException {
        IdxFile item = IdxFile.readItem(path, index);
        requireNotLabels(path, item, "#" + index);
        return item;
    }

    /** An IDX image file that must hold exactly one image. */
    private static IdxFile onlyImage(Path path) throws IOException {
        IdxFile idx = IdxFile.read(path);
        requireNotLabels(path, idx, "#INDEX");
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
        List<String> notes = new ArrayList<>();
        return finish(picture(path, FASHION_MNIST, notes), path.toString(), notes);
    }

    /** Image {@code index} (from 0) of an IDX image file {@code [N, H, W]}, gzip-compressed or not. */
    public static InputImage readIdx(Path path, int index) throws IOException {
        IdxFile item = imageItem(path, index);
        List<String> notes = new ArrayList<>();
        return finish(idxPicture(item, FASHION_MNIST, notes), item.source(), notes);
    }

    /**
     * Refuses an IDX file of rank 1, a list of one number per image such as MNIST's
     * {@code t10k-labels-idx1-ubyte.gz}: the images it labels are in the file of the same name with
     * {@code images} for {@code labels}, which the message names when it is there.
     */
    private static void requireNotLabels(Path path, IdxFile idx, String item) throws DataFileException {
        if (idx.rank() != 1) {
            return;
        }
        String name = path.getFileName().toString();
        String imagesName = name.replace("labels-idx1", "images-idx3").replace("labels", "images");
        Path images = path.resolveSibling(imagesName);
        String advice = !imagesName.equals(name) && Files.isRegularFile(images)
                ? "; the images are probably in " + images + ": name one as " + images + item
                : "; give a picture, or an IDX file of images and " + item;
        throw new DataFileException(path.toString(), path + " is an IDX labels file (one number per image), not"
                + " images" + advice);
    }

    /**
     * Converts a decoded image; {@code source} names it in the result. An image in colours cnn4j cannot read
     * (CMYK) is an {@link IllegalArgumentException}.
     */
    public static InputImage fromImage(BufferedImage image, String source) {
        List<String> notes = new ArrayList<>();
        try {
            return finish(ImageDecoder.prepare(ImageDecoder.pixels(image, source, notes), FASHION_MNIST, notes),
                    source, notes);
        } catch (DataFileException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The one image of {@code idx}, a gray picture, preprocessed by {@code preprocessing}. */
    private static Picture idxPicture(IdxFile idx, Preprocessing preprocessing, List<String> notes) throws DataFileException {
        int[] dims = idx.dims();
        boolean ok = dims.length == 3 || dims.length == 4 && dims[1] == 1;
        if (!ok) {
            throw new DataFileException(idx.source(), idx.source() + " is not a one-channel image file: its IDX"
                    + " dimensions are " + Arrays.toString(dims) + ", expected [N, H, W]");
        }
        int h = dims[dims.length - 2];
        int w = dims[dims.length - 1];
        ImageDecoder.checkSize(idx.source(), w, h);
        return ImageDecoder.prepare(new Picture(Arrays.copyOf(idx.bytes(), h * w), 1, h, w), preprocessing, notes);
    }

    /** Bytes as floats in [0, 1], {@code b / 255f} as a data set makes them. */
    private static float[] scaled(byte[] bytes) {
        float[] values = new float[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            values[i] = (bytes[i] & 0xff) / 255f;
        }
        return values;
    }

    private static InputImage toInput(Picture picture, String source, List<String> notes) {
        Tensor tensor = Tensor.of(scaled(picture.pixels()), 1, picture.channels(), picture.height(), picture.width());
        return new InputImage(tensor, source, notes);
    }

    /** A Fashion-MNIST input, with a note when its border is light (the data set's background is dark). */
    private static InputImage finish(Picture picture, String source, List<String> notes) {
        if (borderMean(scaled(picture.pixels())) > 0.5f) {
            notes.add("the border is light, but Fashion-MNIST is light objects on a dark background:"
                    + " if predictions look wrong, try the inverted image");
        }
        return toInput(picture, source, notes);
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
}
