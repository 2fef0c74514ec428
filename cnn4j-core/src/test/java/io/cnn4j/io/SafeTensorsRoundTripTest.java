package io.cnn4j.io;

import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SafeTensorsRoundTripTest {
    @TempDir
    Path dir;

    /** Values a lossy or byte-swapping writer would change: signed zero, subnormals, infinities, NaN payloads. */
    private static final float[] AWKWARD = {
        0f, -0f, Float.MIN_VALUE, -Float.MIN_NORMAL, Float.MAX_VALUE, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY,
        Float.intBitsToFloat(0x7FC00001), Float.intBitsToFloat(0xFFA00000), 1f / 3f, (float) Math.PI, -1e-30f,
    };

    @Test
    void valuesComeBackBitExactWithNamesOrderAndMetadata() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        // Deliberately not sorted: the file keeps the order given.
        tensors.put("z.last", Tensor.of(AWKWARD.clone(), 3, 4));
        tensors.put("a.first", random(new Rng(7), 2, 3, 5, 5));
        tensors.put("m.scalar", Tensor.scalar(-12.5f));
        tensors.put("empty", Tensor.zeros(0, 4));
        tensors.put("0.bias", random(new Rng(8), 10));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("zeta", "last");
        metadata.put("alpha", "quote \" backslash \\ newline \n unicode \u00e9\u2713 <html>=&");

        Path file = dir.resolve("t.safetensors");
        SafeTensors.write(file, tensors, metadata);
        TensorFile back = SafeTensors.read(file);

        assertEquals(List.copyOf(tensors.keySet()), List.copyOf(back.tensors().keySet()));
        for (var e : tensors.entrySet()) {
            Tensor got = back.tensors().get(e.getKey());
            assertEquals(e.getValue().shape(), got.shape(), e.getKey());
            assertArrayEquals(bits(e.getValue().data()), bits(got.data()), e.getKey());
        }
        assertEquals(List.copyOf(metadata.entrySet()), List.copyOf(back.metadata().entrySet()));
    }

    @Test
    void headerOnlyReadListsTensorsWithoutTheirData() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("w", Tensor.zeros(4, 3));
        tensors.put("b", Tensor.zeros(4));
        Path file = dir.resolve("h.safetensors");
        SafeTensors.write(file, tensors, Map.of("k", "v"));

        SafeTensorsHeader header = SafeTensors.readHeader(file);

        assertEquals(List.of(new TensorInfo("w", Dtype.F32, List.of(4L, 3L), 0, 48),
                new TensorInfo("b", Dtype.F32, List.of(4L), 48, 64)), header.tensors());
        assertEquals(Map.of("k", "v"), header.metadata());
        assertEquals(16, header.elementCount());
        assertEquals(Files.size(file) - 64, header.dataStart());
    }

    @Test
    void noMetadataMeansAnEmptyMap() throws IOException {
        Path file = dir.resolve("n.safetensors");
        SafeTensors.write(file, Map.of("x", Tensor.full(2f, 2)));
        assertEquals(Map.of(), SafeTensors.read(file).metadata());
    }

    @Test
    void aFewMegabyteModelRoundTripsAcrossChunkBoundaries() throws IOException {
        // 3M floats: larger than the 1 MiB read and write chunks, and not a multiple of them.
        Tensor big = random(new Rng(3), 3_000_001);
        Path file = dir.resolve("big.safetensors");
        SafeTensors.write(file, Map.of("big", big), Map.of());
        assertArrayEquals(bits(big.data()), bits(SafeTensors.read(file).tensors().get("big").data()));
    }

    @Test
    void overwritingReplacesTheFileAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("model.safetensors");
        SafeTensors.write(file, Map.of("a", Tensor.full(1f, 100)), Map.of());
        SafeTensors.write(file, Map.of("b", Tensor.full(2f, 3)), Map.of());

        assertEquals(List.of("b"), List.copyOf(SafeTensors.read(file).tensors().keySet()));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void aFailedWriteKeepsTheOldFile() throws IOException {
        Path file = dir.resolve("model.safetensors");
        SafeTensors.write(file, Map.of("a", Tensor.full(1f, 4)), Map.of());
        byte[] before = Files.readAllBytes(file);

        Map<String, Tensor> bad = new LinkedHashMap<>();
        bad.put("ok", Tensor.zeros(2));
        bad.put("__metadata__", Tensor.zeros(2));
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.write(file, bad, Map.of()));

        assertEquals(file + ": '__metadata__' cannot name a tensor: the header reserves it for the metadata", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    static Tensor random(Rng rng, int... dims) {
        Tensor t = Tensor.zeros(dims);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) rng.nextGaussian();
        }
        return t;
    }

    static int[] bits(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Float.floatToRawIntBits(values[i]);
        }
        return out;
    }
}
