package io.cnn4j.data;

import com.google.gson.JsonObject;
import io.cnn4j.tensor.Golden;
import io.cnn4j.tensor.Rng;
import org.junit.jupiter.api.Test;

import static io.cnn4j.data.GoldenPictures.floatPattern;
import static io.cnn4j.data.GoldenPictures.get;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RandomResizedCropTest {
    @Test
    void theWindowIsResizedAsTorchvisionResizesATensor() {
        for (JsonObject c : GoldenPictures.cases("resized_crop")) {
            int channels = get(c, "channels");
            int h = get(c, "height");
            int w = get(c, "width");
            float[] p = floatPattern(channels, h, w);
            RandomResizedCrop.resize(p, 0, channels, h, w, get(c, "top"), get(c, "left"), get(c, "crop_height"),
                    get(c, "crop_width"));
            float[] expected = Golden.floats(c.getAsJsonArray("pixels"));
            for (int i = 0; i < p.length; i++) {
                assertEquals(expected[i], p[i], 1e-6, c + " value " + i);
            }
        }
    }

    @Test
    void windowsAreDrawnAsTorchvisionDrawsThem() {
        RandomResizedCrop crop = RandomResizedCrop.of(0.08);
        for (long seed = 0; seed < 200; seed++) {
            Rng rng = new Rng(seed);
            int[] window = crop.window(24, 32, rng);
            Rng same = new Rng(seed);
            double target = 24 * 32 * (0.08 + 0.92 * same.nextDouble());
            double aspect = Math.exp(Math.log(0.75) + (Math.log(4.0 / 3) - Math.log(0.75)) * same.nextDouble());
            int w = (int) Math.rint(Math.sqrt(target * aspect));
            int h = (int) Math.rint(Math.sqrt(target / aspect));
            if (w <= 32 && h <= 24) {
                assertArrayEquals(new int[] {same.nextInt(24 - h + 1), same.nextInt(32 - w + 1), h, w}, window, "seed " + seed);
            }
            assertTrue(window[0] >= 0 && window[0] + window[2] <= 24 && window[1] >= 0 && window[1] + window[3] <= 32);
        }
    }

    @Test
    void whenNoWindowFitsTheCentreIsTakenWithItsRatioClamped() {
        // The whole area at ratios from 2 to 3 never fits a 10x10 image: the fallback clamps 1 to 2.
        RandomResizedCrop wide = new RandomResizedCrop(1, 1, 2, 3);
        assertArrayEquals(new int[] {2, 0, 5, 10}, wide.window(10, 10, new Rng(3)));
        RandomResizedCrop tall = new RandomResizedCrop(1, 1, 0.25, 0.5);
        assertArrayEquals(new int[] {0, 2, 10, 5}, tall.window(10, 10, new Rng(3)));
    }

    @Test
    void theSameSeedGivesTheSameCropAndEveryChannelIsCutAlike() {
        RandomResizedCrop crop = RandomResizedCrop.of(0.3);
        float[] a = floatPattern(3, 9, 13);
        float[] b = floatPattern(3, 9, 13);
        crop.apply(a, 0, 3, 9, 13, new Rng(11));
        crop.apply(b, 0, 3, 9, 13, new Rng(11));
        assertArrayEquals(a, b);
        int[] window = crop.window(9, 13, new Rng(11));
        float[] expected = floatPattern(3, 9, 13);
        RandomResizedCrop.resize(expected, 0, 3, 9, 13, window[0], window[1], window[2], window[3]);
        assertArrayEquals(expected, a);
    }

    @Test
    void badRangesAreRefused() {
        assertEquals("random resized crop: scale must satisfy 0 < min <= max <= 1, got [0.0, 1.0]",
                assertThrows(IllegalArgumentException.class, () -> RandomResizedCrop.of(0)).getMessage());
        assertEquals("random resized crop: ratio must satisfy 0 < min <= max, got [2.0, 1.0]",
                assertThrows(IllegalArgumentException.class, () -> new RandomResizedCrop(0.5, 1, 2, 1)).getMessage());
    }
}
