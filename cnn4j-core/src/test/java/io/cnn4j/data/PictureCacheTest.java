package io.cnn4j.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.cnn4j.data.PictureTrees.colour;
import static io.cnn4j.data.PictureTrees.gray;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PictureCacheTest {
    @TempDir
    Path tmp;

    private Path dir;
    private Path cache;

    private void tree() {
        dir = tmp.resolve("data");
        cache = tmp.resolve("cache");
        for (int i = 0; i < 6; i++) {
            colour(dir.resolve("a/" + i + ".png"), "png", 3, 2, 0x010203 * (i + 1));
            gray(dir.resolve("b/" + i + ".png"), "png", 3, 2, 100 + i);
        }
    }

    private PictureTrees.Recorder load(Preprocessing preprocessing) throws Exception {
        PictureTrees.Recorder recorder = new PictureTrees.Recorder();
        ImageFolder.load(dir, new DataOptions(preprocessing, 0.2, 0, false, cache, recorder));
        return recorder;
    }

    private DataSplit split(Path cacheDir) throws Exception {
        return ImageFolder.load(dir, new DataOptions(Preprocessing.NONE, 0.2, 0, false, cacheDir, null));
    }

    private Path cacheFile() throws Exception {
        try (Stream<Path> files = Files.list(cache)) {
            List<Path> all = files.toList();
            assertEquals(1, all.size(), "one cache file and no leftover temporary: " + all);
            return all.get(0);
        }
    }

    @Test
    void aSecondLoadDecodesNothingAndMapsTheCache() throws Exception {
        tree();
        PictureTrees.Recorder first = load(Preprocessing.NONE);
        assertEquals(12, first.decoded);
        Path file = cacheFile();
        assertTrue(file.getFileName().toString().matches("data-[0-9a-f]{16}\\.pictures"), file.toString());
        assertTrue(first.notesText().startsWith("decoded 12 pictures into the cache " + file), first.notesText());

        PictureTrees.Recorder second = load(Preprocessing.NONE);
        assertEquals(0, second.decoded);
        assertEquals(List.of("read 12 decoded pictures from the cache " + file), second.notes);
        DataSplit split = split(cache);
        assertTrue(split.train().isMapped());
        // 12 pictures of 3x2x3 bytes, then labels, file indices, the skipped count and the footer.
        assertEquals(12 * 18 + 12 * 8 + 4 + 76, Files.size(file));
    }

    @Test
    void aChangedAddedOrRemovedFileOrOtherPreprocessingDecodesAgain() throws Exception {
        tree();
        load(Preprocessing.NONE);
        Path changed = dir.resolve("a/2.png");
        colour(changed, "png", 3, 2, 0xFFFFFF);
        Files.setLastModifiedTime(changed, FileTime.fromMillis(Files.getLastModifiedTime(changed).toMillis() + 5000));
        PictureTrees.Recorder afterChange = load(Preprocessing.NONE);
        assertEquals(12, afterChange.decoded);
        assertTrue(afterChange.notesText().contains("is out of date: the pictures or their preprocessing changed;"
                + " decoding the pictures again"), afterChange.notesText());
        assertEquals(0, load(Preprocessing.NONE).decoded);

        gray(dir.resolve("b/new.png"), "png", 3, 2, 7);
        assertEquals(13, load(Preprocessing.NONE).decoded);
        Files.delete(dir.resolve("b/new.png"));
        assertEquals(12, load(Preprocessing.NONE).decoded);
        assertEquals(1, Files.list(cache).count(), "the same folder and preprocessing reuse one cache file");

        PictureTrees.Recorder gray = load(Preprocessing.NONE.withColor(ColorMode.GRAY));
        assertEquals(12, gray.decoded);
        assertEquals(0, load(Preprocessing.NONE).decoded, "each preprocessing keeps its own cache");
        assertEquals(2, Files.list(cache).count());
    }

    @Test
    void temporariesOfWritersNoLongerRunningAreDeleted() throws Exception {
        tree();
        String name = PictureCache.name(dir, Preprocessing.NONE);
        Path dead = Files.createDirectories(cache).resolve("." + name + ".2147483646-1f.tmp");
        Path live = cache.resolve("." + name + "." + ProcessHandle.current().pid() + "-2e.tmp");
        Files.writeString(dead, "left by a killed run");
        Files.writeString(live, "being written by a run still going");
        load(Preprocessing.NONE);
        assertFalse(Files.exists(dead));
        assertTrue(Files.exists(live));
        assertTrue(Files.exists(cache.resolve(name)));
    }

    @Test
    void aDamagedCacheIsRebuiltNotTrusted() throws Exception {
        tree();
        load(Preprocessing.NONE);
        Path file = cacheFile();
        byte[] good = Files.readAllBytes(file);
        float[] expected = split(cache).train().batch(0, 1, 2).data();

        Files.write(file, Arrays.copyOf(good, good.length - 10));
        PictureTrees.Recorder truncated = load(Preprocessing.NONE);
        assertEquals(12, truncated.decoded);
        assertTrue(truncated.notesText().contains("is damaged: it does not end in a cnn4j picture cache's footer"),
                truncated.notesText());

        byte[] flipped = good.clone();
        flipped[12 * 18 + 3] ^= 1; // a label
        Files.write(file, flipped);
        PictureTrees.Recorder corrupt = load(Preprocessing.NONE);
        assertEquals(12, corrupt.decoded);
        assertTrue(corrupt.notesText().contains("is damaged: its checksum does not match"), corrupt.notesText());

        Files.writeString(file, "garbage");
        PictureTrees.Recorder garbage = load(Preprocessing.NONE);
        assertEquals(12, garbage.decoded);
        assertTrue(garbage.notesText().contains("is damaged: it is 7 bytes, shorter than its footer"), garbage.notesText());
        assertArrayEquals(expected, split(cache).train().batch(0, 1, 2).data());
    }

    @Test
    void anUnwritableCacheFolderMeansPicturesInMemoryWithTheSameBatches() throws Exception {
        tree();
        Path blocked = Files.writeString(tmp.resolve("blocked"), "a file where the cache folder should be");
        PictureTrees.Recorder recorder = new PictureTrees.Recorder();
        DataSplit inMemory = ImageFolder.load(dir, new DataOptions(Preprocessing.NONE, 0.2, 0, false, blocked.resolve("sub"),
                recorder));
        assertEquals(1, recorder.notes.size());
        assertTrue(recorder.notes.get(0).startsWith("the cache folder " + blocked.resolve("sub") + " cannot be written ("),
                recorder.notesText());
        assertTrue(recorder.notes.get(0).endsWith("), so the decoded pictures are held in memory (216 bytes while decoding)"),
                recorder.notesText());
        assertFalse(inMemory.train().isMapped());

        DataSplit mapped = split(tmp.resolve("cache"));
        assertTrue(mapped.train().isMapped());
        assertEquals(inMemory.description(), mapped.description());
        for (Dataset[] pair : new Dataset[][] {{inMemory.train(), mapped.train()}, {inMemory.test(), mapped.test()}}) {
            int[] all = IntStream.range(0, pair[0].size()).toArray();
            assertArrayEquals(pair[0].batch(all).data(), pair[1].batch(all).data());
            assertArrayEquals(pair[0].labels(), pair[1].labels());
        }
        ValidationSplit a = ValidationSplit.carve(inMemory.train(), 3, 5);
        ValidationSplit b = ValidationSplit.carve(mapped.train(), 3, 5);
        assertArrayEquals(a.validation().batch(0, 1, 2).data(), b.validation().batch(0, 1, 2).data());
        assertArrayEquals(a.train().batch(0, 1).data(), b.train().batch(0, 1).data());
    }
}
