package io.cnn4j.data;

import io.cnn4j.tensor.Rng;
import io.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The augmentations and normalisation, image by image: what they do to known pixels. */
class ImageTransformTest {
    private static final int C = 2;
    private static final int H = 5;
    private static final int W = 7;

    /** Pixel (c, y, x) = 1 + 100c + 10y + x: every value tells where it came from. */
    private static float[] image() {
        float[] p = new float[C * H * W];
        for (int c = 0; c < C; c++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    p[(c * H + y) * W + x] = 1 + 100 * c + 10 * y + x;
                }
            }
        }
        return p;
    }

    private static float at(float[] p, int c, int y, int x) {
        return p[(c * H + y) * W + x];
    }

    @Test
    void randomCropShiftsThePictureAndFillsWithZeros() {
        boolean shifted = false;
        for (long seed = 0; seed < 50; seed++) {
            float[] p = image();
            new RandomCrop(2).apply(p, 0, C, H, W, new Rng(seed));
            Rng same = new Rng(seed);
            int dy = same.nextInt(5) - 2;
            int dx = same.nextInt(5) - 2;
            shifted |= dy != 0 || dx != 0;
            for (int c = 0; c < C; c++) {
                for (int y = 0; y < H; y++) {
                    for (int x = 0; x < W; x++) {
                        boolean inside = y + dy >= 0 && y + dy < H && x + dx >= 0 && x + dx < W;
                        float expected = inside ? 1 + 100 * c + 10 * (y + dy) + (x + dx) : 0f;
                        assertEquals(expected, at(p, c, y, x), "seed " + seed + " shift " + dy + "," + dx);
                    }
                }
            }
        }
        assertTrue(shifted);
        float[] p = image();
        new RandomCrop(0).apply(p, 0, C, H, W, new Rng(1));
        assertArrayEquals(image(), p);
    }

    @Test
    void shiftMovesThePictureOfTheImageAtItsOffsetOnly() {
        float[] p = new float[3 * C * H * W];
        System.arraycopy(image(), 0, p, C * H * W, C * H * W);
        new Shift(1, -2).apply(p, C * H * W, C, H, W, null);
        assertArrayEquals(new float[C * H * W], Arrays.copyOf(p, C * H * W), "the image before is not touched");
        assertArrayEquals(new float[C * H * W], Arrays.copyOfRange(p, 2 * C * H * W, p.length), "nor the one after");
        float[] moved = Arrays.copyOfRange(p, C * H * W, 2 * C * H * W);
        for (int c = 0; c < C; c++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    boolean inside = y + 1 < H && x - 2 >= 0;
                    assertEquals(inside ? 1 + 100 * c + 10 * (y + 1) + (x - 2) : 0f, at(moved, c, y, x), c + "," + y + "," + x);
                }
            }
        }
        float[] away = image();
        new Shift(H, 0).apply(away, 0, C, H, W, null);
        assertArrayEquals(new float[C * H * W], away, "a shift by the whole height leaves only zeros");
        float[] still = image();
        new Shift(0, 0).apply(still, 0, C, H, W, null);
        assertArrayEquals(image(), still);
    }

    @Test
    void horizontalFlipMirrorsEveryRowOfEveryChannelWithItsProbability() {
        float[] p = image();
        new HorizontalFlip(1).apply(p, 0, C, H, W, new Rng(3));
        for (int c = 0; c < C; c++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    assertEquals(1 + 100 * c + 10 * y + (W - 1 - x), at(p, c, y, x));
                }
            }
        }
        float[] q = image();
        new HorizontalFlip(0).apply(q, 0, C, H, W, new Rng(3));
        assertArrayEquals(image(), q);
        Rng rng = new Rng(5);
        int flipped = 0;
        for (int i = 0; i < 2000; i++) {
            float[] r = image();
            new HorizontalFlip(0.5).apply(r, 0, C, H, W, rng);
            flipped += r[0] != 1 ? 1 : 0;
        }
        assertTrue(flipped > 900 && flipped < 1100, flipped + " of 2000 flipped at p = 0.5");
    }

    @Test
    void randomErasingFillsOneRectangleOfTheAllowedAreaAndShapeInEveryChannel() {
        int h = 28;
        int w = 28;
        RandomErasing erasing = new RandomErasing(1, 0.02, 0.33, 0.3, 3.3, -5f);
        Rng rng = new Rng(11);
        for (int i = 0; i < 300; i++) {
            float[] p = new float[C * h * w];
            Arrays.fill(p, 1f);
            erasing.apply(p, 0, C, h, w, rng);
            int top = h, bottom = -1, left = w, right = -1, count = 0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (p[y * w + x] == -5f) {
                        top = Math.min(top, y);
                        bottom = Math.max(bottom, y);
                        left = Math.min(left, x);
                        right = Math.max(right, x);
                        count++;
                    }
                    assertEquals(p[y * w + x], p[(h + y) * w + x], "both channels erased alike");
                }
            }
            assertTrue(count > 0, "p = 1 always erases on a 28x28 image");
            int eh = bottom - top + 1;
            int ew = right - left + 1;
            assertEquals(eh * ew, count, "one solid rectangle");
            assertTrue(eh < h && ew < w);
            // Rounding each side by up to half a pixel moves the area and ratio a little past the draws' bounds.
            double fraction = (double) count / (h * w);
            assertTrue(fraction >= 0.02 * 0.5 && fraction <= 0.33 * 1.3, "area fraction " + fraction);
            double ratio = (double) eh / ew;
            assertTrue(ratio >= 0.3 / 2 && ratio <= 3.3 * 2, "aspect ratio " + ratio);
        }
        float[] q = image();
        RandomErasing.of(0).apply(q, 0, C, H, W, new Rng(1));
        assertArrayEquals(image(), q);
    }

    @Test
    void randomErasingLeavesTheImageAloneWhenNoRectangleFits() {
        // On a 1x1 image no rectangle is strictly smaller than the image: all ten tries fail.
        float[] p = {7f};
        RandomErasing.of(1).apply(p, 0, 1, 1, 1, new Rng(2));
        assertArrayEquals(new float[] {7f}, p);
    }

    @Test
    void normalizeSubtractsTheMeanAndDividesByTheStdOfEachChannel() {
        Normalize n = new Normalize(new float[] {1f, 101f}, new float[] {2f, 4f});
        Tensor batch = Tensor.of(image(), 1, C, H, W);
        n.apply(batch);
        assertEquals((1f - 1f) / 2f, batch.data()[0]);
        assertEquals((1 + 100 + 10 + 3 - 101f) / 4f, batch.data()[(H + 1) * W + 3]);
        Normalize again = Normalize.parse(n.spec());
        assertEquals(n.spec(), again.spec());
        assertEquals("1.0,101.0:2.0,4.0", n.spec());
        var e = assertThrows(IllegalArgumentException.class, () -> Normalize.parse("0.5"));
        assertTrue(e.getMessage().contains("MEAN:STD"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Normalize.parse("0.5:0"));
        assertTrue(e.getMessage().contains("> 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> n.apply(Tensor.zeros(1, 1, 2, 2)));
        assertTrue(e.getMessage().contains("2 channel"), e.getMessage());
    }

    @Test
    void normalizationFromADatasetUsesTheMeanAndPopulationStdOfItsPixels() {
        // Pixels 0 and 255 in equal numbers: mean 0.5, standard deviation 0.5.
        byte[] pixels = {0, (byte) 255, (byte) 255, 0, 0, (byte) 255, (byte) 255, 0};
        Dataset d = Dataset.of(pixels, new int[] {0, 1}, 1, 2, 2, List.of("a", "b"), "two images");
        Normalize n = Normalize.of(d);
        assertEquals("0.5:0.5", n.spec());
    }

    @Test
    void augmentationRepeatsForTheSameBatchAndVariesBetweenBatches() {
        Augmentation a = new Augmentation(42, List.of(new RandomCrop(2), new HorizontalFlip(0.5), RandomErasing.of(0.5)));
        float[] first = augmented(a, 3, 7);
        assertArrayEquals(first, augmented(a, 3, 7));
        assertFalse(Arrays.equals(first, augmented(a, 3, 8)));
        assertFalse(Arrays.equals(first, augmented(a, 4, 7)));
        assertFalse(Arrays.equals(first, augmented(new Augmentation(43, a.transforms()), 3, 7)));
    }

    private static float[] augmented(Augmentation a, int epoch, int position) {
        float[] pixels = new float[4 * C * H * W];
        for (int i = 0; i < 4; i++) {
            System.arraycopy(image(), 0, pixels, i * C * H * W, C * H * W);
        }
        Batch b = new Batch(Tensor.of(pixels, 4, C, H, W), new int[4], new int[4]);
        a.apply(b, epoch, position);
        return b.images().data();
    }

    @Test
    void everyTransformTreatsTheThreeChannelsOfANonSquareImageAlike() {
        int h = 6;
        int w = 11;
        List<ImageTransform> transforms = List.of(new RandomCrop(3), new HorizontalFlip(0.5), new RandomErasing(1, 0.1, 0.4,
                0.3, 3.3, -1f), RandomResizedCrop.of(0.2), new ColorJitter(0.5, 0, 0));
        for (ImageTransform t : transforms) {
            for (long seed = 0; seed < 20; seed++) {
                float[] rgb = GoldenPictures.floatPattern(3, h, w);
                t.apply(rgb, 0, 3, h, w, new Rng(seed));
                for (int c = 0; c < 3; c++) {
                    float[] one = Arrays.copyOfRange(GoldenPictures.floatPattern(3, h, w), c * h * w, (c + 1) * h * w);
                    t.apply(one, 0, 1, h, w, new Rng(seed));
                    assertArrayEquals(one, Arrays.copyOfRange(rgb, c * h * w, (c + 1) * h * w), t + " seed " + seed + " channel " + c);
                }
            }
        }
    }
}
