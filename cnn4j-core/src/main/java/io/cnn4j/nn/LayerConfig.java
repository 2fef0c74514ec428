package io.cnn4j.nn;

import java.util.LinkedHashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A layer's type and constructor arguments, without weights: the architecture half of a saved model.
 * Argument values are numbers, booleans, strings or lists of them; {@code children} holds the layers of
 * a container, in order. {@link LayerRegistry#build} turns it back into a module. The accessors read an
 * argument as the kind its {@link LayerType} declares, and refuse a value of another kind.
 */
public record LayerConfig(String type, Map<String, Object> args, List<LayerConfig> children) {

    public LayerConfig {
        Objects.requireNonNull(type, "type");
        args = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(args));
        children = List.copyOf(children);
    }

    public static LayerConfig of(String type) {
        return new LayerConfig(type, Map.of(), List.of());
    }

    /** A config with the given arguments, as alternating names and values. */
    public static LayerConfig of(String type, Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("LayerConfig.of needs name/value pairs");
        }
        Map<String, Object> args = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            args.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return new LayerConfig(type, args, List.of());
    }

    public int intArg(String name, int defaultValue) {
        Object v = args.get(name);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.intValue();
        }
        throw badArg(name, v, "a whole number");
    }

    public int intArg(String name) {
        requirePresent(name);
        return intArg(name, 0);
    }

    public double doubleArg(String name) {
        if (requirePresent(name) instanceof Number n) {
            return n.doubleValue();
        }
        throw badArg(name, args.get(name), "a number");
    }

    public boolean boolArg(String name) {
        if (requirePresent(name) instanceof Boolean b) {
            return b;
        }
        throw badArg(name, args.get(name), "true or false");
    }

    /** A {@link LayerType.Kind#SIZES} argument: one size, or a list of them. */
    public int[] intsArg(String name) {
        Object v = requirePresent(name);
        if (v instanceof Integer i) {
            return new int[] {i};
        }
        if (v instanceof List<?> l && !l.isEmpty() && l.stream().allMatch(Integer.class::isInstance)) {
            return l.stream().mapToInt(Integer.class::cast).toArray();
        }
        throw badArg(name, v, "a whole number or a list of whole numbers");
    }

    /**
     * A 2-D setting given as one number (for the rows and the columns alike) or two (rows, columns), as
     * PyTorch's {@code kernel_size=3} or {@code kernel_size=(1, 3)}: always the two.
     */
    public int[] pairArg(String name) {
        int[] values = intsArg(name);
        if (values.length == 1) {
            return new int[] {values[0], values[0]};
        }
        if (values.length != 2) {
            throw new IllegalArgumentException(type + ": " + name + " takes one number or two (rows, columns), got "
                    + Arrays.toString(values));
        }
        return values;
    }

    public String stringArg(String name) {
        if (requirePresent(name) instanceof String s) {
            return s;
        }
        throw badArg(name, args.get(name), "a string");
    }

    /** The argument as given (a number or a string). */
    public Object arg(String name) {
        return requirePresent(name);
    }

    private Object requirePresent(String name) {
        if (!args.containsKey(name)) {
            throw new IllegalArgumentException(type + ": missing argument '" + name + "'");
        }
        return args.get(name);
    }

    private IllegalArgumentException badArg(String name, Object v, String expected) {
        return new IllegalArgumentException(type + ": argument '" + name + "' must be " + expected + ", got " + v);
    }
}
