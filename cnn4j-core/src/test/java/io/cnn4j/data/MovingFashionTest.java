package io.cnn4j.data;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MovingFashionTest {
    private static final MovingFashion.Options OPTIONS = new MovingFashion.Options(6, 20, 3, 7);
    private static Dataset pictures;

    @BeforeAll
    static void load() throws IOException {
        pictures = Datasets.embedded().train().subset(300);
    }

    @Test
    void clipsAreItemsOfChannelsFramesAndCanvas() {
        Dataset clips = MovingFashion.clips(pictures, OPTIONS);
        assertTrue(clips.isClip());
        assertEquals(300, clips.size());
        assertEquals("[1, 6, 20, 20]", clips.itemShape().toString());
        assertEquals(MovingFashion.DIRECTIONS, clips.classNames());
    }

    @Test
    void theSameSeedMakesTheSameClipsAndAnotherSeedOthers() {
        Dataset a = MovingFashion.clips(pictures, OPTIONS);
        Dataset b = MovingFashion.clips(pictures, OPTIONS);
        Dataset c = MovingFashion.clips(pictures, new MovingFashion.Options(6, 20, 3, 8));
        assertArrayEquals(a.itemBytes(17), b.itemBytes(17));
        assertArrayEquals(a.labels(), b.labels());
        assertNotEquals(Arrays.toString(a.labels()), Arrays.toString(c.labels()));
    }

    @Test
    void everyFrameIsThePreviousShiftedByTheLabelsDirectionTimesTheSpeed() {
        Dataset clips = MovingFashion.clips(pictures, OPTIONS);
        int side = OPTIONS.side();
        int[] seen = new int[8];
        for (int i = 0; i < clips.size(); i++) {
            byte[] clip = clips.itemBytes(i);
            int[] step = MovingFashion.step(clips.label(i), OPTIONS.speed());
            seen[clips.label(i)]++;
            for (int f = 1; f < OPTIONS.frames(); f++) {
                for (int y = 0; y < side; y++) {
                    for (int x = 0; x < side; x++) {
                        int from = (f - 1) * side * side + y * side + x;
                        int to = f * side * side + Math.floorMod(y + step[0], side) * side + Math.floorMod(x + step[1], side);
                        assertEquals(clip[from], clip[to], "clip " + i + " frame " + f);
                    }
                }
            }
            assertTrue(nonZero(clip, 0, side * side) > 10, "clip " + i + " shows its picture");
        }
        assertTrue(Arrays.stream(seen).allMatch(n -> n > 20), "every direction is drawn: " + Arrays.toString(seen));
    }

    @Test
    void directionsAreTheCompassClockwiseFromNorthWithRowsGrowingDownwards() {
        assertArrayEquals(new int[] {-2, 0}, MovingFashion.step(0, 2));
        assertArrayEquals(new int[] {-2, 2}, MovingFashion.step(1, 2));
        assertArrayEquals(new int[] {0, 2}, MovingFashion.step(2, 2));
        assertArrayEquals(new int[] {2, 2}, MovingFashion.step(3, 2));
        assertArrayEquals(new int[] {2, 0}, MovingFashion.step(4, 2));
        assertArrayEquals(new int[] {2, -2}, MovingFashion.step(5, 2));
        assertArrayEquals(new int[] {0, -2}, MovingFashion.step(6, 2));
        assertArrayEquals(new int[] {-2, -2}, MovingFashion.step(7, 2));
    }

    @Test
    void shorterClipsAreTheFirstFramesOfLongerOnes() {
        Dataset eight = MovingFashion.clips(pictures, OPTIONS);
        Dataset one = MovingFashion.clips(pictures, OPTIONS.withFrames(1));
        assertArrayEquals(eight.labels(), one.labels());
        assertArrayEquals(Arrays.copyOf(eight.itemBytes(5), 400), one.itemBytes(5));
    }

    @Test
    void theSplitMakesTrainAndTestClipsWithDifferentSeeds() throws IOException {
        DataSplit split = MovingFashion.split(Datasets.embedded().subset(50, 40), OPTIONS);
        assertEquals(50, split.train().size());
        assertEquals(40, split.test().size());
        assertEquals("moving Fashion-MNIST (embedded subset: 10000 train, 2000 test images), limited to the first 50"
                + " train and 40 test images: 50 train, 40 test clips of 1x6x20x20, 3 px a frame", split.description());
    }

    @Test
    void badOptionsAreRefusedWithTheirLimits() {
        assertEquals("moving clips move from 1 to 19 pixels a frame on a 20-pixel canvas, got 20",
                assertThrows(IllegalArgumentException.class, () -> new MovingFashion.Options(8, 20, 20, 0)).getMessage());
        assertEquals("moving clips have from 1 to 4096 frames, got 0",
                assertThrows(IllegalArgumentException.class, () -> new MovingFashion.Options(0, 20, 2, 0)).getMessage());
    }

    private static int nonZero(byte[] b, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            n += b[i] != 0 ? 1 : 0;
        }
        return n;
    }
}
