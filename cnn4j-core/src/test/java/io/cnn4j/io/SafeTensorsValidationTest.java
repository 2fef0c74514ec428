package io.cnn4j.io;

import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every malformed file is refused with one sentence naming the file and, where there is one, the tensor. */
class SafeTensorsValidationTest {
    @TempDir
    Path dir;

    private static final String A_0_8 = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

    @Test
    void truncatedData() throws IOException {
        Path file = dir.resolve("cut.safetensors");
        SafeTensors.write(file, Map.of("w", Tensor.zeros(2, 3)), Map.of());
        truncate(file, Files.size(file) - 4);
        assertRefused(file, "tensor 'w' has data_offsets [0, 24] but only 20 bytes of data follow the header"
                + " (truncated file?)");
    }

    @Test
    void truncatedHeader() throws IOException {
        Path file = dir.resolve("cut.safetensors");
        SafeTensors.write(file, Map.of("w", Tensor.zeros(2)), Map.of());
        truncate(file, 28);
        assertRefused(file, "truncated file: header says 56 bytes but only 20 remain");
    }

    @Test
    void absurdHeaderLengthMeansNotASafetensorsFile() throws IOException {
        assertRefused(lengthField(1L << 40), "not a safetensors file: its header length field says 1099511627776 bytes,"
                + " more than the 100000000 a header may have");
        assertRefused(lengthField(-1L), "not a safetensors file: its header length field says 18446744073709551615"
                + " bytes, more than the 100000000 a header may have");
    }

