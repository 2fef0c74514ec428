package io.cnn4j.io;

import io.cnn4j.limits.InputFiles;
import io.cnn4j.limits.MemoryBudget;
import io.cnn4j.limits.TooLargeException;
import io.cnn4j.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;

/**
 * Reads one safetensors file through an open channel: the header first, validated in full, then any
 * tensor's data on demand. Data is read in bounded chunks and converted with bulk buffer views, so
 * memory stays at the tensors themselves plus one chunk; their total is checked against the free heap
 * before the first is read. Only a regular file is opened: a FIFO would block the open itself.
 */
final class SafeTensorsReader implements AutoCloseable {
    /** The reference implementation's limit; a larger length field means this is not a safetensors file. */
    static final long MAX_HEADER_BYTES = 100_000_000;
    private static final int CHUNK_BYTES = 1 << 20;
    /** The most elements a cnn4j tensor holds (a Java array). */
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    /**
     * A bound on the memory a header's parsed JSON takes per byte of it (measured: a shape of millions of
     * ones takes about 30): a 100 MB header of such lists would otherwise exhaust a 2 GB heap after half a
     * minute. Real headers are a few kilobytes to a few megabytes.
     */
    private static final long PARSED_BYTES_PER_HEADER_BYTE = 40;

    private final Path file;
    private final FileChannel channel;
    private final SafeTensorsHeader header;

    private SafeTensorsReader(Path file, FileChannel channel) throws IOException {
        this.file = file;
        this.channel = channel;
        this.header = readHeader();
    }

    /**
     * Opens {@code file} and reads its header. A missing file gives java.nio's {@link NoSuchFileException},
     * as it always has; one that is not a regular file an {@link io.cnn4j.limits.InputFileException}.
     */
    static SafeTensorsReader open(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        InputFiles.requireRegularFile(file, "safetensors file");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new SafeTensorsReader(file, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    SafeTensorsHeader header() {
        return header;
    }

    Path file() {
        return file;
    }

    private SafeTensorsHeader readHeader() throws IOException {
        long size = channel.size();
        if (size < 8) {
            throw new SafeTensorsException(file, "not a safetensors file: it has " + size
                    + " bytes, fewer than the 8 of the header length field");
        }
        ByteBuffer lengthField = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(lengthField, 0, "the header length field");
        long n = lengthField.flip().getLong();
        // An unsigned length above 2^63 reads as negative here: it is absurd either way.
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw new SafeTensorsException(file, "not a safetensors file: its header length field says "
                    + Long.toUnsignedString(n) + " bytes, more than the " + MAX_HEADER_BYTES + " a header may have");
        }
        if (n > size - 8) {
            throw new SafeTensorsException(file, "truncated file: header says " + n + " bytes but only "
                    + (size - 8) + " remain");
        }
        budget(n * PARSED_BYTES_PER_HEADER_BYTE, "parsing its " + MemoryBudget.format(n) + " header");
        ByteBuffer json = ByteBuffer.allocate((int) n);
        readFully(json, 8, "the header");
        return HeaderCodec.decode(file, json.array(), 8 + n, size - 8 - n);
    }

    /** Every tensor, converted to float32, in header order. */
    LinkedHashMap<String, Tensor> readAll() throws IOException {
        long elements = header.elementCount(); // each tensor's bytes lie in the file, so this cannot overflow
        int n = header.tensors().size();
        budget(MemoryBudget.floats(elements), "loading its " + n + (n == 1 ? " tensor (" : " tensors (") + elements
                + " values as float32)");
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (TensorInfo info : header.tensors()) {
            out.put(info.name(), read(info));
        }
        return out;
    }

    Tensor read(TensorInfo info) throws IOException {
        if (!info.dtype().loadable()) {
            throw new SafeTensorsException(file, "tensor '" + info.name() + "' has dtype " + info.dtype()
                    + ", which cnn4j cannot load as float32 (it reads " + Dtype.loadableTypes() + ")");
        }
        if (info.elementCount() > MAX_ELEMENTS) {
            throw new SafeTensorsException(file, "tensor '" + info.name() + "' has " + info.elementCount()
                    + " elements, more than a cnn4j tensor holds (" + MAX_ELEMENTS + ")");
        }
        int[] dims = new int[info.shape().size()];
        for (int i = 0; i < dims.length; i++) {
            // Each dimension is at most the element count, unless another one is zero.
            if (info.shape().get(i) > MAX_ELEMENTS) {
                throw new SafeTensorsException(file, "tensor '" + info.name() + "' has shape " + info.shape()
                        + ", whose dimension " + i + " is larger than a cnn4j tensor holds");
            }
            dims[i] = (int) (long) info.shape().get(i);
        }
        float[] values = new float[(int) info.elementCount()];
        int elementBytes = info.dtype().size();
        int chunkElements = CHUNK_BYTES / elementBytes;
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, info.byteCount())).order(ByteOrder.LITTLE_ENDIAN);
        long position = header.dataStart() + info.begin();
        for (int done = 0; done < values.length; ) {
            int count = Math.min(chunkElements, values.length - done);
            chunk.clear().limit(count * elementBytes);
            readFully(chunk, position, "tensor '" + info.name() + "'");
            chunk.flip();
            info.dtype().decode(chunk, values, done, count);
            done += count;
            position += (long) count * elementBytes;
        }
        return Tensor.of(values, dims);
    }

    private void budget(long bytes, String what) throws SafeTensorsException {
        try {
            MemoryBudget.require(bytes, what);
        } catch (TooLargeException e) {
            throw new SafeTensorsException(file, e.getMessage());
        }
    }

    private void readFully(ByteBuffer buffer, long position, String what) throws IOException {
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position);
            if (n < 0) {
                // The size was checked against the header: the file shrank while we read it.
                throw new SafeTensorsException(file, "truncated file: it ended while reading " + what);
            }
            position += n;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
