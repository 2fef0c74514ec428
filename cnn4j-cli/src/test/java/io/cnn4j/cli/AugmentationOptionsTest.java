package io.cnn4j.cli;

import io.cnn4j.data.Augmentation;
import io.cnn4j.data.ColorJitter;
import io.cnn4j.data.HorizontalFlip;
import io.cnn4j.data.RandomResizedCrop;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --resized-crop} and {@code --color-jitter}: where they go among the transforms, and their bounds. */
class AugmentationOptionsTest {
    private static AugmentationOptions options(String resizedCrop, String colorJitter) {
        AugmentationOptions o = new AugmentationOptions();
        o.resizedCrop = resizedCrop;
        o.colorJitter = colorJitter;
        o.normalize = "none";
        return o;
    }

    @Test
    void resizedCropComesFirstAndColourJitterBeforeNormalisation() {
        AugmentationOptions o = options("0.08", "0.4,0.3");
        o.hflip = true;
        o.validate();
        Augmentation a = o.build(1, null);
        assertEquals(List.of(RandomResizedCrop.of(0.08), new HorizontalFlip(0.5), new ColorJitter(0.4, 0.3, 0)), a.transforms());
        assertEquals("random resized crop (scale 0.08 to 1, ratio 3/4 to 4/3), horizontal flip, colour jitter"
                + " (brightness 0.4, contrast 0.3, saturation 0.0)", o.describe(null));
    }

    @Test
    void zeroAndNoneTurnThemOff() {
        for (String off : List.of("none", "0")) {
            AugmentationOptions o = options(off, off);
            o.validate();
            assertNull(o.build(1, null));
            assertNull(o.describe(null));
        }
        assertEquals(List.of(new ColorJitter(0.4, 0.4, 0.2)), options("none", "0.4, 0.4, 0.2").build(1, null).transforms());
    }

    @Test
    void badValuesAreRefusedWithTheOptionAndTheRange() {
        assertEquals("--resized-crop must be a number from 0 to 1, got 1.5", refusal("1.5", "none"));
        assertEquals("--resized-crop 'half' must be the smallest fraction of the image's area a window may have, e.g."
                + " 0.08, or 0 or none for off", refusal("half", "none"));
        assertEquals("--color-jitter contrast must be a number from 0 to 10, got -0.2", refusal("none", "0.4,-0.2"));
        assertEquals("--color-jitter '0.1,0.2,0.3,0.4' has 4 values; give brightness[,contrast[,saturation]], e.g."
                + " 0.4,0.4,0.2", refusal("none", "0.1,0.2,0.3,0.4"));
        assertEquals("--color-jitter 'a': the brightness strength 'a' is not a number; give"
                + " brightness[,contrast[,saturation]], e.g. 0.4,0.4,0.2", refusal("none", "a"));
    }

    private static String refusal(String resizedCrop, String colorJitter) {
        return assertThrows(IllegalArgumentException.class, () -> options(resizedCrop, colorJitter).validate()).getMessage();
    }

    @Test
    void trainTakesThemFromTheCommandLine() {
        CliRun run = CliRun.of("train", "--data", "embedded", "--max-steps", "2", "--resized-crop", "0.5",
                "--color-jitter", "0.2,0.2,0.2", "--threads", "2");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("augmentation: random resized crop (scale 0.5 to 1, ratio 3/4 to 4/3), colour jitter"
                + " (brightness 0.2, contrast 0.2, saturation 0.2)"), run.toString());
        CliRun bad = CliRun.of("train", "--data", "embedded", "--color-jitter", "x");
        assertEquals(1, bad.exitCode(), bad.toString());
        assertFalse(bad.err().contains("\tat "), bad.toString());
    }
}
