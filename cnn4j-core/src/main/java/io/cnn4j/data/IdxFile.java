package io.cnn4j.data;

import io.cnn4j.limits.InputFileException;
import io.cnn4j.limits.InputFiles;
import io.cnn4j.limits.MemoryBudget;
import io.cnn4j.limits.TooLargeException;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * An IDX file, the format of MNIST and Fashion-MNIST: the bytes {@code 0x00 0x00}, a type code, the
 * number of dimensions, then each dimension as a big-endian int32 (outermost first), then the values in
 * row-major order. Image files are {@code [N, H, W]}, label files {@code [N]}.
 *
 * <p>Only type {@code 0x08} (unsigned byte) is supported, which is what image and label files use. A file
 * may be gzip-compressed or raw; compression is recognised by the gzip magic {@code 0x1f 0x8b}, not by the
 * file name, because renamed and decompressed copies are common; bytes after the gzip data that do not
 * start another gzip member are refused. Every problem is reported as a {@link DataFileException} naming
 * the file.
 *
 * <p>A header is 16 bytes that can claim two billion images, so its claim is checked before memory is
 * taken for it: against the file's length (a raw file is exactly header plus data; gzip expands at most
 * {@value #GZIP_MAX_RATIO}-fold) and against the free heap. Data a stream promises is taken as it arrives.
 *
 * <p>Instances are immutable: the values are copied in and out.
 */
public final class IdxFile {
    /** The IDX type code of unsigned bytes, the only one supported. */
    public static final int UNSIGNED_BYTE = 0x08;
    /** Deflate's greatest expansion (zlib's figure): each compressed byte gives at most this many. */
    static final long GZIP_MAX_RATIO = 1032;
    /** Data that no file length vouches for is read into an array of this size at first, grown as it arrives. */
    private static final int FIRST_CHUNK = 1 << 20;

    private final String source;
    private final int[] dims;
    private final byte[] data;

    private IdxFile(String source, int[] dims, byte[] data) {
        this.source = source;
        this.dims = dims;
        this.data = data;
    }

    /** Unsigned-byte values {@code data} (copied) with the given dimensions; {@code source} names it in messages. */
    public static IdxFile of(String source, byte[] data, int... dims) {
        long n = checkedSize(source, dims);
        if (n != data.length) {
            throw new IllegalArgumentException(source + ": dimensions " + Arrays.toString(dims) + " need " + n
                    + " bytes, got " + data.length);
        }
        return new IdxFile(source, dims.clone(), data.clone());
    }

    /** Reads a whole IDX file, gzip-compressed or not. */
    public static IdxFile read(Path path) throws IOException {
        try (Reader r = open(path)) {
            return r.readWhole();
        }
    }

    /**
     * Reads a whole IDX file from a stream (a classpath resource, say), gzip-compressed or not, and closes
     * the stream. {@code source} names the stream in error messages.
     */
    public static IdxFile read(InputStream in, String source) throws IOException {
        try (Reader r = Reader.wrap(in, source, -1)) {
            return r.readWhole();
        }
    }

    /**
     * Reads item {@code index} (counting from 0 along the first dimension) without holding the rest of the
     * file in memory: for an {@code [N, H, W]} image file the result is {@code [1, H, W]}. The file is still
     * decompressed up to that item.
     */
    public static IdxFile readItem(Path path, int index) throws IOException {
        String source = path.toString();
        try (Reader r = open(path)) {
            int[] dims = r.header();
            int itemSize = (int) (checkedSize(source, dims) / Math.max(1, dims[0]));
            r.checkClaim(dims, itemSize, "item " + index + " of " + source);
            if (index < 0 || index >= dims[0]) {
                throw new DataFileException(source, "item " + index + " is out of range: " + source + " holds "
                        + dims[0] + " items (0 to " + (dims[0] - 1) + ")");
            }
            r.skipExactly((long) index * itemSize, dims);
            byte[] data = r.readData(itemSize, dims);
            int[] itemDims = dims.clone();
            itemDims[0] = 1;
            return new IdxFile(source + "#" + index, itemDims, data);
        }
    }

    /** Writes this file as unsigned-byte IDX, gzip-compressed if {@code gzip}. */
    public void write(Path path, boolean gzip) throws IOException {
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(path));
             OutputStream out = gzip ? new GZIPOutputStream(file, 1 << 16) : file) {
            byte[] header = new byte[4 + 4 * dims.length];
            header[2] = UNSIGNED_BYTE;
            header[3] = (byte) dims.length;
            for (int i = 0; i < dims.length; i++) {
                putInt(header, 4 + 4 * i, dims[i]);
            }
            out.write(header);
            out.write(data);
        }
    }

    /** Where the values came from: a path, a classpath resource, or {@code path#index} for one item. */
    public String source() {
        return source;
    }

    public int[] dims() {
        return dims.clone();
    }

    public int dim(int i) {
        return dims[i];
    }

    public int rank() {
        return dims.length;
    }

    /** The first dimension: the number of images or labels. */
    public int count() {
        return dims[0];
    }

    /** A copy of the values, row-major; each byte is unsigned ({@code b & 0xff}). */
    public byte[] data() {
        return data.clone();
    }

    /** The live values, for the classes here that promise not to modify them. */
    byte[] bytes() {
        return data;
    }

    @Override
    public String toString() {
        return "IdxFile(" + source + ", " + Arrays.toString(dims) + ")";
    }

    /** A reader of a regular file (never a FIFO, which would block), which knows the file's length. */
    private static Reader open(Path path) throws DataFileException {
        String source = path.toString();
        long size;
        InputStream in;
        try {
            size = InputFiles.requireRegularFile(path, "IDX file");
            in = Files.newInputStream(path);
        } catch (InputFileException e) {
            throw new DataFileException(source, e.getMessage(), e);
        } catch (IOException e) {
            throw new DataFileException(source, "IDX file " + source + " cannot be opened: "
                    + DataFileException.reason(e), e);
        }
        return Reader.wrap(in, source, size);
    }


    private static long checkedSize(String source, int[] dims) {
        long n = 1;
        for (int d : dims) {
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(source + ": dimensions " + Arrays.toString(dims)
                        + " give more values than a Java array holds");
            }
        }
        return n;
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    private static String typeName(int code) {
        return switch (code) {
            case 0x08 -> "unsigned byte";
            case 0x09 -> "signed byte";
            case 0x0B -> "16-bit integer";
            case 0x0C -> "32-bit integer";
            case 0x0D -> "32-bit float";
            case 0x0E -> "64-bit float";
            default -> "not a known IDX type";
        };
    }

    /**
     * Reads the (possibly decompressed) stream while counting bytes, so that a short file can be reported
     * with how many bytes it promised and how many it held.
     */
    private static final class Reader implements AutoCloseable {
        private final String source;
        private final InputStream in;
        private final boolean gzip;
        /** The length of the file read, or -1 for a stream of unknown length. */
        private final long fileSize;
        private long consumed;
        private int headerLength;
        private boolean gzipCut;

        private Reader(String source, InputStream in, boolean gzip, long fileSize) {
            this.source = source;
            this.in = in;
            this.gzip = gzip;
            this.fileSize = fileSize;
        }

        /** Reads {@code raw}, decompressing it if it starts with the gzip magic; closes it on failure. */
        static Reader wrap(InputStream raw, String source, long fileSize) throws DataFileException {
            InputStream in = new BufferedInputStream(raw, 1 << 16);
            try {
                in.mark(2);
                int b0 = in.read();
                int b1 = in.read();
                in.reset();
                if (b0 == 0x1f && b1 == 0x8b) {
                    return new Reader(source, new GzipInput(in, 1 << 16), true, fileSize);
                }
                return new Reader(source, in, false, fileSize);
            } catch (IOException e) {
                DataFileException problem = switch (e) {
                    case EOFException _ -> new DataFileException(source, source
                            + " is truncated: it ends inside its gzip header", e);
                    case ZipException _ -> new DataFileException(source, source
                            + " is corrupt: its gzip header cannot be read (" + DataFileException.reason(e) + ")", e);
                    default -> new DataFileException(source, source + " cannot be read: "
                            + DataFileException.reason(e), e);
                };
                try {
                    in.close();
                } catch (IOException closing) {
                    problem.addSuppressed(closing);
                }
                throw problem;
            }
        }

        /** The whole file: header, then exactly the data it declares. */
        IdxFile readWhole() throws DataFileException {
            int[] dims = header();
            int length = (int) checkedSize(source, dims);
            checkClaim(dims, length, source);
            byte[] data = readData(length, dims);
            expectEnd(dims);
            return new IdxFile(source, dims, data);
        }

        int[] header() throws DataFileException {
            byte[] magic = new byte[4];
            int got = read(magic, 0, 4);
            if (got == 0) {
                throw new DataFileException(source, source + " is empty" + (gzip ? " after gzip decompression" : "")
                        + ", not an IDX file");
            }
            if (magic[0] != 0 || got >= 2 && magic[1] != 0) {
                throw new DataFileException(source, source + " is not an IDX file: it starts with "
                        + hex(magic, got) + ", where an IDX file starts with two zero bytes, a type code and a"
                        + " dimension count" + (gzip ? " (after gzip decompression)" : ""));
            }
            if (got < 4) {
                throw new DataFileException(source, source + " is truncated: an IDX header needs at least 4 bytes"
                        + " but it holds " + got + suffix());
            }
            int type = magic[2] & 0xff;
            if (type != UNSIGNED_BYTE) {
                throw new DataFileException(source, source + " holds IDX type 0x" + String.format("%02X", type)
                        + " (" + typeName(type) + "); only type 0x08 (unsigned byte) is supported");
            }
            int rank = magic[3] & 0xff;
            if (rank == 0) {
                throw new DataFileException(source, source + " declares no dimensions, so it holds no images or labels");
            }
            headerLength = 4 + 4 * rank;
            byte[] b = new byte[4 * rank];
            got = read(b, 0, b.length);
            if (got < b.length) {
                throw new DataFileException(source, source + " is truncated: its " + rank + "-dimensional IDX header"
                        + " needs " + headerLength + " bytes but it holds " + (4 + got) + suffix());
            }
            int[] dims = new int[rank];
            for (int i = 0; i < rank; i++) {
                dims[i] = (b[4 * i] & 0xff) << 24 | (b[4 * i + 1] & 0xff) << 16 | (b[4 * i + 2] & 0xff) << 8
                        | (b[4 * i + 3] & 0xff);
                if (dims[i] < 0) {
                    throw new DataFileException(source, source + " declares dimension " + i + " as "
                            + Integer.toUnsignedString(dims[i]) + ", too large to be a real IDX file");
                }
            }
            try {
                checkedSize(source, dims);
            } catch (IllegalArgumentException e) {
                throw new DataFileException(source, e.getMessage(), e);
            }
            return dims;
        }

        /**
         * Refuses what the header claims before anything is allocated for it: data the file cannot hold,
         * or {@code bytes} (what is about to be read, the {@code what}) that the heap cannot give.
         */
        void checkClaim(int[] dims, long bytes, String what) throws DataFileException {
            long expected = expected(dims);
            if (fileSize >= 0 && !gzip && expected != fileSize) {
                throw expected > fileSize ? truncated(dims, fileSize) : tooLong(dims, fileSize);
            }
            if (fileSize >= 0 && gzip && expected > fileSize * GZIP_MAX_RATIO) {
                throw new DataFileException(source, source + " is truncated or not what it claims: it holds "
                        + MemoryBudget.format(fileSize) + " of gzip data, which cannot expand to more than "
                        + MemoryBudget.format(fileSize * GZIP_MAX_RATIO) + " (" + GZIP_MAX_RATIO + " times), but its IDX"
                        + " header " + Arrays.toString(dims) + " claims " + MemoryBudget.format(expected));
            }
            // Data no file length vouches for arrives into a growing array, which briefly holds twice as much.
            try {
                MemoryBudget.require(vouched() ? bytes : 2 * bytes, what + " " + Arrays.toString(dims) + " ("
                        + MemoryBudget.format(bytes) + " of data" + (vouched() ? ")" : ", read into a growing array)"));
            } catch (TooLargeException e) {
                throw new DataFileException(source, e.getMessage(), e);
            }
        }

        /**
         * Reads {@code length} bytes of data. Unless the file's length vouched for them, the array grows as
         * they arrive, so a stream that promises much and holds little costs only what it holds.
         */
        byte[] readData(int length, int[] dims) throws DataFileException {
            byte[] data = new byte[vouched() ? length : Math.min(length, FIRST_CHUNK)];
            int filled = 0;
            while (true) {
                filled += read(data, filled, data.length - filled);
                if (filled < data.length) {
                    throw truncated(dims, consumed);
                }
                if (filled == length) {
                    return data;
                }
                data = Arrays.copyOf(data, (int) Math.min(length, 2L * data.length));
            }
        }

        void skipExactly(long n, int[] dims) throws DataFileException {
            byte[] scratch = new byte[(int) Math.min(n, 1 << 16)];
            long left = n;
            while (left > 0) {
                int want = (int) Math.min(left, scratch.length);
                int got = read(scratch, 0, want);
                if (got < want) {
                    throw truncated(dims, consumed);
                }
                left -= got;
            }
        }

        /** Trailing bytes mean the header does not describe the file: better to refuse than to guess. */
        void expectEnd(int[] dims) throws DataFileException {
            byte[] scratch = new byte[1 << 16];
            long extra = 0;
            int got;
            while ((got = read(scratch, 0, scratch.length)) > 0) {
                extra += got;
            }
            if (extra > 0) {
                throw tooLong(dims, consumed);
            }
            if (gzipCut) {
                throw new DataFileException(source, source + " is truncated: it holds all " + expected(dims)
                        + " bytes its IDX header promises, but its gzip stream is cut short before the end");
            }
        }

        /** Whether the data's length is the file's own, checked by {@link #checkClaim}: a raw file read by path. */
        private boolean vouched() {
            return fileSize >= 0 && !gzip;
        }

        private long expected(int[] dims) {
            return headerLength + checkedSize(source, dims);
        }

        private DataFileException truncated(int[] dims, long holds) {
            return new DataFileException(source, source + " is truncated: its IDX header " + Arrays.toString(dims)
                    + " promises " + expected(dims) + " bytes but it holds only " + holds + suffix());
        }

        private DataFileException tooLong(int[] dims, long holds) {
            long extra = holds - expected(dims);
            return new DataFileException(source, source + " holds " + holds + " bytes but its IDX header "
                    + Arrays.toString(dims) + " accounts for " + expected(dims) + suffix()
                    + "; it has " + extra + (extra == 1 ? " byte" : " bytes") + " too many");
        }

        private String suffix() {
            if (gzipCut) {
                return " (after gzip decompression; the compressed stream itself is cut short)";
            }
            return gzip ? " (after gzip decompression)" : "";
        }

        /** Reads up to {@code len} bytes, fewer only at the end of the data. */
        private int read(byte[] b, int off, int len) throws DataFileException {
            int total = 0;
            if (gzipCut) {
                return 0;
            }
            try {
                while (total < len) {
                    int n = in.read(b, off + total, len - total);
                    if (n < 0) {
                        break;
                    }
                    total += n;
                    consumed += n;
                }
                return total;
            } catch (EOFException e) {
                // The compressed stream was cut short: the data ends here.
                gzipCut = true;
                return total;
            } catch (GzipInput.TrailingBytesException e) {
                throw new DataFileException(source, source + " has " + e.count() + " bytes of trailing garbage after"
                        + " its gzip data (not another gzip member, which would start with 0x1f 0x8b)", e);
            } catch (ZipException e) {
                throw new DataFileException(source, source + " is corrupt: its gzip data cannot be decompressed ("
                        + DataFileException.reason(e) + ")", e);
            } catch (IOException e) {
                throw new DataFileException(source, source + " cannot be read: " + DataFileException.reason(e), e);
            }
        }

        private static String hex(byte[] b, int n) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < n; i++) {
                s.append(i == 0 ? "" : " ").append(String.format("0x%02x", b[i] & 0xff));
            }
            return s.toString();
        }

        @Override
        public void close() throws DataFileException {
            try {
                in.close();
            } catch (IOException e) {
                throw new DataFileException(source, source + " cannot be closed: " + DataFileException.reason(e), e);
            }
        }
    }
}
