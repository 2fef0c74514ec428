package io.cnn4j.nn;

/**
 * Convolution padding: a fixed number of zeros on every edge, or {@code same}, which pads so that a
 * stride-1 convolution keeps the input size (for even kernels the extra row and column go at the
 * bottom and right, as in PyTorch). {@code valid} is {@code Fixed(0)}.
 */
public sealed interface Padding {

    record Fixed(int size) implements Padding {
        public Fixed {
            if (size < 0) {
                throw new IllegalArgumentException("padding must be >= 0, got " + size);
            }
        }

        @Override
        public String toString() {
            return Integer.toString(size);
        }
    }

    record Same() implements Padding {
        @Override
        public String toString() {
            return "'same'";
        }
    }

    static Padding of(int size) {
        return new Fixed(size);
    }

    static Padding same() {
        return new Same();
    }

    static Padding valid() {
        return new Fixed(0);
    }

    /** {@code "same"}, {@code "valid"} or a whole number. */
    static Padding parse(Object value) {
        if (value instanceof Number n) {
            return of(n.intValue());
        }
        String s = String.valueOf(value).trim().toLowerCase(java.util.Locale.ROOT);
        return switch (s) {
            case "same" -> same();
            case "valid" -> valid();
            default -> {
                try {
                    yield of(Integer.parseInt(s));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("padding must be 'same', 'valid' or a whole number, got '" + value + "'");
                }
            }
        };
    }

    /** The value as it appears in a model description: a number, or the word. */
    default Object toConfigValue() {
        return this instanceof Fixed f ? (Object) f.size() : "same";
    }
}
