package io.cnn4j.io;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses strict JSON into plain Java values: {@code LinkedHashMap<String, Object>} for objects (keys in
 * file order), {@code List<Object>} for arrays, {@code String}, {@code Boolean}, {@code null}, and
 * {@code BigDecimal} for numbers.
 *
 * <p>Gson's own tree keeps the last of two equal keys without a word, and its doubles lose the
 * difference between {@code 5} and {@code 5.0}; a file format must see both, so this reader keeps the
 * number as written and rejects a repeated key.
 */
final class StrictJson {

    private StrictJson() {
    }

    /** Thrown for a key that appears twice in one object; {@code path} locates the object. */
    static final class DuplicateKeyException extends IllegalArgumentException {
        private final String path;
        private final String key;

        DuplicateKeyException(String path, String key) {
            super((path.isEmpty() ? "the top-level object" : printable(path)) + " has the key '" + printable(key)
                    + "' twice");
            this.path = path;
            this.key = key;
        }

        /** The object holding the key, as {@code children[2].args}; empty for the top level. */
        String path() {
            return path;
        }

        String key() {
            return key;
        }
    }

    /**
     * The value of the single JSON document in {@code json}.
     *
     * @throws DuplicateKeyException for a repeated key
     * @throws IllegalArgumentException for anything that is not strict JSON, with line and column
     */
    static Object parse(String json) {
        JsonReader reader = new JsonReader(new StringReader(json));
        reader.setStrictness(Strictness.STRICT);
        try {
            Object value = read(reader, "");
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new IllegalArgumentException("not valid JSON: more text after the end of the value" + where(reader));
            }
            return value;
        } catch (IOException | IllegalStateException e) {
            // Gson's own text advises lenient mode and links its troubleshooting page; the position is what helps,
            // and what a limit of Gson's refused, which is not a mistake in the JSON.
            String what = String.valueOf(e.getMessage()).startsWith("Nesting limit ")
                    ? "not JSON cnn4j can read: values nested more than " + reader.getNestingLimit() + " deep"
                    : "not valid JSON";
            throw new IllegalArgumentException(what + where(reader), e);
        }
    }

    private static Object read(JsonReader reader, String path) throws IOException {
        return switch (reader.peek()) {
            case BEGIN_OBJECT -> readObject(reader, path);
            case BEGIN_ARRAY -> readArray(reader, path);
            case STRING -> reader.nextString();
            case NUMBER -> number(reader);
            case BOOLEAN -> reader.nextBoolean();
            case NULL -> {
                reader.nextNull();
                yield null;
            }
            default -> throw new IllegalArgumentException("not valid JSON: unexpected " + reader.peek() + where(reader));
        };
    }

    private static BigDecimal number(JsonReader reader) throws IOException {
        String text = reader.nextString();
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            // Valid JSON, but BigDecimal's exponent is an int: 1e9999999999 has no value in Java.
            throw new IllegalArgumentException("not JSON cnn4j can read: the number "
                    + (text.length() > 40 ? text.substring(0, 40) + "..." : text)
                    + " has an exponent too large to represent" + where(reader), e);
        }
    }

    private static Map<String, Object> readObject(JsonReader reader, String path) throws IOException {
        Map<String, Object> object = new LinkedHashMap<>();
        reader.beginObject();
        while (reader.hasNext()) {
            String key = reader.nextName();
            if (object.containsKey(key)) {
                throw new DuplicateKeyException(path, key);
            }
            object.put(key, read(reader, path.isEmpty() ? key : path + "." + key));
        }
        reader.endObject();
        return object;
    }

    private static List<Object> readArray(JsonReader reader, String path) throws IOException {
        List<Object> array = new ArrayList<>();
        reader.beginArray();
        while (reader.hasNext()) {
            array.add(read(reader, path + "[" + array.size() + "]"));
        }
        reader.endArray();
        return array;
    }

    /** " at line L column C", from the reader's own description of where it stands. */
    private static String where(JsonReader reader) {
        String s = reader.toString();
        int at = s.indexOf(" at line ");
        int path = s.indexOf(" path ");
        return at < 0 ? "" : path > at ? s.substring(at, path) : s.substring(at);
    }

    /** Whether {@code n} is written as a whole number: {@code 5} or {@code 1e2}, not {@code 5.0}. */
    static boolean isWrittenWhole(BigDecimal n) {
        return n.scale() <= 0;
    }

    /** Whether {@code n} has a whole value, however written: {@code 5}, {@code 5.0}, {@code 1e2}. */
    static boolean isWhole(BigDecimal n) {
        return n.signum() == 0 || n.stripTrailingZeros().scale() <= 0;
    }

    /** A number as people write it: {@code 3000000000} for {@code 3e9}, unless that would be very long. */
    static String number(BigDecimal n) {
        return Math.abs(n.scale()) <= 20 ? n.toPlainString() : n.toString();
    }

    /**
     * {@code s} with control characters and invisible formatting (line separators, direction overrides)
     * written as escapes: a name from a file, quoted in a message, keeps the message one visible line and
     * cannot move the terminal's cursor.
     */
    static String printable(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int type = Character.getType(c);
            if (Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                out.append(switch (c) {
                    case '\n' -> "\\n";
                    case '\r' -> "\\r";
                    case '\t' -> "\\t";
                    default -> String.format("\\u%04x", (int) c);
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** A JSON value's kind in words, for messages: "a string", "an object", ... */
    static String describe(Object value) {
        return switch (value) {
            case null -> "null";
            case Map<?, ?> _ -> "an object";
            case List<?> _ -> "a list";
            case String s -> "the string \"" + printable(s) + "\"";
            case BigDecimal n -> number(n);
            default -> String.valueOf(value);
        };
    }
}
