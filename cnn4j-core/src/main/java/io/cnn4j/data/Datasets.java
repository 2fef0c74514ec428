package io.cnn4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where training data comes from: Fashion-MNIST embedded in the jar (a subset, so that everything works
 * with no download), the full Fashion-MNIST where it is installed, any MNIST-style directory, and (through
 * {@link #resolve(String, DataOptions)}) CIFAR binaries and folders of pictures. {@link #resolve(String)}
 * turns a command line's {@code --data} value into one of these.
 */
public final class Datasets {
    /** Fashion-MNIST's class names, by label. */
    public static final List<String> FASHION_MNIST_CLASSES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    /** Where Debian's {@code dataset-fashion-mnist} package installs the full set. */
    public static final Path SYSTEM_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");
    /** Environment variable naming a directory that holds the full Fashion-MNIST, instead of the system one. */
    public static final String DATA_ENV = "CNN4J_DATA";
    /** {@link #resolve(String)}'s keyword for the embedded subset. */
    public static final String EMBEDDED = "embedded";
    /** {@link #resolve(String)}'s keyword for the installed full set. */
    public static final String FASHION_MNIST = "fashion-mnist";
    /** {@link #resolve(String, DataOptions)}'s keyword for {@link MovingFashion} clips. */
    public static final String MOVING_FASHION = "moving-fashion";

    private static final String EMBEDDED_RESOURCES = "/io/cnn4j/data/fashion-mnist-subset/";

    private Datasets() {
    }

    /**
     * The data a {@code --data} value names:
     * <ul>
     *   <li>null or blank: the full Fashion-MNIST if {@link #fashionMnistDir()} holds a complete set, else
     *       the embedded subset. When {@code CNN4J_DATA} is set, its directory must hold a complete set:
     *       an error says what is wrong rather than quietly training on the subset;</li>
     *   <li>{@code "embedded"}: the embedded subset (10,000 train and 2,000 test images);</li>
     *   <li>{@code "fashion-mnist"}: the full installed Fashion-MNIST, or an error saying how to get it;</li>
     *   <li>anything else: an MNIST-style directory ({@link MnistStyle#load(Path)}; write {@code ./embedded}
     *       for a directory that happens to be called like a keyword).</li>
     * </ul>
     * {@link DataSplit#description()} says which one it was.
     */
    public static DataSplit resolve(String spec) throws IOException {
        String env = System.getenv(DATA_ENV);
        return resolve(spec, fashionMnistDir(), env != null && !env.isBlank());
    }

    /**
     * {@link #resolve(String)}, and more kinds of directory: one that holds no MNIST-style file is read as
     * CIFAR-10 or CIFAR-100 binaries ({@link Cifar}, also in the folder the archive unpacks into) when it
     * holds them, else as a folder of pictures ({@link ImageFolder}, read as {@code options} say) when it
     * has sub-folders; anything else is an error that lists the layouts accepted. And clips:
     * {@code clips:DIR} is a {@link ClipFolder}; {@code moving-fashion} is {@link MovingFashion}'s clips of
     * {@link DataOptions#frames()} frames (its other options the defaults) made from the pictures that no
     * {@code --data} gives, {@code moving-fashion:SPEC} from those {@code SPEC} names.
     */
    public static DataSplit resolve(String spec, DataOptions options) throws IOException {
        String s = spec == null ? "" : spec.strip();
        if (s.startsWith(ClipFolder.PREFIX)) {
            return ClipFolder.load(Path.of(s.substring(ClipFolder.PREFIX.length())), options);
        }
        if (s.equals(MOVING_FASHION) || s.startsWith(MOVING_FASHION + ":")) {
            DataSplit pictures = resolve(s.substring(Math.min(s.length(), MOVING_FASHION.length() + 1)), options);
            if (pictures.train().isClip()) {
                throw new IllegalArgumentException("'" + s + "' makes moving clips from pictures, but "
                        + pictures.description() + " is clips already");
            }
            return MovingFashion.split(pictures, MovingFashion.Options.DEFAULT.withFrames(options.frames()));
        }
        Path dir = s.isEmpty() || s.equals(EMBEDDED) || s.equals(FASHION_MNIST) ? null : Path.of(s);
        if (dir == null || !Files.isDirectory(dir) || MnistStyle.hasAny(dir) || isSameDirectory(dir, fashionMnistDir())) {
            return resolve(spec);
        }
        Optional<Path> cifar = Cifar.find(dir);
        if (cifar.isPresent()) {
            if (!options.preprocessing().equals(Preprocessing.NONE) && options.progress() != null) {
                options.progress().note("CIFAR binaries are read as they are, 3x32x32 in colour: the preprocessing ("
                        + options.preprocessing().spec() + ") applies to folders of pictures");
            }
            return Cifar.load(cifar.get());
        }
        if (ImageFolder.looksLike(dir)) {
            return ImageFolder.load(dir, options);
        }
        throw new DataFileException(dir.toString(), dir + " holds no data set cnn4j reads; it takes MNIST-style files ("
                + String.join(", ", MnistStyle.FILE_NAMES.stream().map(f -> f + "[.gz]").toList()) + "), CIFAR-10 binaries ("
                + String.join(", ", Cifar.CIFAR10_TRAIN) + ", " + Cifar.CIFAR10_TEST + ", " + Cifar.CIFAR10_NAMES
                + "), CIFAR-100 binaries (" + Cifar.CIFAR100_TRAIN + ", " + Cifar.CIFAR100_TEST + ", "
                + Cifar.CIFAR100_NAMES + "), or folders of pictures (" + dir.resolve("<class>") + "/…, or "
                + dir.resolve("train").resolve("<class>") + "/… with " + dir.resolve("test").resolve("<class>") + "/…)");
    }

    /** {@link #resolve(String)} with the full set looked for in {@code fashionDir}; {@code explicit} if a user chose it. */
    static DataSplit resolve(String spec, Path fashionDir, boolean explicit) throws IOException {
        if (spec == null || spec.isBlank()) {
            if (explicit) {
                // A directory the user chose must not be skipped silently in favour of a sixth of the data.
                try {
                    return fashionMnist(fashionDir);
                } catch (DataFileException e) {
                    throw new DataFileException(e.source(), DATA_ENV + " is set to " + fashionDir + ", but "
                            + e.getMessage() + "; fix it, or unset " + DATA_ENV + " to use the embedded subset", e);
                }
            }
            return MnistStyle.isComplete(fashionDir) ? fashionMnist(fashionDir) : embedded();
        }
        return switch (spec.strip()) {
            case EMBEDDED -> embedded();
            case FASHION_MNIST -> {
                if (!MnistStyle.isComplete(fashionDir)) {
                    throw new DataFileException(fashionDir.toString(), "the full Fashion-MNIST is not installed in "
                            + fashionDir + ": install Debian's dataset-fashion-mnist package, set " + DATA_ENV
                            + " to a directory that holds it, or pass --data DIR");
                }
                yield fashionMnist(fashionDir);
            }
            default -> {
                Path dir = Path.of(spec.strip());
                yield isSameDirectory(dir, fashionDir) ? fashionMnist(dir) : MnistStyle.load(dir);
            }
        };
    }

    /** Where the full Fashion-MNIST is looked for: {@code $CNN4J_DATA} if set, else {@link #SYSTEM_FASHION_MNIST}. */
    public static Path fashionMnistDir() {
        String env = System.getenv(DATA_ENV);
        return env != null && !env.isBlank() ? Path.of(env) : SYSTEM_FASHION_MNIST;
    }

    /** The full Fashion-MNIST from an MNIST-style directory, with its class names. */
    public static DataSplit fashionMnist(Path dir) throws IOException {
        return MnistStyle.load(dir, FASHION_MNIST_CLASSES, "Fashion-MNIST");
    }

    /**
     * The subset of Fashion-MNIST inside cnn4j-core: the first 10,000 training and first 2,000 test images,
     * read from the classpath (so from inside the jar). Provenance and license are in
     * {@code io/cnn4j/data/fashion-mnist-subset/README.md} beside the files.
     */
    public static DataSplit embedded() throws IOException {
        IdxFile trainImages = resource(MnistStyle.TRAIN_IMAGES);
        IdxFile trainLabels = resource(MnistStyle.TRAIN_LABELS);
        IdxFile testImages = resource(MnistStyle.TEST_IMAGES);
        IdxFile testLabels = resource(MnistStyle.TEST_LABELS);
        String name = "Fashion-MNIST (embedded subset";
        Dataset train = Dataset.fromIdx(trainImages, trainLabels, FASHION_MNIST_CLASSES,
                name + ", " + trainImages.count() + " train images)");
        Dataset test = Dataset.fromIdx(testImages, testLabels, FASHION_MNIST_CLASSES,
                name + ", " + testImages.count() + " test images)");
        return new DataSplit(train, test, name + ": " + train.size() + " train, " + test.size() + " test images)");
    }

    private static IdxFile resource(String name) throws IOException {
        String path = EMBEDDED_RESOURCES + name + ".gz";
        InputStream in = Datasets.class.getResourceAsStream(path);
        if (in == null) {
            throw new DataFileException("classpath:" + path, "the embedded Fashion-MNIST subset is missing resource "
                    + path + " from the classpath; the cnn4j-core jar is incomplete");
        }
        return IdxFile.read(in, "classpath:" + path);
    }

    private static boolean isSameDirectory(Path a, Path b) {
        try {
            return Files.isDirectory(a) && Files.isDirectory(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }
}
