package io.cnn4j.data;

import io.cnn4j.fuzz.HostileInput;
import io.cnn4j.limits.MemoryBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static io.cnn4j.data.IdxBytes.concat;
import static io.cnn4j.data.IdxBytes.counting;
import static io.cnn4j.data.IdxBytes.gzip;
import static io.cnn4j.data.IdxBytes.idx;
import static io.cnn4j.data.IdxBytes.ubyte;
import static io.cnn4j.data.IdxBytes.write;
import static io.cnn4j.data.Mentions.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void idxHeaderClaimingTwoBillionImagesIsRefusedBeforeAllocating() throws Exception {
        // 16 bytes that claim 2^31 - 9 one-pixel images: 2 GB, were it believed.
        byte[] header = ubyte(new byte[0], Integer.MAX_VALUE - 8, 1, 1);
        Path raw = write(tmp.resolve("claims-raw"), header);
        DataFileException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                assertThrows(DataFileException.class, () -> IdxFile.read(raw)));
        assertEquals(raw + " is truncated: its IDX header [2147483639, 1, 1] promises 2147483655 bytes but it holds"
                + " only 16", e.getMessage());

        Path gz = write(tmp.resolve("claims.gz"), gzip(header));
        e = assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                assertThrows(DataFileException.class, () -> IdxFile.read(gz)));
        long size = Files.size(gz);
        assertEquals(gz + " is truncated or not what it claims: it holds " + size + " bytes of gzip data, which cannot"
                + " expand to more than " + MemoryBudget.format(size * 1032) + " (1032 times), but its IDX header"
                + " [2147483639, 1, 1] claims 2.1 GB", e.getMessage());
        e = assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                assertThrows(DataFileException.class, () -> IdxFile.readItem(gz, 5)));
        assertMentions(e, gz.toString(), "claims 2.1 GB");

        // A stream has no length to check against: its data is taken only as it arrives.
        e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(DataFileException.class,
                () -> IdxFile.read(new ByteArrayInputStream(gzip(header)), "classpath:claims.gz")));
        assertTrue(e.getMessage().startsWith("classpath:claims.gz is truncated")
                || e.getMessage().startsWith("classpath:claims.gz [2147483639, 1, 1] (2.1 GB of data, read into a"
                + " growing array) needs 4.3 GB of memory"), e.getMessage());
    }

    @Test
    void aClaimThatDoesNotFitTheHeapIsRefusedWithTheHeapsSize() throws Exception {
        // About 1.5 GB of images: a raw file that long would be believed, so the heap is what says no.
        int n = (int) Math.min(Integer.MAX_VALUE - 8, Runtime.getRuntime().maxMemory() / 2 + 1) / 1024 * 1024;
        byte[] header = ubyte(new byte[0], n / 1024, 32, 32);
        DataFileException e = assertThrows(DataFileException.class,
                () -> IdxFile.read(new ByteArrayInputStream(header), "classpath:big"));
        assertMentions(e, "classpath:big [" + n / 1024 + ", 32, 32] (", "of memory, but the JVM has", "-Xmx");
    }

    @Test
    void aGzipHeaderCutShortSaysSoNotNull() throws Exception {
        for (int length = 2; length < 10; length++) {
            Path file = write(tmp.resolve("cut-header-" + length + ".gz"), Arrays.copyOf(gzip(VALUES), length));
            DataFileException e = assertThrows(DataFileException.class, () -> IdxFile.read(file));
            assertEquals(file + " is truncated: it ends inside its gzip header", e.getMessage());
        }
    }

    @Test
    void gzipIdxWithTrailingGarbageIsRefused() throws Exception {
        byte[] gz = gzip(ubyte(VALUES, 2, 2, 3));
        for (byte[] garbage : List.of(new byte[] {'x'}, "garbage".getBytes(), new byte[4096], new byte[] {0x1f})) {
            Path file = write(tmp.resolve("trailing.gz"), concat(gz, garbage));
            DataFileException e = assertThrows(DataFileException.class, () -> IdxFile.read(file));
            assertEquals(file + " has " + garbage.length + " bytes of trailing garbage after its gzip data (not another"
                    + " gzip member, which would start with 0x1f 0x8b)", e.getMessage());
        }
    }

    @Test
    void concatenatedGzipMembersAreOneFileAsGunzipReadsThem() throws Exception {
        // gzip -c a >> f; gzip -c b >> f makes such files; gunzip and GZIPInputStream read them whole.
        byte[] raw = ubyte(VALUES, 2, 2, 3);
        Path file = write(tmp.resolve("members.gz"),
                concat(gzip(Arrays.copyOf(raw, 10)), gzip(Arrays.copyOfRange(raw, 10, raw.length))));
        assertArrayEquals(VALUES, IdxFile.read(file).data());
        Path fields = write(tmp.resolve("fields.gz"), IdxBytes.gzipWithAllHeaderFields(raw));
        assertArrayEquals(VALUES, IdxFile.read(fields).data());
    }

    @Test
    void corruptGzipSaysWhereItIsCorrupt() throws Exception {
        byte[] method9 = gzip(ubyte(VALUES, 2, 2, 3));
        method9[2] = 9;
        byte[] badCrc = gzip(ubyte(VALUES, 2, 2, 3));
        badCrc[badCrc.length - 8] ^= 1;
        Path header = write(tmp.resolve("method9.gz"), method9);
        Path trailer = write(tmp.resolve("crc.gz"), badCrc);
        assertEquals(header + " is corrupt: its gzip header cannot be read (unsupported gzip compression method 9"
                + " (only 8, deflate, exists))", assertThrows(DataFileException.class, () -> IdxFile.read(header)).getMessage());
        assertEquals(trailer + " is corrupt: its gzip data cannot be decompressed (the gzip checksum (CRC-32) does not"
                + " match the data)", assertThrows(DataFileException.class, () -> IdxFile.read(trailer)).getMessage());
    }

    @Test
    void fifoAsIdxFileIsRefusedNotOpened() throws Exception {
        Path fifo = HostileInput.fifo(tmp.resolve("train-images-idx3-ubyte"));
        DataFileException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                assertThrows(DataFileException.class, () -> IdxFile.read(fifo)));
        assertEquals("IDX file " + fifo + " is not a regular file (a FIFO); cnn4j reads only regular files, so that"
                + " reading cannot block or never end", e.getMessage());
        assertThrows(DataFileException.class, () -> IdxFile.readItem(fifo, 0));
    }

    @Test
    void readItemRefusesARawFileWhoseLengthIsNotItsHeaders() throws Exception {
        Path file = write(tmp.resolve("long-items"), ubyte(counting(13), 3, 2, 2));
        DataFileException e = assertThrows(DataFileException.class, () -> IdxFile.readItem(file, 0));
        assertEquals(file + " holds 29 bytes but its IDX header [3, 2, 2] accounts for 28; it has 1 byte too many",
                e.getMessage());
    }
}
