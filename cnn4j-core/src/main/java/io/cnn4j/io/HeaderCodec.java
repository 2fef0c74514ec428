package io.cnn4j.io;

import com.google.gson.stream.JsonWriter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON header of a safetensors file, both ways. Decoding checks everything the reference
 * implementation checks (huggingface/safetensors, {@code Metadata::validate}): each tensor's byte count
 * matches its shape and dtype, and the offsets, taken in order, tile the data section exactly, with no
 * gap, overlap or trailing byte.
 */
final class HeaderCodec {
    static final String METADATA_KEY = "__metadata__";

    private HeaderCodec() {
    }

    /**
     * The header for {@code tensors} as UTF-8 JSON, padded with spaces to a multiple of 8 bytes so that
     * the data after the 8-byte length field starts 8-byte aligned, as the reference writer does. The
     * metadata comes first and is left out when empty.
     */
    static byte[] encode(List<TensorInfo> tensors, Map<String, String> metadata) {
        StringWriter text = new StringWriter();
        try (JsonWriter json = new JsonWriter(text)) {
            json.setHtmlSafe(false);
            json.beginObject();
            if (!metadata.isEmpty()) {
                json.name(METADATA_KEY).beginObject();
                for (var e : metadata.entrySet()) {
                    json.name(e.getKey()).value(e.getValue());
                }
                json.endObject();
            }
            for (TensorInfo t : tensors) {
                json.name(t.name()).beginObject();
                json.name("dtype").value(t.dtype().name());
                json.name("shape").beginArray();
                for (long d : t.shape()) {
                    json.value(d);
                }
                json.endArray();
                json.name("data_offsets").beginArray().value(t.begin()).value(t.end()).endArray();
                json.endObject();
            }
            json.endObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to a string", e);
        }
        byte[] unpadded = text.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (unpadded.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(unpadded, padded);
        Arrays.fill(out, unpadded.length, padded, (byte) ' ');
        return out;
    }

    /**
     * Parses and validates a header read from {@code file}, after which {@code dataLength} bytes of
     * tensor data follow.
     */
    static SafeTensorsHeader decode(Path file, byte[] header, long dataStart, long dataLength) throws SafeTensorsException {
        Problems fail = new Problems(file);
        if (header.length == 0 || header[0] != '{') {
            throw fail.with("not a safetensors file: the header does not start with '{'");
        }
        Object root = parseJson(fail, header);
        if (!(root instanceof Map<?, ?> entries)) {
            throw fail.with("not a safetensors file: the header is not a JSON object");
        }
        Map<String, String> metadata = Map.of();
        List<TensorInfo> tensors = new ArrayList<>();
        for (var e : entries.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA_KEY)) {
                metadata = metadata(fail, e.getValue());
            } else {
                tensors.add(tensor(fail, name, e.getValue(), dataLength));
            }
        }
        checkTiling(fail, tensors, dataLength);
        return new SafeTensorsHeader(tensors, metadata, dataStart);
    }

    private static Object parseJson(Problems fail, byte[] header) throws SafeTensorsException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(header)).toString();
        } catch (CharacterCodingException e) {
            throw fail.with("the header is not valid UTF-8");
        }
        try {
            return StrictJson.parse(text);
        } catch (StrictJson.DuplicateKeyException e) {
            throw fail.with(e.path().isEmpty()
                    ? "the header names tensor '" + e.key() + "' twice"
                    : "the header entry " + e.path() + " has the key '" + e.key() + "' twice");
        } catch (IllegalArgumentException e) {
            throw fail.with("the header is " + e.getMessage());
        }
    }

    private static Map<String, String> metadata(Problems fail, Object value) throws SafeTensorsException {
        if (!(value instanceof Map<?, ?> entries)) {
            throw fail.with(METADATA_KEY + " must be an object of strings, got " + StrictJson.describe(value));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (var e : entries.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw fail.with(METADATA_KEY + " must map names to strings, but '" + e.getKey() + "' is "
                        + StrictJson.describe(e.getValue()));
            }
            out.put((String) e.getKey(), s);
        }
        return out;
    }

    private static TensorInfo tensor(Problems fail, String name, Object value, long dataLength) throws SafeTensorsException {
        String t = "tensor '" + name + "'";
        if (!(value instanceof Map<?, ?> fields)) {
            throw fail.with(t + " must be described by an object with dtype, shape and data_offsets, got "
                    + StrictJson.describe(value));
        }
        if (!(fields.get("dtype") instanceof String typeName)) {
            throw fail.with(t + " needs a dtype string, got " + given(fields, "dtype"));
        }
        Dtype dtype = Dtype.byName(typeName);
        if (dtype == null) {
            throw fail.with(t + " has unknown dtype '" + typeName + "'");
        }
        List<Long> shape = wholeNumbers(fail, t + " shape", fields, "shape", -1);
        List<Long> offsets = wholeNumbers(fail, t + " data_offsets", fields, "data_offsets", 2);
        long begin = offsets.get(0);
        long end = offsets.get(1);
        if (end < begin) {
            throw fail.with(t + " has data_offsets " + offsets + ", which end before they begin");
        }
        long bytes;
        try {
            long elements = 1;
            for (long d : shape) {
                elements = Math.multiplyExact(elements, d);
            }
            bytes = Math.multiplyExact(elements, (long) dtype.size());
        } catch (ArithmeticException e) {
            throw fail.with(t + " has shape " + shape + ", too large to address");
        }
        if (bytes != end - begin) {
            throw fail.with(t + " has shape " + shape + " and dtype " + dtype + ", which take " + bytes
                    + " bytes, but its data_offsets " + offsets + " cover " + (end - begin));
        }
        if (end > dataLength) {
            throw fail.with(t + " has data_offsets " + offsets + " but only " + dataLength
                    + " bytes of data follow the header (truncated file?)");
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    /** The list of non-negative whole numbers under {@code key}, of {@code count} items unless it is negative. */
    private static List<Long> wholeNumbers(Problems fail, String what, Map<?, ?> fields, String key, int count)
            throws SafeTensorsException {
        String expected = count < 0 ? "a list of whole numbers >= 0" : "a list of " + count + " whole numbers >= 0";
        Object value = fields.get(key);
        if (!(value instanceof List<?> items) || (count >= 0 && items.size() != count)) {
            throw fail.with(what + " must be " + expected + ", got "
                    + (value instanceof List<?> l ? l.toString() : given(fields, key)));
        }
        List<Long> out = new ArrayList<>(items.size());
        for (Object item : items) {
            if (!(item instanceof BigDecimal n) || !StrictJson.isWrittenWhole(n) || n.signum() < 0
                    || n.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
                throw fail.with(what + " must be " + expected + ", got " + items);
            }
            out.add(n.longValueExact());
        }
        return out;
    }

    /** The value under {@code key} in words, or "none" when there is no such key. */
    private static String given(Map<?, ?> fields, String key) {
        return fields.containsKey(key) ? StrictJson.describe(fields.get(key)) : "none";
    }

    /** Taken in offset order, the tensors must cover [0, dataLength) exactly once. */
    private static void checkTiling(Problems fail, List<TensorInfo> tensors, long dataLength) throws SafeTensorsException {
        List<TensorInfo> byOffset = new ArrayList<>(tensors);
        byOffset.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long covered = 0;
        TensorInfo previous = null;
        for (TensorInfo t : byOffset) {
            if (t.begin() < covered) {
                throw fail.with("tensor '" + t.name() + "' (data_offsets " + offsets(t) + ") overlaps tensor '"
                        + previous.name() + "' (data_offsets " + offsets(previous) + ")");
            }
            if (t.begin() > covered) {
                throw fail.with("bytes [" + covered + ", " + t.begin() + ") of the data belong to no tensor: "
                        + (previous == null ? "the first, tensor '" + t.name() + "', starts at " + t.begin()
                                : "tensor '" + previous.name() + "' ends at " + covered + " and tensor '" + t.name()
                                        + "' starts at " + t.begin()));
            }
            covered = t.end();
            previous = t;
        }
        if (covered != dataLength) {
            throw fail.with("the header accounts for " + covered + " bytes of data but " + dataLength
                    + " follow it; the last " + (dataLength - covered) + " belong to no tensor");
        }
    }

    private static String offsets(TensorInfo t) {
        return "[" + t.begin() + ", " + t.end() + "]";
    }

    /** Builds the exceptions for one file, so each message starts with its name. */
    private record Problems(Path file) {
        SafeTensorsException with(String problem) {
            return new SafeTensorsException(file, problem);
        }
    }
}
