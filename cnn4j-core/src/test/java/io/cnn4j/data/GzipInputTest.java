package io.cnn4j.data;

import io.cnn4j.fuzz.Mutation;
import io.cnn4j.fuzz.Mutations;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static io.cnn4j.data.IdxBytes.concat;
import static io.cnn4j.data.IdxBytes.counting;
import static io.cnn4j.data.IdxBytes.gzip;
import static io.cnn4j.data.IdxBytes.gzipWithAllHeaderFields;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link GzipInput} decodes what {@link GZIPInputStream} decodes, member after member, and is stricter
 * only about bytes after the last member, which GZIPInputStream drops.
 */
class GzipInputTest {
    private static final byte[] DATA = counting(5000);
    private static final List<byte[]> SEEDS = List.of(gzip(DATA), gzip(new byte[0]), gzipWithAllHeaderFields(DATA),
            concat(gzip(Arrays.copyOf(DATA, 100)), gzip(Arrays.copyOfRange(DATA, 100, DATA.length))));

    @Example
    void decodesWhatGzipInputStreamDecodes() throws IOException {
        for (byte[] seed : SEEDS) {
            assertArrayEquals(jdk(seed), ours(seed));
        }
    }

    @Example
    void refusesBytesAfterTheLastMemberThatGzipInputStreamDrops() throws IOException {
        byte[] garbage = concat(gzip(DATA), "trailing".getBytes());
        assertArrayEquals(DATA, jdk(garbage));
        GzipInput.TrailingBytesException e = assertThrows(GzipInput.TrailingBytesException.class, () -> ours(garbage));
        assertEquals(8, e.count());
        assertEquals("8 bytes follow the end of the gzip data", e.getMessage());
    }

    @Property(tries = 1500)
    void whatItDecodesGzipInputStreamDecodesAlike(@ForAll @IntRange(min = 0, max = 3) int seed,
                                                   @ForAll("mutations") List<Mutation> mutations) throws IOException {
        byte[] bytes = Mutation.applyAll(SEEDS.get(seed), mutations);
        byte[] decoded;
        try {
            decoded = ours(bytes);
        } catch (IOException e) {
            assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "a message: " + e);
            return;
        }
        assertArrayEquals(jdk(bytes), decoded);
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        return Mutations.some();
    }

    private static byte[] ours(byte[] gz) throws IOException {
        if (gz.length < 2 || gz[0] != 0x1f || gz[1] != (byte) 0x8b) {
            throw new IOException("not gzip: IdxFile reads such a file raw");
        }
        try (InputStream in = new GzipInput(new ByteArrayInputStream(gz), 512)) {
            return in.readAllBytes();
        }
    }

    private static byte[] jdk(byte[] gz) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz), 512)) {
            return in.readAllBytes();
        }
    }
}
