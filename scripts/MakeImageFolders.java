import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Writes image-folder trees (torchvision's ImageFolder layout, OUT/train/CLASS/NNNNN.png and OUT/test/CLASS/...)
 * made from Fashion-MNIST, the one image data set installed on these machines, for tests, docs and benchmarks
 * of training on folders of pictures. Every picture depends only on the seed, the split and its index, so a
 * tree is the same byte for byte however many threads write it. Run it through scripts/make-image-folders.
 */
public final class MakeImageFolders {
    private static final String USAGE = """
            usage: scripts/make-image-folders --out DIR [--kind rgb|colours|photos|gray] [options]
              --out DIR         where to write; must be new or empty
              --kind K          rgb      each item tinted with a random colour on a random coloured background
                                         (the default); classes are the Fashion-MNIST classes
                                colours  the same shapes in --colours K colours of equal luma on black; the class
                                         is the colour, so the pictures converted to gray cannot tell classes apart
                                photos   like rgb, each stretched to a random width and height in
                                         [--min-size, --max-size] (JPEG by default): for --image-size and --resize
                                gray     the Fashion-MNIST pixels as they are, 28x28 gray
              --train N         training pictures (default: all, 60000 from the full set)
              --test N          test pictures (default: all, 10000 from the full set)
              --size N          side of the square pictures, upscaled bilinearly (default 32; 28 for gray)
              --min-size N      smallest photo side (default 40)
              --max-size N      largest photo side (default 160)
              --format F        png, jpg, or cifar for CIFAR-10 binary batches (default png; jpg for photos)
              --quality Q       JPEG quality 1-100 (default 90)
              --colours K       classes of the colours kind, 2-12 (default 6)
              --layout L        split: OUT/train/CLASS and OUT/TEST-NAME/CLASS (the default);
                                classes: one OUT/CLASS tree of the training pictures, for --test-split
              --test-name N     test or val (default test)
              --seed N          seed of the colours and sizes (default 0)
              --source DIR      Fashion-MNIST IDX files (default /usr/share/datasets/fashion-mnist when
                                installed, else the subset embedded in cnn4j: 10000 train, 2000 test)""";
    private static final Path INSTALLED = Path.of("/usr/share/datasets/fashion-mnist");
    private static final Path EMBEDDED = Path.of("cnn4j-core/src/main/resources/io/cnn4j/data/fashion-mnist-subset");
    /** Fashion-MNIST's classes in label order, spelled so that every file system takes them as folder names. */
    private static final List<String> FASHION = List.of("t-shirt_top", "trouser", "pullover", "dress", "coat",
            "sandal", "shirt", "sneaker", "bag", "ankle_boot");
    /** Names of the hues 0, 30, ..., 330 degrees; a colours class is named for the nearest. */
    private static final List<String> HUES = List.of("red", "orange", "yellow", "chartreuse", "green", "spring",
            "cyan", "azure", "blue", "violet", "magenta", "rose");
    /** Luma of every colours class: high enough for vivid colours, low enough for saturated ones. */
    private static final int COLOURS_LUMA = 120;
    /** Smallest luma difference between an rgb item's ink and its background, so the shape stays visible. */
    private static final int MIN_CONTRAST = 70;
    private static final int SIDE = 28;

    private enum Kind { RGB, COLOURS, PHOTOS, GRAY }

    private record Split(String name, String imagesFile, String labelsFile, int index) {
    }

    private static final Split TRAIN = new Split("train", "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", 0);
    private static final Split TEST = new Split("test", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", 1);

    /** Fashion-MNIST items of one split: pixels [n][28*28] and labels. */
    private record Items(byte[][] pixels, byte[] labels) {
    }

    /** One picture: planar uint8 [channels][height*width]. */
    private record Picture(int channels, int height, int width, byte[] data) {
    }

    private Kind kind = Kind.RGB;
    private Path out;
    private int trainCount = -1;
    private int testCount = -1;
    private int size = -1;
    private int minSize = 40;
    private int maxSize = 160;
    private String format;
    private float quality = 0.9f;
    private int colours = 6;
    private boolean classesLayout;
    private String testName = "test";
    private long seed;
    private Path source;
    private int[][][] colourTables;

    public static void main(String[] args) {
        try {
            MakeImageFolders maker = new MakeImageFolders();
            if (maker.parse(args)) {
                maker.run();
            }
        } catch (IllegalArgumentException | IOException | UncheckedIOException e) {
            System.err.println("make-image-folders: " + e.getMessage());
            System.exit(2);
        }
    }

    private boolean parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("-h") || option.equals("--help")) {
                System.out.println(USAGE);
                return false;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value (or is unknown); see --help");
            }
            String value = args[++i];
            switch (option) {
                case "--out" -> out = Path.of(value);
                case "--kind" -> kind = switch (value) {
                    case "rgb" -> Kind.RGB;
                    case "colours", "colors" -> Kind.COLOURS;
                    case "photos" -> Kind.PHOTOS;
                    case "gray", "grey" -> Kind.GRAY;
                    default -> throw new IllegalArgumentException("--kind: expected rgb, colours, photos or gray, got '" + value + "'");
                };
                case "--train" -> trainCount = number(option, value, 1, Integer.MAX_VALUE);
                case "--test" -> testCount = number(option, value, 0, Integer.MAX_VALUE);
                case "--size" -> size = number(option, value, 1, 4096);
                case "--min-size" -> minSize = number(option, value, 1, 4096);
                case "--max-size" -> maxSize = number(option, value, 1, 4096);
                case "--format" -> {
                    if (!List.of("png", "jpg", "cifar").contains(value)) {
                        throw new IllegalArgumentException("--format: expected png, jpg or cifar, got '" + value + "'");
                    }
                    format = value;
                }
                case "--quality" -> quality = number(option, value, 1, 100) / 100f;
                case "--colours", "--colors" -> colours = number(option, value, 2, HUES.size());
                case "--layout" -> {
                    if (!value.equals("split") && !value.equals("classes")) {
                        throw new IllegalArgumentException("--layout: expected split or classes, got '" + value + "'");
                    }
                    classesLayout = value.equals("classes");
                }
                case "--test-name" -> {
                    if (!value.equals("test") && !value.equals("val")) {
                        throw new IllegalArgumentException("--test-name: expected test or val, got '" + value + "'");
                    }
                    testName = value;
                }
                case "--seed" -> seed = Long.parseLong(value);
                case "--source" -> source = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + option + "; see --help");
            }
        }
        if (out == null) {
            throw new IllegalArgumentException("give --out DIR, the folder to write; see --help");
        }
        if (minSize > maxSize) {
            throw new IllegalArgumentException("--min-size " + minSize + " is larger than --max-size " + maxSize);
        }
        if (format == null) {
            format = kind == Kind.PHOTOS ? "jpg" : "png";
        }
        if (size < 0) {
            size = kind == Kind.GRAY ? SIDE : 32;
        }
        if (format.equals("cifar") && (kind == Kind.GRAY || kind == Kind.PHOTOS || size != 32 || classesLayout)) {
            throw new IllegalArgumentException("--format cifar writes 32x32 colour pictures in CIFAR-10's batches: "
                    + "use it with --kind rgb or colours, --size 32 and --layout split");
        }
        return true;
    }

    private static int number(String option, String value, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": expected a whole number, got '" + value + "'");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(option + ": " + n + " is outside " + min + ".." + max);
        }
        return n;
    }

    private void run() throws IOException {
        long start = System.nanoTime();
        Path from = sourceDir();
        requireEmpty(out);
        List<String> classes = kind == Kind.COLOURS ? colourNames() : FASHION;
        if (kind == Kind.COLOURS) {
            colourTables = colourTables();
        }
        Items train = read(from, TRAIN);
        Items test = read(from, TEST);
        int nTrain = count("--train", trainCount, train);
        int nTest = classesLayout ? 0 : count("--test", testCount, test);
        if (format.equals("cifar")) {
            writeCifar(train, nTrain, test, nTest, classes);
        } else if (classesLayout) {
            writeTree(out, train, TRAIN, nTrain, classes);
        } else {
            writeTree(out.resolve("train"), train, TRAIN, nTrain, classes);
            if (nTest > 0) {
                writeTree(out.resolve(testName), test, TEST, nTest, classes);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String shape = kind == Kind.PHOTOS ? minSize + "-" + maxSize + " px" : size + "x" + size;
        System.out.printf(Locale.ROOT, "wrote %d training and %d test pictures (%s, %s, %d classes, %s) to %s in %.1f s%n",
                nTrain, nTest, kind.name().toLowerCase(Locale.ROOT), shape, classes.size(), format, out, seconds);
    }

    private Path sourceDir() {
        if (source != null) {
            return source;
        }
        if (Files.isRegularFile(INSTALLED.resolve(TRAIN.imagesFile()))) {
            return INSTALLED;
        }
        String script = System.getProperty("jdk.launcher.sourcefile");
        Path root = script == null ? Path.of("") : Path.of(script).toAbsolutePath().getParent().getParent();
        return root.resolve(EMBEDDED);
    }

    private static void requireEmpty(Path dir) throws IOException {
        if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("--out " + dir + " is a file, not a folder");
            }
            try (var entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException("--out " + dir + " is not empty; give a new or empty folder");
                }
            }
        }
    }

    private static int count(String option, int wanted, Items items) {
        int available = items.labels().length;
        if (wanted > available) {
            throw new IllegalArgumentException(option + " " + wanted + ": the source holds only " + available
                    + " pictures of that split (the full set is Debian's dataset-fashion-mnist)");
        }
        return wanted < 0 ? available : wanted;
    }

    /** Reads one split's IDX images and labels (gzip-compressed). */
    private static Items read(Path dir, Split split) throws IOException {
        Path images = dir.resolve(split.imagesFile());
        Path labels = dir.resolve(split.labelsFile());
        if (!Files.isRegularFile(images) || !Files.isRegularFile(labels)) {
            throw new IllegalArgumentException("no Fashion-MNIST " + split.name() + " files in " + dir + " ("
                    + split.imagesFile() + ", " + split.labelsFile() + "); give --source DIR");
        }
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(images), 1 << 16))) {
            int magic = in.readInt();
            int n = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (magic != 0x803 || rows != SIDE || cols != SIDE || n < 0) {
                throw new IllegalArgumentException(images + " is not an IDX file of 28x28 images");
            }
            byte[][] pixels = new byte[n][SIDE * SIDE];
            for (byte[] p : pixels) {
                in.readFully(p);
            }
            return new Items(pixels, readLabels(labels, n));
        }
    }

    private static byte[] readLabels(Path path, int n) throws IOException {
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(path)))) {
            if (in.readInt() != 0x801 || in.readInt() != n) {
                throw new IllegalArgumentException(path + " is not an IDX file of " + n + " labels");
            }
            byte[] labels = new byte[n];
            in.readFully(labels);
            return labels;
        }
    }

    private void writeTree(Path root, Items items, Split split, int n, List<String> classes) throws IOException {
        // Only the classes that get pictures: an empty class folder is an error to the tools that read the tree.
        boolean[] present = new boolean[classes.size()];
        for (int i = 0; i < n; i++) {
            present[label(items, i)] = true;
        }
        List<String> missing = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            if (present[c]) {
                Files.createDirectories(root.resolve(classes.get(c)));
            } else {
                missing.add(classes.get(c));
            }
        }
        if (!missing.isEmpty()) {
            System.err.println("make-image-folders: note: the first " + n + " " + split.name() + " pictures hold no "
                    + String.join(", ", missing) + "; ask for more to have every class");
        }
        String pattern = "%0" + Math.max(5, Integer.toString(n - 1).length()) + "d." + format;
        IntStream.range(0, n).parallel().forEach(i -> {
            Picture picture = picture(items, split, i);
            Path file = root.resolve(classes.get(label(items, i))).resolve(String.format(Locale.ROOT, pattern, i));
            try (OutputStream o = Files.newOutputStream(file)) {
                o.write(format.equals("png") ? png(picture) : jpeg(picture, quality));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
            }
        });
    }

    /** The class of item i: its Fashion-MNIST label, or for colours a colour independent of the shape. */
    private int label(Items items, int i) {
        return kind == Kind.COLOURS ? i % colours : items.labels()[i];
    }

    private Picture picture(Items items, Split split, int i) {
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + split.index() * 0x100000000L + i);
        byte[] ink = items.pixels()[i];
        return switch (kind) {
            case GRAY -> new Picture(1, size, size, resize(ink, size, size));
            case COLOURS -> tint(resize(ink, size, size), size, size, colourTables[label(items, i)]);
            case RGB -> tint(resize(ink, size, size), size, size, blend(rng));
            case PHOTOS -> {
                int width = rng.nextInt(minSize, maxSize + 1);
                int height = rng.nextInt(minSize, maxSize + 1);
                yield tint(resize(ink, height, width), height, width, blend(rng));
            }
        };
    }

    /** Bilinear resampling of a 28x28 ink image with pixel centres at half-integers and clamped edges. */
    private static byte[] resize(byte[] ink, int height, int width) {
        if (height == SIDE && width == SIDE) {
            return ink;
        }
        byte[] resized = new byte[height * width];
        for (int y = 0; y < height; y++) {
            double sy = Math.clamp((y + 0.5) * SIDE / height - 0.5, 0, SIDE - 1);
            int y0 = (int) sy;
            int y1 = Math.min(y0 + 1, SIDE - 1);
            double fy = sy - y0;
            for (int x = 0; x < width; x++) {
                double sx = Math.clamp((x + 0.5) * SIDE / width - 0.5, 0, SIDE - 1);
                int x0 = (int) sx;
                int x1 = Math.min(x0 + 1, SIDE - 1);
                double fx = sx - x0;
                double top = at(ink, y0, x0) * (1 - fx) + at(ink, y0, x1) * fx;
                double bottom = at(ink, y1, x0) * (1 - fx) + at(ink, y1, x1) * fx;
                resized[y * width + x] = (byte) Math.round(top * (1 - fy) + bottom * fy);
            }
        }
        return resized;
    }

    private static int at(byte[] ink, int y, int x) {
        return ink[y * SIDE + x] & 0xFF;
    }

    /** RGB of each ink level 0-255: a random background blended into a random ink colour of other luma. */
    private static int[][] blend(SplittableRandom rng) {
        int[] background;
        int[] ink;
        do {
            background = new int[] {rng.nextInt(256), rng.nextInt(256), rng.nextInt(256)};
            ink = new int[] {rng.nextInt(256), rng.nextInt(256), rng.nextInt(256)};
        } while (Math.abs(luma(ink) - luma(background)) < MIN_CONTRAST);
        int[][] table = new int[256][3];
        for (int v = 0; v < 256; v++) {
            for (int c = 0; c < 3; c++) {
                table[v][c] = (int) Math.round(background[c] + (ink[c] - background[c]) * v / 255.0);
            }
        }
        return table;
    }

    private static Picture tint(byte[] ink, int height, int width, int[][] table) {
        int plane = height * width;
        byte[] data = new byte[3 * plane];
        for (int p = 0; p < plane; p++) {
            int[] rgb = table[ink[p] & 0xFF];
            data[p] = (byte) rgb[0];
            data[plane + p] = (byte) rgb[1];
            data[2 * plane + p] = (byte) rgb[2];
        }
        return new Picture(3, height, width, data);
    }

    /** PIL's convert("L"): ITU-R 601-2 luma in 16-bit fixed point, rounded. */
    private static int luma(int[] rgb) {
        return (rgb[0] * 19595 + rgb[1] * 38470 + rgb[2] * 7471 + 0x8000) >> 16;
    }

    private List<String> colourNames() {
        List<String> names = new ArrayList<>();
        for (int k = 0; k < colours; k++) {
            names.add(HUES.get(Math.round(k * (float) HUES.size() / colours) % HUES.size()));
        }
        return names;
    }

    /**
     * For each colours class, the RGB of each ink level: hues evenly spaced around the circle, every level's
     * RGB chosen so that its luma is the same in every class, exactly, as PIL's convert("L") computes it.
     */
    private int[][][] colourTables() {
        int[][][] tables = new int[colours][256][];
        for (int k = 0; k < colours; k++) {
            double[] full = equalLumaColour(360.0 * k / colours);
            for (int v = 0; v < 256; v++) {
                int target = (int) Math.round(COLOURS_LUMA * v / 255.0);
                tables[k][v] = nearestWithLuma(full, v / 255.0, target);
            }
        }
        return tables;
    }

    /** A saturated colour of the given hue whose luma is COLOURS_LUMA: gray plus most of the chroma that fits. */
    private static double[] equalLumaColour(double hue) {
        double h = hue / 60;
        double x = 1 - Math.abs(h % 2 - 1);
        double[] rgb = switch ((int) h) {
            case 0 -> new double[] {1, x, 0};
            case 1 -> new double[] {x, 1, 0};
            case 2 -> new double[] {0, 1, x};
            case 3 -> new double[] {0, x, 1};
            case 4 -> new double[] {x, 0, 1};
            default -> new double[] {1, 0, x};
        };
        double y = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
        double scale = Double.MAX_VALUE;
        for (int c = 0; c < 3; c++) {
            double chroma = rgb[c] - y;
            if (chroma > 0) {
                scale = Math.min(scale, (255 - COLOURS_LUMA) / chroma);
            } else if (chroma < 0) {
                scale = Math.min(scale, COLOURS_LUMA / -chroma);
            }
        }
        double[] colour = new double[3];
        for (int c = 0; c < 3; c++) {
            colour[c] = COLOURS_LUMA + 0.9 * scale * (rgb[c] - y);
        }
        return colour;
    }

    /** The integer RGB nearest to level * colour whose luma is exactly target. */
    private static int[] nearestWithLuma(double[] colour, double level, int target) {
        int[] best = null;
        double bestError = Double.MAX_VALUE;
        int r0 = (int) Math.round(level * colour[0]);
        int g0 = (int) Math.round(level * colour[1]);
        int b0 = (int) Math.round(level * colour[2]);
        for (int r = Math.max(0, r0 - 3); r <= Math.min(255, r0 + 3); r++) {
            for (int g = Math.max(0, g0 - 3); g <= Math.min(255, g0 + 3); g++) {
                for (int b = Math.max(0, b0 - 8); b <= Math.min(255, b0 + 8); b++) {
                    int[] rgb = {r, g, b};
                    double dr = r - level * colour[0];
                    double dg = g - level * colour[1];
                    double db = b - level * colour[2];
                    double error = dr * dr + dg * dg + db * db;
                    if (luma(rgb) == target && error < bestError) {
                        best = rgb;
                        bestError = error;
                    }
                }
            }
        }
        if (best == null) {
            throw new IllegalStateException("no RGB of luma " + target + " near " + level + " x colour");
        }
        return best;
    }

    /** A PNG of 8-bit gray or RGB, rows unfiltered, deflated at the default level. */
    private static byte[] png(Picture p) {
        int width = p.width();
        int plane = p.height() * width;
        byte[] raw = new byte[p.height() * (1 + width * p.channels())];
        int at = 0;
        for (int y = 0; y < p.height(); y++) {
            raw[at++] = 0;
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < p.channels(); c++) {
                    raw[at++] = p.data()[c * plane + y * width + x];
                }
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream(raw.length / 2 + 64);
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteBuffer header = ByteBuffer.allocate(13).putInt(width).putInt(p.height()).put((byte) 8)
                .put((byte) (p.channels() == 1 ? 0 : 2)).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(png, "IHDR", header.array());
        ByteArrayOutputStream deflated = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(deflated, new Deflater(Deflater.DEFAULT_COMPRESSION))) {
            z.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        chunk(png, "IDAT", deflated.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        png.writeBytes(name);
        png.writeBytes(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static byte[] jpeg(Picture p, float quality) {
        int width = p.width();
        int plane = p.height() * width;
        BufferedImage image = new BufferedImage(width, p.height(),
                p.channels() == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        byte[] pixels = new byte[plane * p.channels()];
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < p.channels(); c++) {
                // TYPE_3BYTE_BGR stores each pixel blue first.
                pixels[i * p.channels() + c] = p.data()[(p.channels() - 1 - c) * plane + i];
            }
        }
        image.getRaster().setDataElements(0, 0, width, p.height(), pixels);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(bytes)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /**
     * CIFAR-10's binary layout: data_batch_1.bin ... data_batch_5.bin (the training pictures in five parts),
     * test_batch.bin and batches.meta.txt (class names, one a line); each record a label byte then the red,
     * green and blue planes of a 32x32 picture.
     */
    private void writeCifar(Items train, int nTrain, Items test, int nTest, List<String> classes) throws IOException {
        Files.createDirectories(out);
        Files.writeString(out.resolve("batches.meta.txt"), String.join("\n", classes) + "\n\n");
        int parts = 5;
        for (int b = 0; b < parts; b++) {
            int from = (int) ((long) nTrain * b / parts);
            int to = (int) ((long) nTrain * (b + 1) / parts);
            Files.write(out.resolve("data_batch_" + (b + 1) + ".bin"), cifarRecords(train, TRAIN, from, to));
        }
        Files.write(out.resolve("test_batch.bin"), cifarRecords(test, TEST, 0, nTest));
    }

    private byte[] cifarRecords(Items items, Split split, int from, int to) {
        int record = 1 + 3 * 32 * 32;
        byte[] bytes = new byte[(to - from) * record];
        IntStream.range(from, to).parallel().forEach(i -> {
            int at = (i - from) * record;
            bytes[at] = (byte) label(items, i);
            System.arraycopy(picture(items, split, i).data(), 0, bytes, at + 1, record - 1);
        });
        return bytes;
    }
}
