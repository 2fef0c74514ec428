package io.cnn4j.data;

import io.cnn4j.limits.InputFileException;
import io.cnn4j.limits.TextFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A directory laid out like MNIST: {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte}, each raw or with {@code .gz}
 * (the raw file wins when both are there, as it loads faster). MNIST, Fashion-MNIST and KMNIST all ship
 * this way.
 */
public final class MnistStyle {
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    /** The four files, without {@code .gz}. */
    public static final List<String> FILE_NAMES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);
    /** Optional file of class names, one per line in label order; without it classes are named by number. */
    public static final String CLASS_NAMES_FILE = "classes.txt";
    /** A class names file is a few lines; one larger than this is a mistake. */
    private static final long MAX_CLASS_NAMES_BYTES = 1_000_000;

    private MnistStyle() {
    }

    /** The file for {@code name} in {@code dir}: {@code name} itself or {@code name.gz}, if either exists. */
    public static Optional<Path> find(Path dir, String name) {
        for (String candidate : List.of(name, name + ".gz")) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Whether {@code dir} holds any of the four files. */
    static boolean hasAny(Path dir) {
        return Files.isDirectory(dir) && missing(dir).size() < FILE_NAMES.size();
    }

    /** Whether {@code dir} holds all four files (not whether they are valid). */
    public static boolean isComplete(Path dir) {
        return Files.isDirectory(dir) && missing(dir).isEmpty();
    }

    /**
     * Loads both splits, naming classes from {@code classes.txt} in the directory if there is one and by
     * number ({@code "0"} to {@code "k-1"}, {@code k} one more than the largest label) if not.
     */
    public static DataSplit load(Path dir) throws IOException {
        checkDirectory(dir);
        Path namesFile = dir.resolve(CLASS_NAMES_FILE);
        List<String> names = Files.isRegularFile(namesFile) ? readClassNames(namesFile) : null;
        return load(dir, names, "MNIST-style data");
    }

    /**
     * Loads both splits with the given class names ({@code null}: by number), describing them as
     * {@code "<name> (<dir>, 60000 train images)"} and so on.
     */
    public static DataSplit load(Path dir, List<String> classNames, String name) throws IOException {
        checkDirectory(dir);
        IdxFile trainImages = IdxFile.read(path(dir, TRAIN_IMAGES));
        IdxFile trainLabels = IdxFile.read(path(dir, TRAIN_LABELS));
        IdxFile testImages = IdxFile.read(path(dir, TEST_IMAGES));
        IdxFile testLabels = IdxFile.read(path(dir, TEST_LABELS));
        List<String> names = classNames != null ? classNames : numberedClasses(trainLabels, testLabels);
        String where = name + " (" + dir;
        Dataset train = Dataset.fromIdx(trainImages, trainLabels, names, where + ", " + trainImages.count() + " train images)");
        Dataset test = Dataset.fromIdx(testImages, testLabels, names, where + ", " + testImages.count() + " test images)");
        return new DataSplit(train, test, where + ": " + train.size() + " train, " + test.size() + " test images)");
    }

    private static Path path(Path dir, String name) {
        return find(dir, name).orElseThrow();
    }

    private static void checkDirectory(Path dir) throws DataFileException {
        if (!Files.exists(dir)) {
            throw new DataFileException(dir.toString(), "data directory " + dir + " does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new DataFileException(dir.toString(), dir + " is a file, not a directory of MNIST-style data");
        }
        List<String> missing = missing(dir);
        if (missing.size() == FILE_NAMES.size()) {
            throw new DataFileException(dir.toString(), "data directory " + dir + " holds no MNIST-style data:"
                    + " found none of " + withGz(missing));
        }
        if (!missing.isEmpty()) {
            throw new DataFileException(dir.toString(), "data directory " + dir + " is incomplete: found no "
                    + withGz(missing) + " (looked for each name raw and with .gz)");
        }
    }

    private static String withGz(List<String> names) {
        return String.join(", ", names.stream().map(m -> m + "[.gz]").toList());
    }

    private static List<String> missing(Path dir) {
        List<String> missing = new ArrayList<>();
        for (String name : FILE_NAMES) {
            if (find(dir, name).isEmpty()) {
                missing.add(name);
            }
        }
        return missing;
    }

    /** Class names, one a line (blank lines ignored), from a small text file; an error when it names none. */
    static List<String> readClassNames(Path file) throws DataFileException {
        String text;
        try {
            text = TextFiles.readUtf8(file, "class names file", MAX_CLASS_NAMES_BYTES);
        } catch (IOException e) {
            throw new DataFileException(file.toString(), e instanceof InputFileException ? e.getMessage()
                    : "class names file " + file + " cannot be read: " + DataFileException.reason(e), e);
        }
        List<String> names = text.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (names.isEmpty()) {
            throw new DataFileException(file.toString(), file + " lists no class names");
        }
        return names;
    }

    private static List<String> numberedClasses(IdxFile... labelFiles) {
        int max = -1;
        for (IdxFile f : labelFiles) {
            for (byte b : f.bytes()) {
                max = Math.max(max, b & 0xff);
            }
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c <= max; c++) {
            names.add(Integer.toString(c));
        }
        return names;
    }
}
