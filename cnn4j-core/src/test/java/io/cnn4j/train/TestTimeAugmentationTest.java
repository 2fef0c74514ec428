package io.cnn4j.train;

import io.cnn4j.data.Dataset;
import io.cnn4j.data.Normalize;
import io.cnn4j.nn.Flatten;
import io.cnn4j.nn.Linear;
import io.cnn4j.nn.Module;
import io.cnn4j.nn.Sequential;
import io.cnn4j.tensor.Rng;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test-time augmentation: which views it takes, and that evaluation averages the logits over them. */
class TestTimeAugmentationTest {
    private static final int H = 8;
    private static final int W = 8;

    /** View {@code (dy, dx)} of an 8x8 image, mirrored first when {@code mirror}, worked out pixel by pixel. */
    private static float[] view(float[] image, int dy, int dx, boolean mirror) {
        float[] out = new float[H * W];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int sy = y + dy;
                int sx = x + dx;
                boolean inside = sy >= 0 && sy < H && sx >= 0 && sx < W;
                out[y * W + x] = inside ? image[sy * W + (mirror ? W - 1 - sx : sx)] : 0f;
            }
        }
        return out;
    }

    @Test
    void theViewsAreEveryShiftWithinReachAndWithFlipTheirMirrors() {
        assertEquals(1, TestTimeAugmentation.NONE.views());
        assertEquals(9, new TestTimeAugmentation(1, false).views());
        assertEquals(25, new TestTimeAugmentation(2, false).views());
        assertEquals(2, new TestTimeAugmentation(0, true).views());
        TestTimeAugmentation tta = new TestTimeAugmentation(1, true);
        assertEquals(18, tta.views());
        float[] image = new float[H * W];
        for (int i = 0; i < image.length; i++) {
            image[i] = 1 + i;
        }
        Set<List<Float>> expected = new HashSet<>();
        for (boolean mirror : new boolean[] {false, true}) {
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    expected.add(floats(view(image, dy, dx, mirror)));
                }
            }
        }
        assertEquals(18, expected.size());
        Set<List<Float>> taken = new HashSet<>();
        for (int v = 0; v < tta.views(); v++) {
            float[] pixels = new float[3 + H * W];
            System.arraycopy(image, 0, pixels, 3, H * W);
            tta.apply(v, pixels, 3, 1, H, W);
            assertArrayEquals(new float[3], Arrays.copyOf(pixels, 3), "nothing before the image's offset is touched");
            taken.add(floats(Arrays.copyOfRange(pixels, 3, pixels.length)));
        }
        assertEquals(expected, taken);
        assertTrue(taken.contains(floats(image)), "the image itself is one of the views");
    }

    @Test
    void evaluationAveragesTheLogitsOverTheViews() {
        Linear linear = new Linear(H * W, 3);
        linear.initialize(new Rng(11));
        Module model = new Sequential(new Flatten(), linear);
        Dataset data = TinyRun.images(30, 4);
        Normalize normalize = Normalize.of(data);
        TestTimeAugmentation tta = new TestTimeAugmentation(1, true);

        float[] weight = linear.weight().data();
        float[] bias = linear.bias().data();
        float[] pixels = new float[data.size() * H * W];
        int[] all = new int[data.size()];
        Arrays.setAll(all, i -> i);
        data.copyImages(all, 0, all.length, pixels, 0);
        double lossSum = 0;
        int correct = 0;
        for (int i = 0; i < data.size(); i++) {
            float[] image = Arrays.copyOfRange(pixels, i * H * W, (i + 1) * H * W);
            double[] mean = new double[3];
            for (boolean mirror : new boolean[] {false, true}) {
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        float[] v = view(image, dy, dx, mirror);
                        normalize.apply(v, 0, 1, H, W, null);
                        for (int k = 0; k < 3; k++) {
                            double z = bias[k];
                            for (int p = 0; p < H * W; p++) {
                                z += (double) weight[k * H * W + p] * v[p];
                            }
                            mean[k] += z / 18;
                        }
                    }
                }
            }
            int best = 0;
            double max = Double.NEGATIVE_INFINITY;
            double sumExp = 0;
            for (int k = 0; k < 3; k++) {
                max = Math.max(max, mean[k]);
                best = mean[k] > mean[best] ? k : best;
            }
            for (int k = 0; k < 3; k++) {
                sumExp += Math.exp(mean[k] - max);
            }
            lossSum += max + Math.log(sumExp) - mean[data.label(i)];
            correct += best == data.label(i) ? 1 : 0;
        }

        Evaluation e = Evaluator.evaluate(model, data, 7, normalize, tta);
        assertEquals((double) correct / data.size(), e.accuracy());
        assertEquals(lossSum / data.size(), e.loss(), 1e-5);
        Evaluation plain = Evaluator.evaluate(model, data, 7, normalize);
        Evaluation none = Evaluator.evaluate(model, data, 7, normalize, TestTimeAugmentation.NONE);
        assertEquals(plain.loss(), none.loss());
        assertTrue(Math.abs(plain.loss() - e.loss()) > 1e-4, "the views must change the result for this test to mean anything");
    }

    @Test
    void shiftsOutsideTheirRangeAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new TestTimeAugmentation(-1, false));
        assertEquals("test-time shifts must be from 0 to 8 pixels (289 views), got -1", e.getMessage());
        // Shifts of 200 to 5000 pixels once ran for many minutes; Integer.MAX_VALUE overflowed the view count.
        for (int shift : new int[] {9, 200, Integer.MAX_VALUE}) {
            var big = assertThrows(IllegalArgumentException.class, () -> new TestTimeAugmentation(shift, true));
            assertEquals("test-time shifts must be from 0 to 8 pixels (289 views), got " + shift, big.getMessage());
        }
    }

    private static List<Float> floats(float[] a) {
        Float[] boxed = new Float[a.length];
        for (int i = 0; i < a.length; i++) {
            boxed[i] = a[i];
        }
        return List.of(boxed);
    }
}
