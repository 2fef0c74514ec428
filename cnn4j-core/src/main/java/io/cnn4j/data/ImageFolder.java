package io.cnn4j.data;

import io.cnn4j.tensor.Rng;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * A data set of picture files in folders, one folder per class, read by torchvision's {@code ImageFolder}
 * rules so that sample <i>i</i> is the same picture in both tools:
 * <ul>
 *   <li>the classes are the sub-folders' names, sorted, and a class's label is its place in that order;</li>
 *   <li>within a class folder, folders are visited in the order of Python's {@code sorted(os.walk(folder,
 *       followlinks=True))} (by path, so {@code a-b/} comes before {@code a/b/}), and the files of each in
 *       sorted name order; strings sort by code point, as Python's do;</li>
 *   <li>a file is a picture when its name ends, in any case, in {@code .png .jpg .jpeg .bmp .gif .ppm .pgm
 *       .tif .tiff}; other files are ignored;</li>
 *   <li>symbolic links to folders and files are followed (a link back to a folder being walked is not).</li>
 * </ul>
 * Unlike torchvision, hidden files and folders (whose names start with {@code .}) are skipped, GIF is read
 * (WebP is not), and a set whose pictures are all gray stays one channel unless {@link Preprocessing#color()}
 * asks for RGB (torchvision's loader makes every picture RGB); a gray picture in a set with colour ones is
 * replicated into three channels. Every picture must have the size of the first readable one unless the
 * preprocessing resizes.
 *
 * <p>Two layouts: {@code DIR/train/<class>/…} with a test set in {@code DIR/test/<class>/…} (or, when there
 * is no {@code test}, {@code DIR/val/<class>/…}), whose classes must be the training classes; or a single
 * {@code DIR/<class>/…} tree (or {@code DIR/train/} alone), from which a test set is carved: for each class
 * in label order, its readable pictures in sample order are shuffled by a generator seeded with
 * {@link DataOptions#splitSeed()} and drawn on from class to class, and the first
 * {@code round(testSplit * count)} (at least 1 and at most {@code count - 1}; none for a class of one
 * picture) go to the test set. Both sets keep sample order.
 *
 * <p>Pictures are decoded once, in parallel, into a cache file that later loads map instead of decoding
 * (see {@link #cacheDir(DataOptions)}).
 */
public final class ImageFolder {
    /** The file name endings read as pictures, in lower case. */
    public static final List<String> EXTENSIONS = List.of("png", "jpg", "jpeg", "bmp", "gif", "ppm", "pgm", "tif", "tiff");
    /** Environment variable naming the folder decoded pictures are cached in. */
    public static final String CACHE_ENV = "CNN4J_CACHE";

    /** Python's string order: by code point, which differs from {@link String#compareTo} beyond the BMP. */
    static final Comparator<String> CODE_POINT_ORDER = ImageFolder::compareCodePoints;

    private ImageFolder() {
    }

    /**
     * Where decoded pictures are cached: {@link DataOptions#cacheDir()} when given, else {@code $CNN4J_CACHE}
     * when set, else {@code ~/.cache/cnn4j}.
     */
    public static Path cacheDir(DataOptions options) {
        if (options.cacheDir() != null) {
            return options.cacheDir();
        }
        String env = System.getenv(CACHE_ENV);
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "cnn4j");
    }

    /** Whether {@code dir} could be a folder of pictures: it has a sub-folder that is not hidden. */
    public static boolean looksLike(Path dir) {
        try {
            return !subfolders(dir).isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads the pictures in {@code dir} as its layout and {@code options} say. */
    public static DataSplit load(Path dir, DataOptions options) throws IOException {
        Layout layout = Layout.of(dir, "data directory " + dir + " does not exist", dir + " is a file, not a folder of pictures");
        Path trainDir = layout.classRoot();
        Path testDir = layout.testDir();
        List<String> classes = layout.classes();
        List<PictureFile> files = new ArrayList<>(pictures(dir, trainDir, classes));
        int trainCount = files.size();
        if (testDir != null) {
            files.addAll(pictures(dir, testDir, classes));
        }
        PictureCache.Pictures pictures = PictureCache.load(dir, files, classes, options);
        Dataset all = pictures.data();
        boolean[] test = new boolean[all.size()];
        if (testDir != null) {
            for (int i = 0; i < test.length; i++) {
                test[i] = pictures.entries()[i] >= trainCount;
            }
        } else {
            carve(all.labels(), classes.size(), options.testSplit(), options.splitSeed(), test);
        }
        int[] trainIndices = IntStream.range(0, test.length).filter(i -> !test[i]).toArray();
        int[] testIndices = IntStream.range(0, test.length).filter(i -> test[i]).toArray();
        if (trainIndices.length == 0 || testIndices.length == 0) {
            String role = trainIndices.length == 0 ? "training" : "testing";
            Path where = testDir == null ? dir : trainIndices.length == 0 ? trainDir : testDir;
            throw new DataFileException(where.toString(), where + " leaves no readable pictures for " + role
                    + (testDir == null && testIndices.length == 0 ? ": each class keeps its only picture for training;"
                    + " add pictures, or a test folder" : ""));
        }
        String source = testDir != null ? "" : ", " + testIndices.length + " held out for testing";
        String where = "pictures (" + dir;
        Dataset train = all.select(trainIndices, where + ", " + trainIndices.length + " train images)");
        Dataset testSet = all.select(testIndices, where + ", " + testIndices.length + " test images)");
        return new DataSplit(train, testSet, where + ": " + train.size() + " train, " + testSet.size() + " test images of "
                + train.imageShape() + source + ")");
    }

    /**
     * Where a folder's classes are: {@code DIR/train/} with {@code DIR/test/} (or {@code DIR/val/}), whose
     * class folders must be the same, or {@code DIR/train/} alone, or {@code DIR} itself (no test folder).
     */
    record Layout(Path classRoot, Path testDir, List<String> classes) {
        /** The layout of {@code dir}, or an error: {@code missing} when it does not exist, {@code file} when it is a file. */
        static Layout of(Path dir, String missing, String file) throws IOException {
            if (!Files.isDirectory(dir)) {
                throw new DataFileException(dir.toString(), Files.exists(dir) ? file : missing);
            }
            Path trainDir = dir.resolve("train");
            boolean hasTrain = Files.isDirectory(trainDir);
            Path testDir = !hasTrain ? null : Files.isDirectory(dir.resolve("test")) ? dir.resolve("test")
                    : Files.isDirectory(dir.resolve("val")) ? dir.resolve("val") : null;
            Path classRoot = hasTrain ? trainDir : dir;
            List<String> classes = ImageFolder.classes(classRoot);
            if (testDir != null) {
                List<String> testClasses = ImageFolder.classes(testDir);
                if (!testClasses.equals(classes)) {
                    throw mismatch(testDir, testClasses, trainDir, classes);
                }
            }
            return new Layout(classRoot, testDir, classes);
        }
    }

    /** Marks the pictures of each class (by their labels) that the seeded, stratified split sends to the test set. */
    static void carve(int[] labels, int classCount, double share, long seed, boolean[] test) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classCount; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            byClass.get(labels[i]).add(i);
        }
        Rng rng = new Rng(seed);
        for (List<Integer> members : byClass) {
            int count = members.size();
            if (count < 2) {
                continue;
            }
            int held = (int) Math.min(Math.max(Math.round(share * count), 1), count - 1);
            int[] order = rng.permutation(count);
            for (int k = 0; k < held; k++) {
                test[members.get(order[k])] = true;
            }
        }
    }

    /** The class folders of {@code root}, sorted; at least two, or an error naming {@code root}. */
    private static List<String> classes(Path root) throws IOException {
        List<String> classes = subfolders(root);
        if (classes.isEmpty()) {
            throw new DataFileException(root.toString(), root + " holds no class folders: put the pictures of each class"
                    + " in a folder of its own, " + root.resolve("<class>") + "/");
        }
        if (classes.size() == 1) {
            throw new DataFileException(root.toString(), root + " has a single class folder, '" + classes.get(0)
                    + "': a classifier needs the pictures of at least two classes, one folder each");
        }
        return classes;
    }

    private static List<String> subfolders(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        for (Path p : list(dir)) {
            String name = p.getFileName().toString();
            if (!name.startsWith(".") && Files.isDirectory(p)) {
                names.add(name);
            }
        }
        names.sort(CODE_POINT_ORDER);
        return names;
    }

    private static DataFileException mismatch(Path testDir, List<String> testClasses, Path trainDir, List<String> classes) {
        List<String> lacking = classes.stream().filter(c -> !testClasses.contains(c)).toList();
        List<String> extra = testClasses.stream().filter(c -> !classes.contains(c)).toList();
        String what = (lacking.isEmpty() ? "" : "lacks " + String.join(", ", lacking))
                + (lacking.isEmpty() || extra.isEmpty() ? "" : " and ")
                + (extra.isEmpty() ? "" : "has " + String.join(", ", extra) + ", which " + trainDir + " lacks");
        return new DataFileException(testDir.toString(), testDir + " must hold the same class folders as " + trainDir
                + ", but it " + what);
    }

    /** The pictures of every class under {@code classRoot}, in torchvision's order, or an error naming empty classes. */
    private static List<PictureFile> pictures(Path dir, Path classRoot, List<String> classes) throws IOException {
        List<PictureFile> files = new ArrayList<>();
        List<String> empty = new ArrayList<>();
        for (int label = 0; label < classes.size(); label++) {
            Path classDir = classRoot.resolve(classes.get(label));
            int before = files.size();
            TreeMap<String, List<PictureFile>> folders = new TreeMap<>(CODE_POINT_ORDER);
            walk(dir, classDir, "", label, new ArrayDeque<>(), folders);
            folders.values().forEach(files::addAll);
            if (files.size() == before) {
                empty.add(classDir.toString());
            }
        }
        if (!empty.isEmpty()) {
            String kinds = String.join(", ", EXTENSIONS.subList(0, EXTENSIONS.size() - 1)) + " or "
                    + EXTENSIONS.getLast();
            throw new DataFileException(empty.get(0), (empty.size() == 1 ? "class folder " + empty.get(0) + " holds"
                    : "class folders " + String.join(", ", empty) + " hold") + " no pictures (" + kinds + " files)");
        }
        return files;
    }

    /**
     * Adds the pictures directly in {@code folder}, sorted by name, under the key {@code path} (its path
     * relative to the class folder), then does the same for every folder below it, following links to
     * folders except those that lead back to one being walked. Each entry is looked at once, a link followed.
     */
    private static void walk(Path dir, Path folder, String path, int label, Deque<Path> walking,
                             TreeMap<String, List<PictureFile>> out) throws IOException {
        Path real = folder.toRealPath();
        if (walking.contains(real)) {
            return;
        }
        walking.push(real);
        TreeMap<String, PictureFile> pictures = new TreeMap<>(CODE_POINT_ORDER);
        List<Path> subfolders = new ArrayList<>();
        for (Path p : list(folder)) {
            String name = p.getFileName().toString();
            if (name.startsWith(".")) {
                continue;
            }
            BasicFileAttributes a = null;
            try {
                a = Files.readAttributes(p, BasicFileAttributes.class);
            } catch (IOException e) {
                // A broken link or an unreadable entry may still be a picture file; decoding says what is wrong.
            }
            if (a != null && a.isDirectory()) {
                subfolders.add(p);
            } else if (isPictureName(name)) {
                pictures.put(name, new PictureFile(p, relative(dir, p), label, a == null ? -1 : a.size(),
                        a == null ? 0 : a.lastModifiedTime().to(TimeUnit.NANOSECONDS)));
            }
        }
        out.put(path, List.copyOf(pictures.values()));
        for (Path p : subfolders) {
            String name = p.getFileName().toString();
            walk(dir, p, path.isEmpty() ? name : path + "/" + name, label, walking, out);
        }
        walking.pop();
    }

    static boolean isPictureName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        int dot = lower.lastIndexOf('.');
        return dot >= 0 && EXTENSIONS.contains(lower.substring(dot + 1));
    }

    static List<Path> list(Path folder) throws IOException {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder)) {
            stream.forEach(entries::add);
        } catch (IOException e) {
            throw new DataFileException(folder.toString(), "folder " + folder + " cannot be listed: "
                    + DataFileException.reason(e), e);
        }
        return entries;
    }

    private static String relative(Path dir, Path file) {
        List<String> parts = new ArrayList<>();
        for (Path part : dir.relativize(file)) {
            parts.add(part.toString());
        }
        return String.join("/", parts);
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}
