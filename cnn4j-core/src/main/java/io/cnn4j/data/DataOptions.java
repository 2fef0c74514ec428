package io.cnn4j.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How {@link Datasets#resolve(String, DataOptions)} turns a folder of pictures into data: the preprocessing
 * of every picture, the share of a single class tree held out for testing (and the seed of that split),
 * whether unreadable files are skipped (and listed) rather than refused, where decoded pictures are cached
 * (null for the default), and who hears how decoding goes (null for no one). MNIST-style and CIFAR folders
 * are read as they are and use only what applies to them.
 */
public record DataOptions(Preprocessing preprocessing, double testSplit, long splitSeed, boolean skipUnreadable,
                          Path cacheDir, LoadProgress progress) {
    /** Pictures as they are, a fifth held out when there is no test folder, seed 0, nothing skipped. */
    public static final DataOptions DEFAULT = new DataOptions(Preprocessing.NONE, 0.2, 0, false, null, null);

    public DataOptions {
        Objects.requireNonNull(preprocessing, "preprocessing");
        if (!(testSplit > 0 && testSplit < 1)) {
            throw new IllegalArgumentException("test split " + testSplit + " must be a share between 0 and 1, e.g. 0.2");
        }
    }
}
