package io.cnn4j.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How {@link Datasets#resolve(String, DataOptions)} turns a folder of pictures into data: the preprocessing
 * of every picture, the share of a single class tree held out for testing (and the seed of that split),
 * whether unreadable files are skipped (and listed) rather than refused, where decoded pictures are cached
 * (null for the default), who hears how decoding goes (null for no one), and the frames of a clip (T) when
 * the data is clips. MNIST-style and CIFAR folders are read as they are and use only what applies to them.
 */
public record DataOptions(Preprocessing preprocessing, double testSplit, long splitSeed, boolean skipUnreadable,
                          Path cacheDir, LoadProgress progress, int frames) {
    /** The frames of a clip unless told otherwise. */
    public static final int DEFAULT_FRAMES = 8;
    /** Pictures as they are, a fifth held out when there is no test folder, seed 0, nothing skipped, 8 frames. */
    public static final DataOptions DEFAULT = new DataOptions(Preprocessing.NONE, 0.2, 0, false, null, null);

    public DataOptions {
        Objects.requireNonNull(preprocessing, "preprocessing");
        if (!(testSplit > 0 && testSplit < 1)) {
            throw new IllegalArgumentException("test split " + testSplit + " must be a share between 0 and 1, e.g. 0.2");
        }
        if (frames < 1 || frames > InputSpec.MAX_FRAMES) {
            throw new IllegalArgumentException("a clip has from 1 to " + InputSpec.MAX_FRAMES + " frames, got " + frames);
        }
    }

    /** Options for pictures, clips taking {@link #DEFAULT_FRAMES} frames. */
    public DataOptions(Preprocessing preprocessing, double testSplit, long splitSeed, boolean skipUnreadable, Path cacheDir,
                       LoadProgress progress) {
        this(preprocessing, testSplit, splitSeed, skipUnreadable, cacheDir, progress, DEFAULT_FRAMES);
    }

    /** These options with clips of {@code t} frames. */
    public DataOptions withFrames(int t) {
        return new DataOptions(preprocessing, testSplit, splitSeed, skipUnreadable, cacheDir, progress, t);
    }
}
