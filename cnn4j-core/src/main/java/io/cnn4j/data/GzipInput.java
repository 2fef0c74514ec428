package io.cnn4j.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * Decompresses gzip data (RFC 1952) member after member, as {@code gunzip} does, and refuses bytes after
 * the last member that do not start another one. {@link java.util.zip.GZIPInputStream} drops such bytes
 * without a word, so a file with garbage appended would pass for whole.
 *
 * <p>A stream cut short anywhere, header included, ends in an {@link EOFException}; corrupt data or a bad
 * checksum in a {@link ZipException}; trailing bytes in a {@link TrailingBytesException}. No message is
 * null.
 */
final class GzipInput extends InputStream {
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private final PushbackInputStream in;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final byte[] buffer;
    private int buffered;
    private boolean ended;

    /** Bytes after the last gzip member that are not another member. */
    static final class TrailingBytesException extends ZipException {
        private final long count;

        TrailingBytesException(long count) {
            super(count + (count == 1 ? " byte follows" : " bytes follow") + " the end of the gzip data");
            this.count = count;
        }

        long count() {
            return count;
        }
    }

    /** Reads the first member's header from {@code in}, which must start with the gzip magic. */
    GzipInput(InputStream in, int bufferSize) throws IOException {
        this.buffer = new byte[bufferSize];
        this.in = new PushbackInputStream(in, bufferSize);
        try {
            readHeader();
        } catch (IOException e) {
            inflater.end();
            throw e;
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        while (!ended) {
            int n;
            try {
                n = inflater.inflate(b, off, len);
            } catch (DataFormatException e) {
                throw new ZipException(Objects.requireNonNullElse(e.getMessage(), "invalid deflate data"));
            }
            if (n > 0) {
                crc.update(b, off, n);
                return n;
            }
            if (inflater.finished()) {
                endMember();
            } else if (inflater.needsDictionary()) {
                throw new ZipException("the deflate data asks for a preset dictionary, which gzip never uses");
            } else if (inflater.needsInput()) {
                buffered = in.read(buffer, 0, buffer.length);
                if (buffered < 0) {
                    throw new EOFException("the gzip data ends inside a compressed block");
                }
                inflater.setInput(buffer, 0, buffered);
            }
        }
        return -1;
    }

    /** Checks the member's trailer, then starts the next member, ends cleanly, or refuses what follows. */
    private void endMember() throws IOException {
        int unused = inflater.getRemaining();
        if (unused > 0) {
            in.unread(buffer, buffered - unused, unused);
        }
        long storedCrc = readInt();
        long storedSize = readInt();
        if (storedCrc != crc.getValue()) {
            throw new ZipException("the gzip checksum (CRC-32) does not match the data");
        }
        if (storedSize != (inflater.getBytesWritten() & 0xffffffffL)) {
            throw new ZipException("the gzip trailer's length does not match the data");
        }
        int b0 = in.read();
        if (b0 < 0) {
            ended = true;
            return;
        }
        int b1 = in.read();
        if (b0 != 0x1f || b1 != 0x8b) {
            throw new TrailingBytesException((b1 < 0 ? 1 : 2) + drain());
        }
        in.unread(new byte[] {(byte) b0, (byte) b1});
        inflater.reset();
        crc.reset();
        readHeader();
    }

    /** Counts the bytes left, for the message. */
    private long drain() throws IOException {
        long n = 0;
        for (int got; (got = in.read(buffer, 0, buffer.length)) >= 0; ) {
            n += got;
        }
        return n;
    }

    private void readHeader() throws IOException {
        CRC32 headerCrc = new CRC32();
        if (readByte(headerCrc) != 0x1f || readByte(headerCrc) != 0x8b) {
            throw new ZipException("not in gzip format");
        }
        int method = readByte(headerCrc);
        if (method != 8) {
            throw new ZipException("unsupported gzip compression method " + method + " (only 8, deflate, exists)");
        }
        int flags = readByte(headerCrc);
        for (int i = 0; i < 6; i++) {
            readByte(headerCrc); // modification time, extra flags, operating system
        }
        if ((flags & FEXTRA) != 0) {
            int length = readByte(headerCrc) | readByte(headerCrc) << 8;
            for (int i = 0; i < length; i++) {
                readByte(headerCrc);
            }
        }
        if ((flags & FNAME) != 0) {
            while (readByte(headerCrc) != 0) {
                // the original file name, zero-terminated
            }
        }
        if ((flags & FCOMMENT) != 0) {
            while (readByte(headerCrc) != 0) {
                // a comment, zero-terminated
            }
        }
        if ((flags & FHCRC) != 0) {
            int expected = (int) headerCrc.getValue() & 0xffff;
            if ((readByte(null) | readByte(null) << 8) != expected) {
                throw new ZipException("the gzip header's checksum does not match it");
            }
        }
    }

    private int readByte(CRC32 checksum) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the gzip data ends inside a gzip header or trailer");
        }
        if (checksum != null) {
            checksum.update(b);
        }
        return b;
    }

    private long readInt() throws IOException {
        return readByte(null) | readByte(null) << 8 | readByte(null) << 16 | (long) readByte(null) << 24;
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        in.close();
    }
}