    @Test
    void aZipFileIsNotASafetensorsFile() throws IOException {
        Path file = dir.resolve("model.zip");
        Files.write(file, new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0, 1, 2, 3, 4, 5, 6});
        IOException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(file));
        assertTrue(e.getMessage().startsWith(file + ": not a safetensors file: "), e.getMessage());
    }

    @Test
    void fileShorterThanTheLengthField() throws IOException {
        Path file = dir.resolve("tiny.safetensors");
        Files.write(file, new byte[] {1, 2, 3});
        assertRefused(file, "not a safetensors file: it has 3 bytes, fewer than the 8 of the header length field");
    }

    @Test
    void headerMustBeAJsonObject() throws IOException {
        assertRefused(rawFile(dir, "[1, 2]", new byte[0]), "not a safetensors file: the header does not start with '{'");
        assertRefused(rawFile(dir, "{\"a\": ", new byte[0]), "the header is not valid JSON at line 1 column 7");
        assertRefused(rawBytesFile(new byte[] {'{', (byte) 0xC3, '}'}), "the header is not valid UTF-8");
    }

    @Test
    void overlappingOffsets() throws IOException {
        assertRefused(rawFile(dir, "{" + A_0_8 + ",\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]),
                "tensor 'b' (data_offsets [4, 12]) overlaps tensor 'a' (data_offsets [0, 8])");
    }

    @Test
    void gapsBetweenBeforeAndAfterTensors() throws IOException {
        assertRefused(rawFile(dir, "{" + A_0_8 + ",\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]}}", new byte[16]),
                "bytes [8, 12) of the data belong to no tensor: tensor 'a' ends at 8 and tensor 'b' starts at 12");
        assertRefused(rawFile(dir, "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]),
                "bytes [0, 4) of the data belong to no tensor: the first, tensor 'a', starts at 4");
        assertRefused(rawFile(dir, "{" + A_0_8 + "}", new byte[12]),
                "the header accounts for 8 bytes of data but 12 follow it; the last 4 belong to no tensor");
    }

    @Test
    void offsetsOutOfRange() throws IOException {
        assertRefused(rawFile(dir, "{" + A_0_8 + ",\"b\":{\"dtype\":\"F32\",\"shape\":[100],\"data_offsets\":[8,408]}}", new byte[16]),
                "tensor 'b' has data_offsets [8, 408] but only 16 bytes of data follow the header (truncated file?)");
        assertRefused(rawFile(dir, "{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}", new byte[8]),
                "tensor 'a' has data_offsets [8, 0], which end before they begin");
    }

    @Test
    void unknownDtype() throws IOException {
        assertRefused(rawFile(dir, "{\"w\":{\"dtype\":\"Q4_K\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]),
                "tensor 'w' has unknown dtype 'Q4_K'");
    }

    @Test
    void knownButUnloadableDtypeIsListedButNotRead() throws IOException {
        Path file = rawFile(dir, "{\"mask\":{\"dtype\":\"U16\",\"shape\":[4],\"data_offsets\":[0,8]}}", new byte[8]);
        assertEquals(List.of(new TensorInfo("mask", Dtype.U16, List.of(4L), 0, 8)), SafeTensors.readHeader(file).tensors());
        assertRefused(file, "tensor 'mask' has dtype U16, which cnn4j cannot load as float32 (it reads"
                + " [F16, BF16, I32, F32, F64, I64])");
    }

    /** Counters (PyTorch's int64 num_batches_tracked) load as float32; negative and large values too. */
    @Test
    void integerTensorsLoadAsFloats() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        data.putLong(3).putLong(-1L << 40).putInt(-7).putInt(1 << 24);
        Path file = rawFile(dir, "{\"n\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]},"
                + "\"i\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[16,24]}}", data.array());
        var tensors = SafeTensors.read(file).tensors();
        assertArrayEquals(new float[] {3f, -0x1p40f}, tensors.get("n").data());
        assertArrayEquals(new float[] {-7f, 0x1p24f}, tensors.get("i").data());
    }

    @Test
    void onlyWholeNumbersAreWrittenAsInt64() {
        Path file = dir.resolve("w.safetensors");
        var e = assertThrows(SafeTensorsException.class, () -> SafeTensors.write(file,
                Map.of("n", Tensor.scalar(2.5f)), Map.of(), Map.of("n", Dtype.I64)));
        assertEquals(file + ": tensor 'n' is to be written as I64 but holds 2.5, which is not a whole number in its range",
                e.getMessage());
        var other = assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(file,
                Map.of("n", Tensor.scalar(2f)), Map.of(), Map.of("n", Dtype.F16)));
        assertEquals("cnn4j writes F32 and I64 tensors, not F16 (asked for 'n')", other.getMessage());
    }

    @Test
    void shapeAndSizeMismatch() throws IOException {
        assertRefused(rawFile(dir, "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]),
                "tensor 'w' has shape [3] and dtype F32, which take 12 bytes, but its data_offsets [0, 8] cover 8");
        assertRefused(rawFile(dir, "{\"w\":{\"dtype\":\"BF16\",\"shape\":[2,2],\"data_offsets\":[0,16]}}", new byte[16]),
                "tensor 'w' has shape [2, 2] and dtype BF16, which take 8 bytes, but its data_offsets [0, 16] cover 16");
    }

    @Test
    void duplicateTensorNames() throws IOException {
        assertRefused(rawFile(dir, "{" + A_0_8 + "," + A_0_8 + "}", new byte[8]), "the header names tensor 'a' twice");
    }

    @Test
    void malformedEntries() throws IOException {
        assertRefused(rawFile(dir, "{\"w\":{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}}", new byte[8]),
                "tensor 'w' shape must be a list of whole numbers >= 0, got [2.0]");
        assertRefused(rawFile(dir, "{\"w\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", new byte[8]),
                "tensor 'w' shape must be a list of whole numbers >= 0, got [-2]");
        assertRefused(rawFile(dir, "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8,8]}}", new byte[8]),
                "tensor 'w' data_offsets must be a list of 2 whole numbers >= 0, got [0, 8, 8]");
        assertRefused(rawFile(dir, "{\"w\":{\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]),
                "tensor 'w' needs a dtype string, got none");
        assertRefused(rawFile(dir, "{\"w\":{\"dtype\":null,\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]),
                "tensor 'w' needs a dtype string, got null");
        assertRefused(rawFile(dir, "{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", new byte[8]),
                "tensor 'w' shape must be a list of whole numbers >= 0, got none");
        assertRefused(rawFile(dir, "{\"w\":[1,2]}", new byte[0]),
                "tensor 'w' must be described by an object with dtype, shape and data_offsets, got a list");
        assertRefused(rawFile(dir, "{\"__metadata__\":{\"epoch\":3}}", new byte[0]),
                "__metadata__ must map names to strings, but 'epoch' is 3");
    }

    @Test
    void namesFromTheFileAreQuotedPrintably() throws IOException {
        assertRefused(rawFile(dir, "{\"w\\n\\u001b[2J\":{\"dtype\":\"F99\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]),
                "tensor 'w\\n\\u001b[2J' has unknown dtype 'F99'");
    }

    @Test
    void aModelFilesTensorNamesAreQuotedPrintably() throws IOException {
        Path file = dir.resolve("model.safetensors");
        ModelFile.save(file, FuzzModels.build(1));
        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, StandardCharsets.ISO_8859_1).replace("\"1.weight\"", "\"1.weig\\t\"");
        Files.write(file, text.getBytes(StandardCharsets.ISO_8859_1));
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.read(file));
        assertTrue(e.getMessage().contains("holds [1.weig\\t, 1.bias]"), e.getMessage());
    }

    private static void assertRefused(Path file, String problem) {
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(file));
        assertEquals(file + ": " + problem, e.getMessage());
        assertEquals(file, e.file());
    }

    /** A file with the given header JSON (its length field computed) and data section. */
    static Path rawFile(Path dir, String json, byte[] data) throws IOException {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header).put(data);
        Path file = Files.createTempFile(dir, "raw", ".safetensors");
        Files.write(file, b.array());
        return file;
    }

    private Path rawBytesFile(byte[] header) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header);
        Path file = Files.createTempFile(dir, "raw", ".safetensors");
        Files.write(file, b.array());
        return file;
    }

    private Path lengthField(long n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(n).put("{}      ".getBytes(StandardCharsets.US_ASCII));
        Path file = Files.createTempFile(dir, "len", ".safetensors");
        Files.write(file, b.array());
        return file;
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }
}
