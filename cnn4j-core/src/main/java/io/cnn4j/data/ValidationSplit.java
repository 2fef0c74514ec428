package io.cnn4j.data;

import io.cnn4j.tensor.Rng;

import java.util.Arrays;

/**
 * A training set with a validation set carved out of it: {@code validationSize} images picked at random
 * (a seeded permutation) for measuring progress and choosing when to stop, the rest to train on. Both
 * keep their images in file order.
 */
public record ValidationSplit(Dataset train, Dataset validation) {

    /** Holds out {@code validationSize} random images of {@code data}, the same ones for the same seed. */
    public static ValidationSplit carve(Dataset data, int validationSize, long seed) {
        if (validationSize < 1 || validationSize >= data.size()) {
            throw new IllegalArgumentException("a validation set of " + validationSize + " images cannot be carved out of"
                    + " dataset '" + data.description() + "' of " + data.size() + ": it needs at least 1 and must leave"
                    + " some to train on");
        }
        int[] order = new Rng(seed).permutation(data.size());
        int[] held = Arrays.copyOfRange(order, 0, validationSize);
        int[] kept = Arrays.copyOfRange(order, validationSize, order.length);
        Arrays.sort(held);
        Arrays.sort(kept);
        String what = data.description();
        return new ValidationSplit(
                data.select(kept, what + " less " + validationSize + " held out for validation"),
                data.select(held, validationSize + " validation images held out of " + what));
    }

    /**
     * How many images a {@code --validation} value means for a set of {@code size}: a whole number is a
     * count, a number below 1 a fraction (rounded to the nearest image).
     */
    public static int size(String spec, int size) {
        double value;
        try {
            value = Double.parseDouble(spec.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("validation size '" + spec + "' must be a number of images or a fraction"
                    + " below 1, e.g. 5000 or 0.1", e);
        }
        if (!(value > 0) || value >= 1 && value != Math.rint(value)) {
            throw new IllegalArgumentException("validation size '" + spec + "' must be a whole number of images or a"
                    + " fraction between 0 and 1, e.g. 5000 or 0.1");
        }
        return value < 1 ? (int) Math.round(value * size) : (int) Math.min(value, Integer.MAX_VALUE);
    }
}
