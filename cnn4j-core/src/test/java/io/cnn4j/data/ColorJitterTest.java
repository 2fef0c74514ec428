package io.cnn4j.data;

import com.google.gson.JsonObject;
import io.cnn4j.tensor.Golden;
import io.cnn4j.tensor.Rng;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static io.cnn4j.data.GoldenPictures.floatPattern;
import static io.cnn4j.data.GoldenPictures.get;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ColorJitterTest {
    @Test
    void eachAdjustmentIsTorchvisions() {
        List<String> ops = List.of("brightness", "contrast", "saturation");
        for (JsonObject c : GoldenPictures.cases("jitter")) {
            int channels = get(c, "channels");
            float[] p = floatPattern(channels, get(c, "height"), get(c, "width"));
            String op = c.get("op").getAsString();
            double factor = c.get("factor").getAsDouble();
            ColorJitter.adjust(ops.indexOf(op), factor, p, 0, channels, get(c, "height"), get(c, "width"));
            float[] expected = Golden.floats(c.getAsJsonArray("pixels"));
            for (int i = 0; i < p.length; i++) {
                assertEquals(expected[i], p[i], 1e-6, op + " " + factor + " of " + channels + " channel(s), value " + i);
            }
        }
    }

    @Test
    void theOrderAndTheFactorsAreDrawnPerImageAsTorchvisionDrawsThem() {
        ColorJitter jitter = new ColorJitter(0.4, 0.3, 0.2);
        for (long seed = 0; seed < 20; seed++) {
            float[] p = floatPattern(3, 4, 6);
            jitter.apply(p, 0, 3, 4, 6, new Rng(seed));
            Rng same = new Rng(seed);
            int[] order = same.permutation(3);
            double b = 0.6 + 0.8 * same.nextDouble();
            double c = 0.7 + 0.6 * same.nextDouble();
            double s = 0.8 + 0.4 * same.nextDouble();
            double[] factors = {b, c, s};
            float[] expected = floatPattern(3, 4, 6);
            for (int op : order) {
                ColorJitter.adjust(op, factors[op], expected, 0, 3, 4, 6);
            }
            assertArrayEquals(expected, p, "seed " + seed);
        }
    }

    @Test
    void brightnessAloneScalesAndClamps() {
        float[] p = {0.1f, 0.5f, 0.9f};
        ColorJitter.adjust(ColorJitter.BRIGHTNESS, 1.5, p, 0, 1, 1, 3);
        assertArrayEquals(new float[] {0.15f, 0.75f, 1f}, p, 1e-7f);
        // A zero strength draws nothing: the generator is left for the next transform.
        Rng rng = new Rng(7);
        float[] q = {0.1f, 0.5f, 0.9f};
        new ColorJitter(0, 0, 0).apply(q, 0, 1, 1, 3, rng);
        assertArrayEquals(new float[] {0.1f, 0.5f, 0.9f}, q);
        Rng after = new Rng(7);
        after.permutation(3);
        assertEquals(after.nextLong(), rng.nextLong());
    }

    @Test
    void saturationLeavesGrayAloneAndOnlyTheImageAtItsOffsetChanges() {
        float[] gray = floatPattern(1, 3, 3);
        ColorJitter.adjust(ColorJitter.SATURATION, 0.2, gray, 0, 1, 3, 3);
        assertArrayEquals(floatPattern(1, 3, 3), gray);
        float[] two = new float[3 * 27];
        System.arraycopy(floatPattern(3, 3, 3), 0, two, 27, 27);
        new ColorJitter(0.5, 0.5, 0.5).apply(two, 27, 3, 3, 3, new Rng(1));
        assertArrayEquals(new float[27], Arrays.copyOf(two, 27));
        assertArrayEquals(new float[27], Arrays.copyOfRange(two, 54, 81));
    }

    @Test
    void badStrengthsAndChannelCountsAreRefused() {
        assertEquals("colour jitter: contrast must be a finite number >= 0, got -0.1",
                assertThrows(IllegalArgumentException.class, () -> new ColorJitter(0.1, -0.1, 0)).getMessage());
        assertEquals("colour jitter: contrast and saturation need gray (1 channel) or RGB (3 channels) images, got 2 channels",
                assertThrows(IllegalArgumentException.class,
                        () -> new ColorJitter(0, 0.5, 0).apply(new float[8], 0, 2, 2, 2, new Rng(1))).getMessage());
    }
}
