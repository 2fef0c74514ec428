package io.cnn4j.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.cnn4j.data.PictureTrees.colour;
import static io.cnn4j.data.PictureTrees.gray;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PictureDecodingTest {
    @TempDir
    Path tmp;

    private static final LoadProgress QUIET = (what, done, total) -> { };

    /** Slots over an array that fail once {@code failAfter} slots have been written. */
    private static final class Memory implements PictureDecoding.Slots {
        final byte[] bytes;
        int puts;
        final int failAfter;

        Memory(long size, int failAfter) {
            this.bytes = new byte[(int) size];
            this.failAfter = failAfter;
        }

        @Override
        public synchronized void put(long at, byte[] src, int length) throws IOException {
            if (++puts > failAfter) {
                throw new IOException("No space left on device");
            }
            System.arraycopy(src, 0, bytes, (int) at, length);
        }

        @Override
        public void get(long at, byte[] dst, int length) {
            System.arraycopy(bytes, (int) at, dst, 0, length);
        }
    }

    private List<PictureFile> files(Path... paths) {
        List<PictureFile> files = new ArrayList<>();
        for (Path p : paths) {
            files.add(new PictureFile(p, tmp.relativize(p).toString(), 0, 0, 0));
        }
        return files;
    }

    @Test
    void grayPicturesArePackedToOneChannelPastTheSkippedOnes() throws Exception {
        Path bad = Files.writeString(tmp.resolve("bad.png"), "no");
        List<PictureFile> files = files(bad, gray(tmp.resolve("a.png"), "png", 2, 1, 10),
                Files.writeString(tmp.resolve("worse.png"), "no"), gray(tmp.resolve("b.png"), "png", 2, 1, 20));
        PictureDecoding decoding = new PictureDecoding(tmp, files, Preprocessing.NONE);
        assertEquals(4 * 3 * 2, decoding.bytes(), "three channels a slot until the colours are known");
        Memory slots = new Memory(decoding.bytes(), Integer.MAX_VALUE);
        PictureDecoding.Result result = decoding.decodeInto(slots, 2, true, QUIET);
        assertEquals(1, result.channels());
        assertArrayEquals(new int[] {1, 3}, result.entries());
        assertEquals(List.of(0, 2), result.skipped().stream().map(PictureDecoding.Skipped::entry).toList());
        assertArrayEquals(new byte[] {10, 10, 20, 20}, Arrays.copyOf(slots.bytes, 4));
    }

    @Test
    void aColourPictureKeepsThreeChannelsAndGrayOnesAreReplicated() throws Exception {
        List<PictureFile> files = files(gray(tmp.resolve("a.png"), "png", 1, 1, 9),
                colour(tmp.resolve("b.png"), "png", 1, 1, 0x010203));
        PictureDecoding decoding = new PictureDecoding(tmp, files, Preprocessing.NONE);
        Memory slots = new Memory(decoding.bytes(), Integer.MAX_VALUE);
        assertEquals(3, decoding.decodeInto(slots, 2, false, QUIET).channels());
        assertArrayEquals(new byte[] {9, 9, 9, 1, 2, 3}, slots.bytes);
    }

    @Test
    void slotsThatCannotBeWrittenAreAnIOExceptionNotAPicturesFault() throws Exception {
        List<PictureFile> files = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            files.addAll(files(gray(tmp.resolve(i + ".png"), "png", 2, 2, i)));
        }
        PictureDecoding decoding = new PictureDecoding(tmp, files, Preprocessing.NONE);
        IOException e = assertThrows(IOException.class,
                () -> decoding.decodeInto(new Memory(decoding.bytes(), 5), 2, false, QUIET));
        assertFalse(e instanceof DataFileException);
        assertEquals("No space left on device", e.getMessage());
    }
}
