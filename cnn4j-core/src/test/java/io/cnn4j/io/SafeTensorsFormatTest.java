package io.cnn4j.io;

import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The bytes cnn4j writes, worked out by hand from the format's description. */
class SafeTensorsFormatTest {
    @TempDir
    Path dir;

    @Test
    void oneTensorFileByteForByte() throws IOException {
        Path file = dir.resolve("w.safetensors");
        SafeTensors.write(file, Map.of("w", Tensor.of(new float[] {1f, -2f}, 2)), Map.of());

        // {"w":  {"dtype":"F32",  "shape":[2],  "data_offsets":[0,8]  }}
        //  5   +      15        +     12      +        20             + 2   = 54 bytes of JSON,
        // padded with 2 spaces to 56 so the data starts at 8 + 56 = 64, a multiple of 8.
        byte[] expected = concat(
                new byte[] {56, 0, 0, 0, 0, 0, 0, 0},
                ascii("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}  "),
                // 1.0f = 0x3F800000 and -2.0f = 0xC0000000, least significant byte first.
                new byte[] {0, 0, (byte) 0x80, 0x3F, 0, 0, 0, (byte) 0xC0});
        assertArrayEquals(expected, Files.readAllBytes(file));
    }

    @Test
    void metadataComesFirstAndTensorsFollowInTheOrderGiven() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("b", Tensor.of(new float[] {0.5f}, 1));
        tensors.put("a", Tensor.scalar(3f));
        Path file = dir.resolve("m.safetensors");
        SafeTensors.write(file, tensors, Map.of("k", "v"));

        String json = "{\"__metadata__\":{\"k\":\"v\"},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[4,8]}}";
        // 26 + 53 + 52 = 131 bytes, padded with 5 spaces to 136.
        assertEquals(131, json.length());
        byte[] expected = concat(
                new byte[] {(byte) 136, 0, 0, 0, 0, 0, 0, 0},
                ascii(json + "     "),
                new byte[] {0, 0, 0, 0x3F}, // 0.5f = 0x3F000000
                new byte[] {0, 0, 0x40, 0x40}); // 3.0f = 0x40400000
        assertArrayEquals(expected, Files.readAllBytes(file));
    }

    @Test
    void noTensorsIsAnEmptyObjectPaddedToEightBytes() throws IOException {
        Path file = dir.resolve("e.safetensors");
        SafeTensors.write(file, Map.of(), Map.of());
        assertArrayEquals(concat(new byte[] {8, 0, 0, 0, 0, 0, 0, 0}, ascii("{}      ")), Files.readAllBytes(file));
        assertEquals(0, SafeTensors.read(file).tensors().size());
    }

    @Test
    void halfBfloatAndDoubleAreWidenedToFloat() throws IOException {
        String json = "{\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[6,10]},"
                + "\"d\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[10,18]}}";
        byte[] data = {
            0x00, 0x3C, // F16 1.0 = 0x3C00
            0x00, (byte) 0xC1, // F16 -2.5 = 0xC100
            0x01, 0x00, // F16 smallest subnormal 2^-24 = 0x0001
            (byte) 0x80, 0x3F, // BF16 1.0 = top half of 0x3F800000
            0x49, (byte) 0xC0, // BF16 -3.140625 = top half of 0xC0490000
            0, 0, 0, 0, 0, 0, (byte) 0xF0, 0x3F, // F64 1.0 = 0x3FF0000000000000
        };
        Path file = SafeTensorsValidationTest.rawFile(dir, json, data);

        Map<String, Tensor> t = SafeTensors.read(file).tensors();
        assertArrayEquals(new float[] {1f, -2.5f, 0x1p-24f}, t.get("h").data());
        assertArrayEquals(new float[] {1f, -3.140625f}, t.get("b").data());
        assertArrayEquals(new float[] {1f}, t.get("d").data());
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
