package io.cnn4j.data;

import io.cnn4j.limits.InputFiles;
import io.cnn4j.limits.MemoryBudget;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The binary versions of CIFAR-10 and CIFAR-100, as their archives unpack:
 * <ul>
 *   <li>CIFAR-10 ({@code cifar-10-batches-bin/}): {@code data_batch_1.bin} to {@code data_batch_5.bin} for
 *       training, {@code test_batch.bin} for testing, {@code batches.meta.txt} with the class names, one a
 *       line; each record is a label byte and 3072 pixel bytes;</li>
 *   <li>CIFAR-100 ({@code cifar-100-binary/}): {@code train.bin} and {@code test.bin}, {@code
 *       fine_label_names.txt}; each record is a coarse and a fine label byte and 3072 pixel bytes. The fine
 *       labels (100 classes) are used.</li>
 * </ul>
 * The pixels of a record are a 32x32 red plane, then green, then blue, each row-major: already the
 * {@code [3, 32, 32]} a model takes, so they are read as they are.
 */
public final class Cifar {
    public static final List<String> CIFAR10_TRAIN = List.of(
            "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    public static final String CIFAR10_TEST = "test_batch.bin";
    public static final String CIFAR10_NAMES = "batches.meta.txt";
    public static final String CIFAR100_TRAIN = "train.bin";
    public static final String CIFAR100_TEST = "test.bin";
    public static final String CIFAR100_NAMES = "fine_label_names.txt";
    /** The folders the archives unpack into, looked for inside a folder given one level up. */
    public static final List<String> FOLDERS = List.of("cifar-10-batches-bin", "cifar-100-binary");

    private static final int SIDE = 32;
    private static final int IMAGE = 3 * SIDE * SIDE;

    private Cifar() {
    }

    /** The kinds, by the files that make them. */
    private enum Kind {
        CIFAR10("CIFAR-10", CIFAR10_TRAIN, CIFAR10_TEST, CIFAR10_NAMES, 1),
        CIFAR100("CIFAR-100", List.of(CIFAR100_TRAIN), CIFAR100_TEST, CIFAR100_NAMES, 2);

        final String title;
        final List<String> train;
        final String test;
        final String names;
        /** Label bytes before the pixels; the last of them is the label used. */
        final int labelBytes;

        Kind(String title, List<String> train, String test, String names, int labelBytes) {
            this.title = title;
            this.train = train;
            this.test = test;
            this.names = names;
            this.labelBytes = labelBytes;
        }

        List<String> files() {
            List<String> all = new ArrayList<>(train);
            all.add(test);
            all.add(names);
            return all;
        }

        boolean anyIn(Path dir) {
            return files().stream().anyMatch(f -> Files.isRegularFile(dir.resolve(f)));
        }
    }

    /**
     * The folder of CIFAR binaries {@code dir} names: itself when it holds any CIFAR file, else the one of
     * {@link #FOLDERS} inside it that does; empty when there is none.
     */
    public static Optional<Path> find(Path dir) {
        if (kind(dir).isPresent()) {
            return Optional.of(dir);
        }
        return FOLDERS.stream().map(dir::resolve).filter(d -> kind(d).isPresent()).findFirst();
    }

    private static Optional<Kind> kind(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        return Kind.CIFAR10.anyIn(dir) ? Optional.of(Kind.CIFAR10)
                : Kind.CIFAR100.anyIn(dir) ? Optional.of(Kind.CIFAR100) : Optional.empty();
    }

    /** Both splits of the CIFAR-10 or CIFAR-100 binaries in {@code dir} (or in a folder {@link #find} finds there). */
    public static DataSplit load(Path dir) throws IOException {
        Path folder = find(dir).orElseThrow(() -> new DataFileException(dir.toString(), dir
                + " holds no CIFAR binaries: expected " + String.join(", ", Kind.CIFAR10.files()) + ", or "
                + String.join(", ", Kind.CIFAR100.files())));
        Kind kind = kind(folder).orElseThrow();
        List<String> missing = kind.files().stream().filter(f -> !Files.isRegularFile(folder.resolve(f))).toList();
        if (!missing.isEmpty()) {
            throw new DataFileException(folder.resolve(missing.get(0)).toString(), kind.title + " folder " + folder
                    + " is incomplete: found no " + String.join(", ", missing));
        }
        List<String> names = MnistStyle.readClassNames(folder.resolve(kind.names));
        String where = kind.title + " (" + folder;
        Dataset train = read(kind, folder, kind.train, names, where + ", %d train images)");
        Dataset test = read(kind, folder, List.of(kind.test), names, where + ", %d test images)");
        return new DataSplit(train, test, where + ": " + train.size() + " train, " + test.size() + " test images)");
    }

    /** The records of {@code batches}, in order, as one data set. */
    private static Dataset read(Kind kind, Path folder, List<String> batches, List<String> names, String description)
            throws IOException {
        int record = kind.labelBytes + IMAGE;
        long[] counts = new long[batches.size()];
        long total = 0;
        for (int b = 0; b < batches.size(); b++) {
            Path file = folder.resolve(batches.get(b));
            long size = InputFiles.requireRegularFile(file, kind.title + " batch file");
            if (size == 0 || size % record != 0) {
                throw new DataFileException(file.toString(), file + " is " + size + " bytes, not a whole number of "
                        + record + "-byte " + kind.title + " records (" + kind.labelBytes + " label byte"
                        + (kind.labelBytes == 1 ? "" : "s") + " and " + IMAGE + " pixel bytes each)");
            }
            counts[b] = size / record;
            total += counts[b];
        }
        String what = kind.title + " " + String.join(", ", batches);
        if (total * IMAGE > Integer.MAX_VALUE - 8) {
            throw new DataFileException(folder.toString(), what + " hold " + total + " records, more than "
                    + kind.title + " has and than one Java array holds");
        }
        MemoryBudget.require(total * (IMAGE + Integer.BYTES), "reading " + what + " (" + total + " images)");
        byte[] pixels = new byte[(int) (total * IMAGE)];
        int[] labels = new int[(int) total];
        byte[] buffer = new byte[record];
        int k = 0;
        for (int b = 0; b < batches.size(); b++) {
            Path file = folder.resolve(batches.get(b));
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                for (long r = 0; r < counts[b]; r++, k++) {
                    if (in.readNBytes(buffer, 0, record) != record) {
                        throw new DataFileException(file.toString(), file + " ended at record " + r + " of " + counts[b]
                                + ": it shrank while being read");
                    }
                    int label = buffer[kind.labelBytes - 1] & 0xff;
                    if (label >= names.size()) {
                        throw new DataFileException(file.toString(), file + " has label " + label + " at record " + r
                                + ", beyond the " + names.size() + " classes named in " + folder.resolve(kind.names));
                    }
                    labels[k] = label;
                    System.arraycopy(buffer, kind.labelBytes, pixels, k * IMAGE, IMAGE);
                }
            } catch (DataFileException e) {
                throw e;
            } catch (IOException e) {
                throw new DataFileException(file.toString(), file + " cannot be read: " + DataFileException.reason(e), e);
            }
        }
        return Dataset.over(MemorySegment.ofArray(pixels), labels, 3, SIDE, SIDE, names,
                String.format(Locale.ROOT, description, total));
    }
}
