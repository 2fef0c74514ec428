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
 * <p>cnn4j writes float32 ({@code F32}), and {@code I64} for counters when asked, and reads {@code F32},
 * {@code F16}, {@code BF16}, {@code F64}, {@code I64} and {@code I32}, converting to float32. Every problem
 * in a file is reported as a {@link SafeTensorsException} that names the file and the tensor.
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
        write(file, tensors, metadata, Map.of());
    }

    /**
     * Like {@link #write(Path, Map, Map)}, storing the tensors named in {@code dtypes} as the type given
     * there: {@code F32} or {@code I64}, for counters that PyTorch keeps as int64 (batch norm's
     * {@code num_batches_tracked}). An {@code I64} tensor must hold whole numbers.
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata,
                             Map<String, Dtype> dtypes) throws IOException {
        List<TensorInfo> infos = layout(file, tensors, dtypes);
        checkMetadata(metadata);
        byte[] header = HeaderCodec.encode(infos, metadata);
        AtomicFile.write(file, channel -> {
            ByteBuffer lengthField = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
            writeFully(channel, lengthField.flip());
            writeFully(channel, ByteBuffer.wrap(header));
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK_FLOATS * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            int i = 0;
            for (Tensor t : tensors.values()) {
                boolean int64 = infos.get(i++).dtype() == Dtype.I64;
                float[] data = t.data();
                for (int from = 0; from < data.length; from += CHUNK_FLOATS) {
                    int count = Math.min(CHUNK_FLOATS, data.length - from);
                    chunk.clear();
                    if (int64) {
                        for (int k = 0; k < count; k++) {
                            chunk.putLong((long) data[from + k]);
                        }
                        chunk.flip();
                    } else {
                        chunk.asFloatBuffer().put(data, from, count);
                        chunk.limit(count * Float.BYTES);
                    }
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
    private static List<TensorInfo> layout(Path file, Map<String, Tensor> tensors, Map<String, Dtype> dtypes)
            throws SafeTensorsException {
        for (var e : dtypes.entrySet()) {
            if (!tensors.containsKey(e.getKey())) {
                throw new IllegalArgumentException("a dtype is given for '" + e.getKey() + "', which is not among the tensors");
            }
            if (e.getValue() != Dtype.F32 && e.getValue() != Dtype.I64) {
                throw new IllegalArgumentException("cnn4j writes F32 and I64 tensors, not " + e.getValue()
                        + " (asked for '" + e.getKey() + "')");
            }
        }
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
            Dtype dtype = dtypes.getOrDefault(name, Dtype.F32);
            if (dtype == Dtype.I64) {
                checkWhole(file, name, t);
            }
            long bytes = (long) t.size() * dtype.size();
            infos.add(new TensorInfo(name, dtype, shape, offset, offset + bytes));
            offset += bytes;
        }
        return infos;
    }

    private static void checkWhole(Path file, String name, Tensor t) throws SafeTensorsException {
        for (float v : t.data()) {
            if (v != Math.rint(v) || Math.abs(v) >= 0x1p63f) {
                throw new SafeTensorsException(file, "tensor '" + name + "' is to be written as I64 but holds " + v
                        + ", which is not a whole number in its range");
            }
        }
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
