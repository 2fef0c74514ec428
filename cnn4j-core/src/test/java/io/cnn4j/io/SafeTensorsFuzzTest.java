package io.cnn4j.io;

import io.cnn4j.fuzz.HostileInput;
import io.cnn4j.fuzz.Mutation;
import io.cnn4j.fuzz.Mutations;
import io.cnn4j.tensor.Tensor;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Safetensors files mutated every way a fuzzer knows, in their bytes or in their JSON header (with the
 * length field kept right, so the lies reach the validation: shapes, offsets and dtypes that disagree)
 * are read or refused with a {@link SafeTensorsException} naming the file: never another exception, an
 * {@link OutOfMemoryError} or a hang.
 */
class SafeTensorsFuzzTest {
    private static final List<byte[]> SEEDS = List.of(written(false), written(true), everyDtype(),
            file("{}".getBytes(), new byte[0]));

    /** Where the mutations go. */
    enum Form {
        /** Anywhere in the file. */
        BYTES,
        /** Into the JSON header, whose length field is then set to its new length. */
        HEADER
    }

    @Property(tries = 3000)
    void mutatedSafetensorsFilesAreReadOrRefused(@ForAll @IntRange(min = 0, max = 3) int seed, @ForAll Form form,
                                                  @ForAll("headerMutations") List<Mutation> mutations) {
        check(form == Form.BYTES ? Mutation.applyAll(SEEDS.get(seed), mutations) : mutateHeader(SEEDS.get(seed), mutations));
    }

    @Example
    void everyTruncationIsRefused() {
        for (byte[] seed : SEEDS) {
            for (int length = 0; length < seed.length; length++) {
                Path file = HostileInput.write("fuzz-cut.safetensors", Arrays.copyOf(seed, length));
                assertNull(HostileInput.read(file.toString(), () -> SafeTensors.read(file), SafeTensorsException.class));
            }
        }
    }

    private static void check(byte[] bytes) {
        Path file = HostileInput.write("fuzz.safetensors", bytes);
        String name = file.toString();
        SafeTensorsHeader header = HostileInput.read(name, () -> SafeTensors.readHeader(file), SafeTensorsException.class);
        TensorFile read = HostileInput.read(name, () -> SafeTensors.read(file), SafeTensorsException.class);
        if (read != null) {
            assertNotNull(header, "what reads whole has a valid header");
            for (TensorInfo info : header.tensors()) {
                assertEquals(info.elementCount(), read.tensors().get(info.name()).size(), info.name());
            }
        }
    }

    @Provide
    Arbitrary<List<Mutation>> headerMutations() {
        return Mutations.someWith(Mutations.textNumber());
    }

    /** The file with its header mutated and its length field made to match. */
    static byte[] mutateHeader(byte[] file, List<Mutation> mutations) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int n = (int) b.getLong(0);
        byte[] header = Mutation.applyAll(Arrays.copyOfRange(file, 8, 8 + n), mutations);
        return file(header, Arrays.copyOfRange(file, 8 + n, file.length));
    }

    private static byte[] file(byte[] header, byte[] data) {
        return ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(header.length).put(header).put(data).array();
    }

    /** A file as SafeTensors.write makes it, with metadata and, if {@code counter}, an I64 tensor. */
    private static byte[] written(boolean counter) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("w", Tensor.of(new float[] {1, -2, 3.5f, 0, 1e-3f, 7}, 2, 3));
        tensors.put("b", Tensor.of(new float[] {0.5f, 0.25f, -1}, 3));
        tensors.put("s", Tensor.of(new float[] {42}));
        return bytesOf(file -> SafeTensors.write(file, tensors, Map.of("note", "a seed"),
                counter ? Map.of("s", Dtype.I64) : Map.of()));
    }

    /** What {@code writer} writes to a file, as bytes. */
    static byte[] bytesOf(FileWriter writer) {
        try {
            Path file = Files.createTempFile("seed", ".safetensors");
            writer.write(file);
            byte[] bytes = Files.readAllBytes(file);
            Files.delete(file);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a seed file. */
    interface FileWriter {
        void write(Path file) throws IOException;
    }

    /** One small tensor of each dtype, loadable or not, so that every decoder and every refusal is reached. */
    private static byte[] everyDtype() {
        List<TensorInfo> infos = new ArrayList<>();
        long offset = 0;
        for (Dtype dtype : Dtype.values()) {
            long bytes = 3L * dtype.size();
            infos.add(new TensorInfo(dtype.name().toLowerCase(), dtype, List.of(3L), offset, offset + bytes));
            offset += bytes;
        }
        byte[] data = new byte[(int) offset];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 37);
        }
        return file(HeaderCodec.encode(infos, Map.of()), data);
    }
}
