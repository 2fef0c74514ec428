package io.cnn4j.cli;

import io.cnn4j.data.DataOptions;
import io.cnn4j.data.DataSplit;
import io.cnn4j.data.Datasets;
import io.cnn4j.data.InputSpec;
import io.cnn4j.data.Preprocessing;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Which data a command works on ({@code --data}) and how a folder of pictures is read: the share held out
 * for testing, whether unreadable pictures are skipped, and where decoded pictures are cached.
 */
final class DataChoice {
    /**
     * The test split is carved with this seed whatever the run's {@code --seed}, so that {@code eval} holds out
     * the images {@code train} held out.
     */
    static final long SPLIT_SEED = 0;
    /** Metadata key of a trained model: the share of a single class tree its run held out for testing. */
    static final String TEST_SPLIT_KEY = "cnn4j.test_split";

    @Option(names = "--data", paramLabel = "DIR",
            description = "A folder of pictures (PNG, JPEG, ... files in DIR/train/<class>/ with DIR/test/ or DIR/val/,"
                    + " or one DIR/<class>/ tree split by --test-split), CIFAR-10/100 binary files, an MNIST-style folder"
                    + " (train-images-idx3-ubyte[.gz], ...), 'fashion-mnist' for the installed full set, or 'embedded'"
                    + " for the subset shipped with cnn4j. Default: the full Fashion-MNIST when Debian's"
                    + " dataset-fashion-mnist is installed, else the embedded subset. Video clips: 'clips:DIR' for a folder"
                    + " of clips (DIR/<class>/<clip>.gif or DIR/<class>/<clip>/<frame>.png, or in DIR/train/ and"
                    + " DIR/test/), 'moving-fashion' for clips of a Fashion-MNIST item moving in one of 8 directions,"
                    + " labelled by the direction ('moving-fashion:SPEC' to make them from the pictures SPEC names).")
    String data;

    @Option(names = "--frames", paramLabel = "T",
            description = "The frames of each clip (video data): a longer clip gives T frames evenly spread from its"
                    + " first, a shorter one is refused (default: 8; for eval, the model's).")
    Integer frames;

    @Option(names = "--test-split", paramLabel = "F",
            description = "The share of each class of a single class tree held out for testing, the same images in"
                    + " every run (default: 0.2; for eval, the share the model was trained with).")
    Double testSplit;

    @Option(names = "--skip-unreadable", description = "Leave out (and list) picture files that cannot be decoded, which"
            + " are an error otherwise.")
    boolean skipUnreadable;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Where decoded pictures are cached for later epochs and runs. Default: $CNN4J_CACHE when"
                    + " set, else ~/.cache/cnn4j.")
    Path cacheDir;

    /** Checks the options before anything is read. */
    void validate() {
        if (frames != null) {
            Bounds.between("--frames", frames, 1, InputSpec.MAX_FRAMES);
        }
        if (testSplit != null && !(testSplit > 0 && testSplit < 1)) {
            throw new IllegalArgumentException("--test-split must be a share between 0 and 1 (not either), e.g. 0.2, got "
                    + testSplit);
        }
    }

    /** The test split given, else {@code recorded} (a model's {@link #TEST_SPLIT_KEY}; null: none), else the default. */
    double testSplit(String recorded) {
        if (testSplit != null) {
            return testSplit;
        }
        if (recorded == null) {
            return DataOptions.DEFAULT.testSplit();
        }
        try {
            double share = Double.parseDouble(recorded);
            if (share > 0 && share < 1) {
                return share;
            }
        } catch (NumberFormatException e) {
            // refused below with the key named
        }
        throw new IllegalArgumentException("the model's metadata '" + TEST_SPLIT_KEY + "' is damaged ('"
                + (recorded.length() > 40 ? recorded.substring(0, 40) + "..." : recorded) + "'); give --test-split");
    }

    /**
     * The data, pictures read as {@code preprocessing} says with a progress bar on {@code out}; prints where it
     * came from, and the files left out.
     */
    DataSplit resolve(PrintWriter out, Preprocessing preprocessing, double split) throws IOException {
        return resolve(out, preprocessing, split, null);
    }

    /**
     * {@link #resolve(PrintWriter, Preprocessing, double)} for a model that takes {@code model}'s input: clips of
     * its frames unless {@code --frames} says otherwise.
     */
    DataSplit resolve(PrintWriter out, Preprocessing preprocessing, double split, InputSpec model) throws IOException {
        int t = frames != null ? frames : model != null && model.isClip() ? model.shape().dim(1) : DataOptions.DEFAULT_FRAMES;
        DataSplit resolved;
        try (DecodeProgress progress = DecodeProgress.create(out)) {
            DataOptions options = new DataOptions(preprocessing, split, SPLIT_SEED, skipUnreadable, cacheDir, progress, t);
            resolved = Datasets.resolve(data, options);
        }
        out.printf(Locale.ROOT, "data: %s%n", resolved.description());
        return resolved;
    }
}
