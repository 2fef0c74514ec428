package io.cnn4j.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValidationSplitTest {

    /** {@code n} 1x1x1 images whose pixel is their index; label = index % 2. */
    private static Dataset indexed(int n) {
        byte[] pixels = new byte[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            pixels[i] = (byte) i;
            labels[i] = i % 2;
        }
        return Dataset.of(pixels, labels, 1, 1, 1, List.of("even", "odd"), n + " images");
    }

    private static int[] pixels(Dataset d) {
        return IntStream.range(0, d.size()).map(i -> Math.round(d.image(i).data()[0] * 255)).toArray();
    }

    @Test
    void theValidationImagesAreASeededRandomPartOfTheTrainingSetAndLeaveIt() {
        ValidationSplit split = ValidationSplit.carve(indexed(100), 20, 7);
        assertEquals(80, split.train().size());
        assertEquals(20, split.validation().size());
        int[] all = IntStream.concat(Arrays.stream(pixels(split.train())), Arrays.stream(pixels(split.validation())))
                .sorted().toArray();
        assertArrayEquals(IntStream.range(0, 100).toArray(), all, "every image in exactly one part");
        int[] held = pixels(split.validation());
        assertArrayEquals(Arrays.stream(held).sorted().toArray(), held, "file order is kept");
        assertFalse(Arrays.equals(IntStream.range(0, 20).toArray(), held), "not simply the first images");
        for (int i = 0; i < held.length; i++) {
            assertEquals(held[i] % 2, split.validation().label(i), "labels travel with their images");
        }
        assertArrayEquals(held, pixels(ValidationSplit.carve(indexed(100), 20, 7).validation()));
        assertFalse(Arrays.equals(held, pixels(ValidationSplit.carve(indexed(100), 20, 8).validation())));
        assertTrue(split.validation().description().contains("validation"));
    }

    @Test
    void sizeIsACountOrAFraction() {
        assertEquals(5000, ValidationSplit.size("5000", 60000));
        assertEquals(6000, ValidationSplit.size("0.1", 60000));
        for (String bad : List.of("0", "-3", "1.5", "ten", "0.0")) {
            var e = assertThrows(IllegalArgumentException.class, () -> ValidationSplit.size(bad, 100), bad);
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
        var e = assertThrows(IllegalArgumentException.class, () -> ValidationSplit.carve(indexed(10), 10, 1));
        assertTrue(e.getMessage().contains("10"), e.getMessage());
    }
}
