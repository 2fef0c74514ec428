package io.cnn4j.nn;

import java.util.List;
import java.util.Locale;

/**
 * Convolution padding: a fixed number of zeros on the top and bottom edges and another on the left and
 * right (the same for a square padding), or {@code same}, which pads so that a stride-1 convolution keeps
 * the input size (for even kernels the extra row and column go at the bottom and right, as in PyTorch).
 * {@code valid} is {@code Fixed(0, 0)}.
 */
public sealed interface Padding {

    record Fixed(int height, int width) implements Padding {
        public Fixed {
            if (height < 0 || width < 0) {
                throw new IllegalArgumentException("padding must be >= 0, got " + (height == width ? height
                        : "(" + height + ", " + width + ")"));
            }
        }

        /** Whether the rows and columns are padded alike. */
        public boolean isSquare() {
            return height == width;
        }

        @Override
        public String toString() {
            return isSquare() ? Integer.toString(height) : "(" + height + ", " + width + ")";
        }
    }

    record Same() implements Padding {
        @Override
        public String toString() {
            return "'same'";
        }
    }

    static Padding of(int size) {
        return new Fixed(size, size);
    }

    static Padding of(int height, int width) {
        return new Fixed(height, width);
    }

    static Padding same() {
        return new Same();
    }

    static Padding valid() {
        return of(0);
    }

    /** {@code "same"}, {@code "valid"}, a whole number, or a list of two: the rows' and the columns'. */
    static Padding parse(Object value) {
        if (value instanceof Number n) {
            return of(n.intValue());
        }
        if (value instanceof List<?> l && l.size() == 2 && l.get(0) instanceof Number h && l.get(1) instanceof Number w) {
            return of(h.intValue(), w.intValue());
        }
        String s = String.valueOf(value).trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "same" -> same();
            case "valid" -> valid();
            default -> {
                try {
                    yield of(Integer.parseInt(s));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("padding must be 'same', 'valid', a whole number or a list of two,"
                            + " got '" + value + "'");
                }
            }
        };
    }

    /** The value as it appears in a model description: a number, a list of two, or the word. */
    default Object toConfigValue() {
        if (this instanceof Fixed f) {
            return f.isSquare() ? (Object) f.height() : List.of(f.height(), f.width());
        }
        return "same";
    }
}
