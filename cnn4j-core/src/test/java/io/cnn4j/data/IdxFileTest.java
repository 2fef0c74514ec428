package io.cnn4j.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;

import static io.cnn4j.data.IdxBytes.counting;
import static io.cnn4j.data.IdxBytes.gzip;
import static io.cnn4j.data.IdxBytes.idx;
import static io.cnn4j.data.IdxBytes.ubyte;
import static io.cnn4j.data.IdxBytes.write;
import static io.cnn4j.data.Mentions.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IdxFileTest {
    @TempDir
    Path tmp;

    private static final byte[] VALUES = {0, 1, 2, 127, (byte) 128, (byte) 255, 7, 8, 9, 10, 11, (byte) 200};

    @Test
    void readsRawFileWithKnownValues() throws Exception {
        Path file = write(tmp.resolve("images.idx"), ubyte(VALUES, 2, 2, 3));
        IdxFile idx = IdxFile.read(file);
        assertArrayEquals(new int[] {2, 2, 3}, idx.dims());
        assertEquals(2, idx.count());
        assertArrayEquals(VALUES, idx.data());
        assertEquals(file.toString(), idx.source());
    }

    @Test
    void detectsGzipByContentNotName() throws Exception {
        // Deliberately misleading names: compression must be recognised from the magic bytes.
        Path gz = write(tmp.resolve("looks-raw.idx"), gzip(ubyte(VALUES, 2, 2, 3)));
        Path raw = write(tmp.resolve("looks-compressed.gz"), ubyte(VALUES, 2, 2, 3));
        assertArrayEquals(VALUES, IdxFile.read(gz).data());
        assertArrayEquals(VALUES, IdxFile.read(raw).data());
    }

    @Test
    void writeThenReadRoundTrips() throws Exception {
        IdxFile original = IdxFile.of("test", VALUES, 3, 4);
        for (boolean gz : new boolean[] {true, false}) {
            Path file = tmp.resolve("round-trip-" + gz);
            original.write(file, gz);
            IdxFile back = IdxFile.read(file);
            assertArrayEquals(original.dims(), back.dims());
            assertArrayEquals(VALUES, back.data());
        }
    }

    @Test
    void truncatedRawFileNamesFileAndBothByteCounts() throws Exception {
        // Header of 16 bytes promises 10 images of 28x28 = 7840 bytes, but only 100 follow.
        Path file = write(tmp.resolve("short-images"), ubyte(new byte[100], 10, 28, 28));
        DataFileException e = assertThrows(DataFileException.class, () -> IdxFile.read(file));
        assertMentions(e, file.toString(), "truncated", "7856", "116");
        assertEquals(file.toString(), e.source());
    }

    @Test
    void truncatedGzipPayloadNamesBothDecompressedByteCounts() throws Exception {
        Path file = write(tmp.resolve("short.gz"), gzip(ubyte(new byte[100], 10, 28, 28)));
        DataFileException e = assertThrows(DataFileException.class, () -> IdxFile.read(file));
        assertMentions(e, file.toString(), "7856", "116", "after gzip decompression");
    }

    @Test
    void gzipStreamCutShortIsReportedAsTruncated() throws Exception {
        byte[] whole = gzip(ubyte(counting(5000), 5000));
        Path file = write(tmp.resolve("cut.gz"), Arrays.copyOf(whole, whole.length / 2));
        DataFileException e = assertThrows(DataFileException.class, () -> IdxFile.read(file));
        assertMentions(e, file.toString(), "truncated", "5008", "cut short");
    }

    @Test
    void truncatedHeaderIsReported() throws Exception {
        Path file = write(tmp.resolve("header-only"), new byte[] {0, 0, 8, 3, 0, 0});
        DataFileException e = assertThrows(DataFileException.class, () -> IdxFile.read(file));
        assertMentions(e, file.toString(), "truncated", "16", "6");
    }

    @Test
    void extraBytesAfterTheDataAreRejected() throws Exception {
        Path file = write(tmp.resolve("long"), ubyte(new byte[7], 5));
        DataFileException e = assertThrows(DataFileException.class, () -> IdxFile.read(file));
        assertMentions(e, file.toString(), "2 bytes too many");
    }

    @Test
    void badMagicSaysNotAnIdxFile() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        Path file = write(tmp.resolve("picture.png"), png);
        DataFileException e = assertThrows(DataFileException.class, () -> IdxFile.read(file));
        assertMentions(e, file.toString(), "not an IDX file", "0x89 0x50 0x4e 0x47");
    }

    @Test
    void emptyFileIsReported() throws Exception {
        Path file = write(tmp.resolve("empty"), new byte[0]);
        DataFileException e = assertThrows(DataFileException.class, () -> IdxFile.read(file));
        assertMentions(e, file.toString(), "empty");
    }

    @Test
    void unsupportedTypeIsNamed() throws Exception {
        Path file = write(tmp.resolve("floats"), idx(0x0D, new int[] {1}, new byte[4]));
        DataFileException e = assertThrows(DataFileException.class, () -> IdxFile.read(file));
        assertMentions(e, file.toString(), "0x0D", "32-bit float", "0x08");
    }

    @Test
    void missingFileIsNamed() {
        Path file = tmp.resolve("nowhere/train-images-idx3-ubyte.gz");
        DataFileException e = assertThrows(DataFileException.class, () -> IdxFile.read(file));
        assertMentions(e, file.toString(), "does not exist");
    }

    @Test
    void readItemTakesOneImageWithoutTheRest() throws Exception {
        Path file = write(tmp.resolve("three.gz"), gzip(ubyte(counting(12), 3, 2, 2)));
        IdxFile item = IdxFile.readItem(file, 2);
        assertArrayEquals(new int[] {1, 2, 2}, item.dims());
        assertArrayEquals(new byte[] {8, 9, 10, 11}, item.data());
        assertEquals(file + "#2", item.source());

        DataFileException e = assertThrows(DataFileException.class, () -> IdxFile.readItem(file, 3));
        assertMentions(e, file.toString(), "3 items", "0 to 2");
    }
}
