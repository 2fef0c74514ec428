package io.cnn4j.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * cnn4j against an independent implementation of the format: {@code safetensors_reference.py} beside the
 * test resources, written by hand from the specification with numpy. It made the committed
 * {@code reference.safetensors} and {@code reference_expected.json}.
 */
class SafeTensorsPythonCrossCheckTest {
    @TempDir
    Path dir;

    @Test
    void readsExactlyTheValuesThePythonScriptWrote() throws Exception {
        TensorFile file = SafeTensors.read(resource("reference.safetensors"));
        JsonObject expected = JsonParser.parseString(Files.readString(resource("reference_expected.json"))).getAsJsonObject();

        List<String> names = new ArrayList<>();
        for (JsonElement e : expected.getAsJsonArray("tensors")) {
            JsonObject t = e.getAsJsonObject();
            String name = t.get("name").getAsString();
            names.add(name);
            Tensor got = file.tensors().get(name);
            assertArrayEquals(ints(t.getAsJsonArray("shape")), got.dims(), name);
            assertArrayEquals(ints(t.getAsJsonArray("float32_bits")), SafeTensorsRoundTripTest.bits(got.data()), name);
        }
        assertEquals(names, List.copyOf(file.tensors().keySet()), "header order, which differs from the data order");
        assertEquals(Map.of("format", "pt", "source", "safetensors_reference.py", "unicode", "\u00fcn\u00efc\u00f8d\u00e9 \u2713"),
                file.metadata());

        // A few values checked against the script's source directly, not through the expected file.
        assertEquals(1f / 3f, file.tensors().get("conv.weight").get(0, 0, 0, 0));
        assertEquals(0x8000_0000, Float.floatToRawIntBits(file.tensors().get("conv.weight").get(0, 0, 0, 1)), "-0.0");
        assertEquals(1e-40f, file.tensors().get("conv.weight").get(0, 0, 1, 0), "a float32 subnormal");
        assertEquals(42f, file.tensors().get("scalar").item());
        assertEquals(65504f, file.tensors().get("half").get(1, 0));
        assertEquals(0x1p-24f, file.tensors().get("half").get(1, 1), "the smallest float16 subnormal");
        assertEquals(-3.140625f, file.tensors().get("brain").get(1));
        assertEquals(0x1p100f, file.tensors().get("brain").get(2));
        assertEquals((float) (1.0 / 3.0), file.tensors().get("double").get(0));
        assertArrayEquals(new int[] {0, 3}, file.tensors().get("empty").dims());
    }

    @Test
    void javaFilePassesAnIndependentReadOfTheSpecification() throws IOException {
        Path file = dir.resolve("java.safetensors");
        Map<String, Tensor> tensors = sample();
        SafeTensors.write(file, tensors, Map.of("format", "cnn4j", "note", "\u00e9\u2713"));

        // Read back with nothing of cnn4j's reader: Gson's own parser and a byte buffer.
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        long n = bytes.getLong(0);
        assertEquals(0, (8 + n) % 8, "data starts 8-byte aligned");
        String header = new String(bytes.array(), 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{"));
        JsonObject json = JsonParser.parseString(header).getAsJsonObject();
        assertEquals("\u00e9\u2713", json.getAsJsonObject("__metadata__").get("note").getAsString());

        long covered = 0;
        List<String> names = new ArrayList<>();
        for (var e : json.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            names.add(e.getKey());
            JsonObject info = e.getValue().getAsJsonObject();
            assertEquals("F32", info.get("dtype").getAsString());
            int[] shape = ints(info.getAsJsonArray("shape"));
            long begin = info.getAsJsonArray("data_offsets").get(0).getAsLong();
            long end = info.getAsJsonArray("data_offsets").get(1).getAsLong();
            assertEquals(covered, begin, e.getKey() + " starts where the previous tensor ended");
            Tensor t = tensors.get(e.getKey());
            assertArrayEquals(t.dims(), shape);
            assertEquals(4L * t.size(), end - begin);
            float[] values = new float[t.size()];
            bytes.position((int) (8 + n + begin));
            bytes.asFloatBuffer().get(values);
            assertArrayEquals(SafeTensorsRoundTripTest.bits(t.data()), SafeTensorsRoundTripTest.bits(values), e.getKey());
            covered = end;
        }
        assertEquals(bytes.capacity() - 8 - n, covered, "the offsets cover the whole data section");
        assertEquals(List.copyOf(tensors.keySet()), names);
    }

    @Test
    void pythonReferenceReaderAcceptsWhatJavaWrote() throws Exception {
        Assumptions.assumeTrue(Python.canImport("numpy"), "python3 with numpy is not installed");
        Path file = dir.resolve("java.safetensors");
        Map<String, Tensor> tensors = sample();
        SafeTensors.write(file, tensors, Map.of("format", "cnn4j", "note", "\u00e9\u2713"));

        Process p = new ProcessBuilder(Python.executable(), resource("safetensors_reference.py").toString(), "verify", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);

        JsonObject verified = JsonParser.parseString(out).getAsJsonObject();
        assertEquals("\u00e9\u2713", verified.getAsJsonObject("metadata").get("note").getAsString());
        List<String> names = new ArrayList<>();
        for (JsonElement e : verified.getAsJsonArray("tensors")) {
            JsonObject t = e.getAsJsonObject();
            String name = t.get("name").getAsString();
            names.add(name);
            assertArrayEquals(tensors.get(name).dims(), ints(t.getAsJsonArray("shape")), name);
            assertArrayEquals(SafeTensorsRoundTripTest.bits(tensors.get(name).data()), ints(t.getAsJsonArray("float32_bits")), name);
        }
        assertEquals(List.copyOf(tensors.keySet()), names);
    }

    private static Map<String, Tensor> sample() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("0.weight", SafeTensorsRoundTripTest.random(new Rng(1), 4, 1, 3, 3));
        tensors.put("0.bias", SafeTensorsRoundTripTest.random(new Rng(2), 4));
        tensors.put("scalar", Tensor.scalar(-0f));
        tensors.put("empty", Tensor.zeros(0, 2));
        tensors.put("odd", Tensor.of(new float[] {Float.MIN_VALUE, Float.MAX_VALUE, Float.NEGATIVE_INFINITY,
            Float.intBitsToFloat(0x7FC0_0001)}, 4));
        return tensors;
    }

    private static int[] ints(JsonArray array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            // float32 bit patterns above 2^31 are written as unsigned numbers.
            out[i] = (int) array.get(i).getAsLong();
        }
        return out;
    }

    static Path resource(String name) throws URISyntaxException {
        return Path.of(SafeTensorsPythonCrossCheckTest.class.getResource(name).toURI());
    }
}
