package io.cnn4j.data;

import javax.imageio.stream.ImageInputStreamImpl;

/**
 * A picture file already read into memory, as ImageIO's readers take it: unlike
 * {@code MemoryCacheImageInputStream}, which copies whatever it reads into a cache of its own, it reads
 * the array in place (and, unlike {@code ImageIO.createImageInputStream}, never touches the disk cache).
 */
final class ByteArrayImageInputStream extends ImageInputStreamImpl {
    private final byte[] bytes;

    ByteArrayImageInputStream(byte[] bytes) {
        this.bytes = bytes;
    }

    @Override
    public int read() {
        bitOffset = 0;
        return streamPos < bytes.length ? bytes[(int) streamPos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        bitOffset = 0;
        if (len == 0) {
            return 0;
        }
        if (streamPos >= bytes.length) {
            return -1;
        }
        int n = (int) Math.min(len, bytes.length - streamPos);
        System.arraycopy(bytes, (int) streamPos, b, off, n);
        streamPos += n;
        return n;
    }

    @Override
    public long length() {
        return bytes.length;
    }
}
