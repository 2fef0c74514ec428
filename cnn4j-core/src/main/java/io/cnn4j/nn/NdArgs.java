package io.cnn4j.nn;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The settings of 1-D and 3-D layers, one number per axis: read from a description as one number (every axis
 * alike) or one per axis, written back and printed as one number when the axes agree, as PyTorch's
 * {@code kernel_size=3} and {@code kernel_size=(1, 3, 3)}.
 */
final class NdArgs {
    private NdArgs() {
    }

    /** The setting {@code name} of a layer of {@code dims} axes, always one value per axis. */
    static int[] read(LayerConfig c, String name, int dims) {
        return perAxis(c.type(), name, c.intsArg(name), dims);
    }

    /** {@code values} as one per axis: one number repeated, or exactly {@code dims} of them. */
    static int[] perAxis(String type, String name, int[] values, int dims) {
        if (values.length == 1) {
            int[] all = new int[dims];
            Arrays.fill(all, values[0]);
            return all;
        }
        if (values.length != dims) {
            throw new IllegalArgumentException(type + ": " + name + " takes one number" + (dims == 1 ? "" : " or " + dims)
                    + ", got " + Arrays.toString(values));
        }
        return values.clone();
    }

    /** The value a description gives: one number when the axes agree, else the list. */
    static Object value(int[] values) {
        return uniform(values) ? (Object) values[0] : IntStream.of(values).boxed().toList();
    }

    /** As PyTorch prints it: {@code 3}, or {@code (1, 3, 3)}. */
    static String show(int[] values) {
        if (uniform(values)) {
            return Integer.toString(values[0]);
        }
        return "(" + String.join(", ", IntStream.of(values).mapToObj(Integer::toString).toList()) + ")";
    }

    static boolean uniform(int[] values) {
        return IntStream.of(values).allMatch(v -> v == values[0]);
    }

    /** The names of the spatial axes in messages: {@code L} for sequences, {@code D, H, W} for volumes. */
    static String axes(int dims) {
        return switch (dims) {
            case 1 -> "L";
            case 2 -> "H, W";
            default -> "D, H, W";
        };
    }

    /** {@code [N, C, L]} or {@code [N, C, D, H, W]}, for messages. */
    static String inputForm(String channels, int dims) {
        return "[N, " + channels + ", " + axes(dims) + "]";
    }

    /** The spatial sizes of {@code input} as {@code 4x5x6}. */
    static String sizes(List<Integer> dims) {
        return String.join("x", dims.stream().map(String::valueOf).toList());
    }
}
