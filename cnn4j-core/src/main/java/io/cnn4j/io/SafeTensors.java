package io.cnn4j.io;

import io.cnn4j.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads and writes the safetensors format (huggingface/safetensors), which PyTorch, JAX and most model
 * hubs exchange weights in:
 *
 * <pre>
 * 8 bytes   N, the header length, unsigned little-endian
 * N bytes   UTF-8 JSON: {"__metadata__": {"k": "v", ...},
 *                        "name": {"dtype": "F32", "shape": [32, 1, 5, 5], "data_offsets": [begin, end]}, ...}
 * the rest  tensor data, little-endian, row-major; offsets count from the first byte after the header
 * </pre>
 *
 * <p>cnn4j writes float32 ({@code F32}) and reads {@code F32}, {@code F16}, {@code BF16} and {@code F64},
 * converting to float32. Every problem in a file is reported as a {@link SafeTensorsException} that names
 * the file and the tensor.
 *
 * {@snippet :
 * SafeTensors.write(path, model.stateDict(), Map.of("note", "epoch 3"));
 * TensorFile file = SafeTensors.read(path);
 * model.loadStateDict(file.tensors());
 * }
 */
public final class SafeTensors {
    /** Above this, a header length field means the file is not safetensors (the reference's limit). */
    public static final long MAX_HEADER_BYTES = SafeTensorsReader.MAX_HEADER_BYTES;
    private static final int CHUNK_FLOATS = 1 << 18;

    private SafeTensors() {
    }

    /** Writes {@code tensors} as float32 without metadata; see {@link #write(Path, Map, Map)}. */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        write(file, tensors, Map.of());
    }

    /**
     * Writes {@code tensors} as float32, in the map's iteration order, with {@code metadata} as the
     * header's {@code __metadata__}. The file is replaced atomically: until this returns, readers see
     * the previous file (or none), never a partial one.
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        List<TensorInfo> infos = layout(file, tensors);
        checkMetadata(metadata);
        byte[] header = HeaderCodec.encode(infos, metadata);
        AtomicFile.write(file, channel -> {
            ByteBuffer lengthField = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
            writeFully(channel, lengthField.flip());
            writeFully(channel, ByteBuffer.wrap(header));
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK_FLOATS * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor t : tensors.values()) {
                float[] data = t.data();
                for (int from = 0; from < data.length; from += CHUNK_FLOATS) {
                    int count = Math.min(CHUNK_FLOATS, data.length - from);
                    chunk.clear();
                    chunk.asFloatBuffer().put(data, from, count);
                    chunk.limit(count * Float.BYTES);
                    writeFully(channel, chunk);
                }
            }
        });
    }

    /** Reads every tensor (converted to float32) and the metadata. */
    public static TensorFile read(Path file) throws IOException {
        try (SafeTensorsReader reader = SafeTensorsReader.open(file)) {
            return new TensorFile(reader.readAll(), reader.header().metadata());
        }
    }

    /**
     * Reads and validates only the header: names, dtypes, shapes and metadata, without loading any
     * tensor data. Tensors of any dtype are listed, including those {@link #read} cannot convert.
     */
    public static SafeTensorsHeader readHeader(Path file) throws IOException {
        try (SafeTensorsReader reader = SafeTensorsReader.open(file)) {
            return reader.header();
        }
    }

    /** Each tensor's place in the data section, back to back in the order given. */
    private static List<TensorInfo> layout(Path file, Map<String, Tensor> tensors) throws SafeTensorsException {
        List<TensorInfo> infos = new ArrayList<>(tensors.size());
        long offset = 0;
        for (var e : tensors.entrySet()) {
            String name = Objects.requireNonNull(e.getKey(), "tensor name");
            if (name.equals(HeaderCodec.METADATA_KEY)) {
                throw new SafeTensorsException(file, "'" + HeaderCodec.METADATA_KEY
                        + "' cannot name a tensor: the header reserves it for the metadata");
            }
            Tensor t = Objects.requireNonNull(e.getValue(), () -> "tensor '" + name + "' is null");
            List<Long> shape = Arrays.stream(t.dims()).mapToObj(d -> (long) d).toList();
            long bytes = (long) t.size() * Float.BYTES;
            infos.add(new TensorInfo(name, Dtype.F32, shape, offset, offset + bytes));
            offset += bytes;
        }
        return infos;
    }

    private static void checkMetadata(Map<String, String> metadata) {
        metadata.forEach((k, v) -> {
            Objects.requireNonNull(k, "metadata key");
            Objects.requireNonNull(v, () -> "metadata value of '" + k + "'");
        });
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
