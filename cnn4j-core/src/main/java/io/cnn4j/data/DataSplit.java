package io.cnn4j.data;

import java.util.Objects;

/**
 * A training set and the test set it is evaluated on, with a one-line description of where both came
 * from for a command-line tool to print, e.g. {@code "Fashion-MNIST (embedded subset: 10000 train, 2000
 * test images)"}.
 */
public record DataSplit(Dataset train, Dataset test, String description) {
    public DataSplit {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(description, "description");
        if (!train.itemShape().equals(test.itemShape()) || !train.classNames().equals(test.classNames())) {
            throw new IllegalArgumentException("train set '" + train.description() + "' (images " + train.itemShape()
                    + ", " + train.numClasses() + " classes) and test set '" + test.description() + "' (images "
                    + test.itemShape() + ", " + test.numClasses() + " classes) do not match");
        }
    }

    /** The first {@code trainSize} training and {@code testSize} test images, for quick runs. */
    public DataSplit subset(int trainSize, int testSize) {
        if (trainSize == train.size() && testSize == test.size()) {
            return this;
        }
        return new DataSplit(train.subset(trainSize), test.subset(testSize), description + ", limited to the first "
                + trainSize + " train and " + testSize + " test images");
    }
}
