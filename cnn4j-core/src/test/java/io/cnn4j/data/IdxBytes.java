package io.cnn4j.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/** Hand-made IDX bytes for tests, built without {@link IdxFile} so they check it independently. */
final class IdxBytes {
    private IdxBytes() {
    }

    /** An IDX file of type {@code type} with the given dimensions and payload (not checked against them). */
    static byte[] idx(int type, int[] dims, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload.length); // big-endian by default
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(payload);
        return b.array();
    }

    static byte[] ubyte(byte[] payload, int... dims) {
        return idx(IdxFile.UNSIGNED_BYTE, dims, payload);
    }

    static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * A gzip member with every optional header field (extra field, file name, comment, header checksum),
     * which {@code GZIPOutputStream} never writes but other tools do.
     */
    static byte[] gzipWithAllHeaderFields(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] header = {0x1f, (byte) 0x8b, 8, 4 | 8 | 16 | 2, 0, 0, 0, 0, 0, 3, 3, 0, 'x', 'y', 'z',
                'n', 'a', 'm', 'e', 0, 'c', 'o', 'm', 'm', 'e', 'n', 't', 0};
        out.writeBytes(header);
        CRC32 crc = new CRC32();
        crc.update(header);
        int headerCrc = (int) crc.getValue();
        out.write(headerCrc);
        out.write(headerCrc >>> 8);
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(raw);
        deflater.finish();
        byte[] chunk = new byte[1024];
        while (!deflater.finished()) {
            out.write(chunk, 0, deflater.deflate(chunk));
        }
        deflater.end();
        crc.reset();
        crc.update(raw);
        ByteBuffer trailer = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        trailer.putInt((int) crc.getValue()).putInt(raw.length);
        out.writeBytes(trailer.array());
        return out.toByteArray();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static Path write(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes);
        return file;
    }

    /** Bytes 0, 1, 2, ... (mod 256). */
    static byte[] counting(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    static byte[] labels(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    /**
     * Writes a tiny MNIST-style directory: {@code trainN} and {@code testN} 2x2 images whose pixels all
     * equal their index, labels {@code index % classes}; train files gzip-compressed, test files raw.
     */
    static Path mnistDir(Path dir, int trainN, int testN, int classes) throws IOException {
        Files.createDirectories(dir);
        writeSplit(dir, "train", trainN, classes, true);
        writeSplit(dir, "t10k", testN, classes, false);
        return dir;
    }

    private static void writeSplit(Path dir, String split, int n, int classes, boolean gz) throws IOException {
        byte[] pixels = new byte[n * 4];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            Arrays.fill(pixels, 4 * i, 4 * i + 4, (byte) i);
            labels[i] = (byte) (i % classes);
        }
        byte[] images = ubyte(pixels, n, 2, 2);
        byte[] labelFile = ubyte(labels, n);
        String suffix = gz ? ".gz" : "";
        write(dir.resolve(split + "-images-idx3-ubyte" + suffix), gz ? gzip(images) : images);
        write(dir.resolve(split + "-labels-idx1-ubyte" + suffix), gz ? gzip(labelFile) : labelFile);
    }
}
