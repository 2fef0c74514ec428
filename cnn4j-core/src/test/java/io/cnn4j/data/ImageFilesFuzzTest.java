package io.cnn4j.data;

import io.cnn4j.fuzz.HostileInput;
import io.cnn4j.fuzz.Mutation;
import io.cnn4j.fuzz.Mutations;
import io.cnn4j.tensor.Shape;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static io.cnn4j.data.ImageBytes.encode;
import static io.cnn4j.data.ImageBytes.gradient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pictures (PNG, JPEG, BMP, GIF, PPM, PGM) mutated every way a fuzzer knows, headers that claim huge sizes
 * included, are read as a {@code [1, 1, 28, 28]} image in [0, 1] or refused with a
 * {@link DataFileException} that names the file: never another exception, an {@link OutOfMemoryError}
 * or a hang.
 */
class ImageFilesFuzzTest {
    private static final List<byte[]> SEEDS = List.of(
            encode(gradient(6, 5, BufferedImage.TYPE_BYTE_GRAY), "png"),
            encode(gradient(4, 4, BufferedImage.TYPE_INT_ARGB), "png"),
            encode(gradient(5, 3, BufferedImage.TYPE_BYTE_INDEXED), "png"),
            encode(gradient(8, 8, BufferedImage.TYPE_INT_RGB), "jpeg"),
            encode(gradient(5, 3, BufferedImage.TYPE_INT_RGB), "bmp"),
            encode(gradient(4, 3, BufferedImage.TYPE_BYTE_INDEXED), "gif"),
            ImageDecoderTest.ppm(GoldenPictures.pattern(3, 4, 5)),
            "P2 3 2 1000 0 1 2 999 1000 7".getBytes(StandardCharsets.US_ASCII));

    @Property(tries = 3000)
    void mutatedPicturesAreReadOrRefused(@ForAll @IntRange(min = 0, max = 7) int seed,
                                          @ForAll("pictureMutations") List<Mutation> mutations) {
        check(Mutation.applyAll(SEEDS.get(seed), mutations));
    }

    @Example
    void everyTruncationIsReadOrRefused() {
        for (byte[] seed : SEEDS) {
            for (int length = 0; length < seed.length; length++) {
                check(Arrays.copyOf(seed, length));
            }
        }
    }

    private static void check(byte[] bytes) {
        Path file = HostileInput.write("fuzz-picture", bytes);
        InputImage image = HostileInput.read(file.toString(), () -> ImageFiles.read(file), DataFileException.class);
        if (image != null) {
            assertEquals(Shape.of(1, 1, 28, 28), image.tensor().shape());
            for (float v : image.tensor().data()) {
                assertTrue(v >= 0 && v <= 1, "a pixel of " + v);
            }
        }
    }

    @Provide
    Arbitrary<List<Mutation>> pictureMutations() {
        // The width and height fields of PNG, BMP and GIF, and JPEG's frame header somewhere in its first bytes.
        return Mutations.someWith(Arbitraries.oneOf(
                Mutations.claim(4, true, ImageBytes.PNG_WIDTH, ImageBytes.PNG_HEIGHT),
                Mutations.claim(4, false, ImageBytes.BMP_WIDTH, ImageBytes.BMP_HEIGHT),
                Mutations.claim(2, false, 6, 8),
                Mutations.claim(2, true, ImageBytes.jpegHeight(SEEDS.get(3)), ImageBytes.jpegHeight(SEEDS.get(3)) + 2)));
    }
}
