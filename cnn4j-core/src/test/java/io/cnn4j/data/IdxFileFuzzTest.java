package io.cnn4j.data;

import io.cnn4j.fuzz.HostileInput;
import io.cnn4j.fuzz.Mutation;
import io.cnn4j.fuzz.Mutations;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static io.cnn4j.data.IdxBytes.concat;
import static io.cnn4j.data.IdxBytes.counting;
import static io.cnn4j.data.IdxBytes.gzip;
import static io.cnn4j.data.IdxBytes.gzipWithAllHeaderFields;
import static io.cnn4j.data.IdxBytes.labels;
import static io.cnn4j.data.IdxBytes.ubyte;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * IDX files mutated every way a fuzzer knows (flipped and lying bytes, claims of billions of images,
 * truncation, inserted and deleted ranges, gzip containers broken or holding lying content) are read or
 * refused with a {@link DataFileException} that names the file: never another exception, never an
 * {@link OutOfMemoryError}, never a hang. A file read whole by path, read as a stream, and read one item
 * at a time must agree.
 */
class IdxFileFuzzTest {
    private static final byte[] IMAGES = ubyte(counting(3 * 4 * 5), 3, 4, 5);
    private static final byte[] LABELS = ubyte(labels(0, 1, 2, 3, 4, 5, 6), 7);
    private static final List<byte[]> SEEDS = List.of(IMAGES, LABELS, gzip(IMAGES), gzip(LABELS),
            concat(gzip(Arrays.copyOf(IMAGES, 30)), gzip(Arrays.copyOfRange(IMAGES, 30, IMAGES.length))),
            gzipWithAllHeaderFields(IMAGES));

    /** How the mutations meet the gzip container. */
    enum Form {
        /** The seed's own bytes, gzip or raw, are mutated. */
        BYTES,
        /** The IDX content is mutated, then compressed: a sound gzip file that lies. */
        GZIP_OF_MUTATED
    }

    @Property(tries = 3000)
    void mutatedIdxFilesAreReadOrRefused(@ForAll @IntRange(min = 0, max = 5) int seed, @ForAll Form form,
                                          @ForAll("idxMutations") List<Mutation> mutations,
                                          @ForAll @IntRange(min = 0, max = 8) int index) {
        byte[] bytes = form == Form.BYTES ? Mutation.applyAll(SEEDS.get(seed), mutations)
                : gzip(Mutation.applyAll(seed % 2 == 0 ? IMAGES : LABELS, mutations));
        Path file = HostileInput.write("fuzz-idx", bytes);
        String name = file.toString();

        IdxFile whole = HostileInput.read(name, () -> IdxFile.read(file), DataFileException.class);
        IdxFile streamed = HostileInput.read("stream", () -> IdxFile.read(new ByteArrayInputStream(bytes), "stream"),
                DataFileException.class);
        IdxFile item = HostileInput.read(name, () -> IdxFile.readItem(file, index), DataFileException.class);
        if (whole == null) {
            assertNull(streamed, "read as a stream, a file refused by path must be refused too");
            return;
        }
        assertNotNull(streamed, "read by path, a file read as a stream must be read too");
        assertEquals(Arrays.stream(whole.dims()).asLongStream().reduce(1, (a, b) -> a * b), whole.data().length);
        assertArrayEquals(whole.dims(), streamed.dims());
        assertArrayEquals(whole.data(), streamed.data());
        if (index < whole.count()) {
            assertNotNull(item, "item " + index + " of a valid file of " + whole.count());
            int size = whole.data().length / whole.count();
            assertArrayEquals(Arrays.copyOfRange(whole.data(), index * size, (index + 1) * size), item.data());
        }
    }

    @Example
    void everyTruncationIsRefused() {
        for (byte[] seed : SEEDS) {
            for (int length = 0; length < seed.length; length++) {
                byte[] cut = Arrays.copyOf(seed, length);
                Path file = HostileInput.write("fuzz-idx-cut", cut);
                assertNull(HostileInput.read(file.toString(), () -> IdxFile.read(file), DataFileException.class),
                        "the first " + length + " of " + seed.length + " bytes");
            }
        }
    }

    @Provide
    Arbitrary<List<Mutation>> idxMutations() {
        // The dimension fields of a rank-3 and a rank-1 header, and the type and rank bytes.
        return Mutations.someWith(Arbitraries.oneOf(Mutations.claim(4, true, 4, 8, 12),
                Mutations.claim(1, true, 2, 3)));
    }
}
