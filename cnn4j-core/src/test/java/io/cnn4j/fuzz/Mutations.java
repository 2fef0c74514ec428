package io.cnn4j.fuzz;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** The arbitraries of {@link Mutation}s that the reader fuzz tests draw from. */
public final class Mutations {
    /** Numbers a lying field likes: empty, one, the edges of signed and unsigned types, past any heap. */
    private static final List<Long> LIES = List.of(0L, 1L, -1L, 2L, 255L, 256L, 0x7FFFL, 0xFFFFL, 46_000L, 1L << 24,
            0x7FFF_FFF7L, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL, 1L << 40, Long.MAX_VALUE, Long.MIN_VALUE);
    /** Numbers as JSON may write them, sizes and edges included. */
    private static final List<String> NUMBERS = List.of("0", "-1", "1", "2", "3", "7", "28", "255", "46000",
            "2147483647", "2147483648", "-2147483648", "9223372036854775807", "9223372036854775808",
            "18446744073709551616", "1e400", "-1e400", "1e-400", "0.5", "1.0", "-0", "1E2", "1e9999999999",
            "123456789012345678901234567890");
    /** Chunks that mean something to some format: JSON structure, gzip's magic, deep nesting. */
    private static final List<byte[]> CHUNKS = List.of(bytes("{"), bytes("}"), bytes("["), bytes("]"), bytes("\""),
            bytes(","), bytes(":"), bytes("null"), bytes("\"__metadata__\""), new byte[] {0x1f, (byte) 0x8b, 8, 0},
            new byte[] {0, 0, 8, 3}, bytes("[".repeat(300)), bytes("{\"a\":".repeat(300)),
            new byte[] {(byte) 0xFF, (byte) 0xFE}, new byte[] {(byte) 0xC3}, new byte[1000]);

    private Mutations() {
    }

    /** One to four mutations of any kind. */
    public static Arbitrary<List<Mutation>> some() {
        return any().list().ofMinSize(1).ofMaxSize(4);
    }

    /** One to four mutations, among which {@code special} (a format's own lies) turns up often. */
    public static Arbitrary<List<Mutation>> someWith(Arbitrary<Mutation> special) {
        return Arbitraries.frequencyOf(Tuple.of(2, any()), Tuple.of(1, special)).list().ofMinSize(1).ofMaxSize(4);
    }

    /**
     * One to four mutations, mostly {@code special}: for text formats, where most byte-level changes break
     * the syntax and so never reach the checks behind it.
     */
    public static Arbitrary<List<Mutation>> mostly(Arbitrary<Mutation> special) {
        return Arbitraries.frequencyOf(Tuple.of(1, any()), Tuple.of(3, special)).list().ofMinSize(1).ofMaxSize(4);
    }

    /** A mutation of any kind, at any place. */
    public static Arbitrary<Mutation> any() {
        Arbitrary<Integer> position = Arbitraries.integers().between(0, 1 << 20);
        Arbitrary<Integer> count = Arbitraries.integers().between(1, 64);
        Arbitrary<Byte> telling = Arbitraries.oneOf(Arbitraries.bytes(),
                Arbitraries.of((byte) 0, (byte) 0xFF, (byte) 0x7F, (byte) 0x80, (byte) '0', (byte) '9', (byte) '-'));
        Arbitrary<byte[]> inserted = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(16), Arbitraries.of(CHUNKS));
        return Arbitraries.frequencyOf(
                Tuple.of(3, Combinators.combine(position, Arbitraries.integers().between(0, 7)).as(Mutation.FlipBit::new)),
                Tuple.of(2, Combinators.combine(position, telling).as(Mutation.SetByte::new)),
                Tuple.of(1, position.map(Mutation.Truncate::new)),
                Tuple.of(2, Combinators.combine(position, inserted).as(Mutation.Insert::new)),
                Tuple.of(2, Combinators.combine(position, count).as(Mutation.Delete::new)),
                Tuple.of(1, Combinators.combine(position, count, position).as(Mutation.Duplicate::new)),
                Tuple.of(2, Combinators.combine(position, lie(), Arbitraries.of(1, 2, 4, 8), Arbitraries.of(true, false))
                        .as(Mutation.PutNumber::new)),
                Tuple.of(2, Combinators.combine(position, number()).as(Mutation.ReplaceNumber::new)));
    }

    /**
     * A lie in a binary field of {@code width} bytes at one of {@code offsets}: a dimension, a length or
     * a count that the file's format keeps there.
     */
    public static Arbitrary<Mutation> claim(int width, boolean bigEndian, Integer... offsets) {
        return Combinators.combine(Arbitraries.of(offsets), lie())
                .as((at, value) -> new Mutation.PutNumber(at, value, width, bigEndian));
    }

    /** A number in a text format replaced by a telling one. */
    public static Arbitrary<Mutation> textNumber() {
        return Combinators.combine(Arbitraries.integers().between(0, 200), number()).as(Mutation.ReplaceNumber::new);
    }

    /** A string in a text format replaced by one of {@code words} (or by nothing). */
    public static Arbitrary<Mutation> textWord(List<String> words) {
        return Combinators.combine(Arbitraries.integers().between(0, 200), Arbitraries.oneOf(Arbitraries.of(words),
                Arbitraries.just(""))).as(Mutation.ReplaceString::new);
    }

    private static Arbitrary<Long> lie() {
        return Arbitraries.oneOf(Arbitraries.of(LIES), Arbitraries.longs(), Arbitraries.integers().map(i -> (long) i));
    }

    private static Arbitrary<String> number() {
        return Arbitraries.oneOf(Arbitraries.of(NUMBERS), Arbitraries.integers().map(String::valueOf));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
