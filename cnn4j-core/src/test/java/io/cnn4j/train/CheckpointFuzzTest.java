package io.cnn4j.train;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.cnn4j.io.SafeTensorsException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Damaged and edited checkpoints: thousands of mutations of a valid one, of its bytes and of the training
 * state inside it, each either read or refused with a {@link CheckpointException} or
 * {@link SafeTensorsException} naming the file, within seconds; never another exception, an out-of-memory
 * error or a hang. A checkpoint that is read is also restored into the run, which may only refuse it with
 * an {@link IllegalArgumentException} (the command line reports those with the file).
 */
class CheckpointFuzzTest {
    private static final int SECONDS_PER_READ = 10;

    private static byte[] valid;
    private static Path dir;
    private static ExecutorService reader;

    @BeforeContainer
    static void writeOne() throws IOException {
        dir = Files.createTempDirectory("checkpoint-fuzz");
        valid = CheckpointBytes.ofATinyRun(dir);
        reader = Executors.newSingleThreadExecutor();
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        reader.shutdownNow();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** One change to a file's bytes: flip a bit, set a byte, cut the file short, or insert or remove a byte. */
    record ByteEdit(int kind, int position, int value) {
        byte[] apply(byte[] in) {
            // Most bytes of the header are the training state's JSON and the tensor table: aim there half the time.
            int range = kind % 2 == 0 ? Math.min(in.length, 2048) : in.length;
            int at = range == 0 ? 0 : Math.floorMod(position, range);
            return switch (kind) {
                case 0, 1 -> flip(in, at, 1 << (value & 7));
                case 2, 3 -> set(in, at, (byte) value);
                case 4 -> Arrays.copyOf(in, at);
                case 5 -> insert(in, at, (byte) value);
                default -> remove(in, at);
            };
        }

        private static byte[] flip(byte[] in, int at, int bit) {
            byte[] out = in.clone();
            if (at < out.length) {
                out[at] ^= (byte) bit;
            }
            return out;
        }

        private static byte[] set(byte[] in, int at, byte b) {
            byte[] out = in.clone();
            if (at < out.length) {
                out[at] = b;
            }
            return out;
        }

        private static byte[] insert(byte[] in, int at, byte b) {
            byte[] out = new byte[in.length + 1];
            System.arraycopy(in, 0, out, 0, at);
            out[at] = b;
            System.arraycopy(in, at, out, at + 1, in.length - at);
            return out;
        }

        private static byte[] remove(byte[] in, int at) {
            if (at >= in.length) {
                return in;
            }
            byte[] out = new byte[in.length - 1];
            System.arraycopy(in, 0, out, 0, at);
            System.arraycopy(in, at + 1, out, at, in.length - at - 1);
            return out;
        }
    }

    @Provide
    Arbitrary<List<ByteEdit>> byteEdits() {
        Arbitrary<ByteEdit> edit = Combinators.combine(Arbitraries.integers().between(0, 6),
                Arbitraries.integers().greaterOrEqual(0), Arbitraries.integers().between(0, 255)).as(ByteEdit::new);
        return edit.list().ofMinSize(1).ofMaxSize(6);
    }

    @Property(tries = 2500)
    void damagedBytesAreReadOrRefusedByName(@ForAll("byteEdits") List<ByteEdit> edits) {
        byte[] bytes = valid;
        for (ByteEdit e : edits) {
            bytes = e.apply(bytes);
        }
        readOrRefuse("bytes.ckpt", bytes);
    }

    /**
     * One change to the training state: {@code target} picks a member anywhere in the JSON tree, and it is
     * deleted, duplicated, renamed or given another value ({@code value} picks one).
     */
    record StateEdit(int kind, int target, int value) {
    }

    @Provide
    Arbitrary<List<StateEdit>> stateEdits() {
        Arbitrary<StateEdit> edit = Combinators.combine(Arbitraries.integers().between(0, 4),
                Arbitraries.integers().greaterOrEqual(0), Arbitraries.integers().greaterOrEqual(0)).as(StateEdit::new);
        return edit.list().ofMinSize(1).ofMaxSize(3);
    }

    @Property(tries = 2500)
    void editedTrainingStateIsReadOrRefusedByName(@ForAll("stateEdits") List<StateEdit> edits) {
        JsonObject state = JsonParser.parseString(CheckpointBytes.state(valid)).getAsJsonObject();
        List<String> duplicated = new ArrayList<>();
        for (StateEdit e : edits) {
            edit(state, e, duplicated);
        }
        String json = state.toString();
        for (String member : duplicated) {
            // Gson's tree has no room for a repeated key: repeat it in the text, first in the top-level object.
            json = "{" + member + "," + json.substring(1);
        }
        readOrRefuse("state.ckpt", CheckpointBytes.withState(valid, json));
    }

    /** The state is not even a JSON object: cut short, another kind of value, nested too deep. */
    @Property(tries = 300)
    void aStateThatIsNotAnObjectIsRefusedByName(@ForAll("brokenDocuments") String json) {
        readOrRefuse("document.ckpt", CheckpointBytes.withState(valid, json));
    }

    @Provide
    Arbitrary<String> brokenDocuments() {
        String whole = CheckpointBytes.state(valid);
        return Arbitraries.oneOf(
                Arbitraries.integers().between(0, whole.length() - 1).map(n -> whole.substring(0, n)),
                Arbitraries.of("", "null", "[]", "1", "\"text\"", "{", "}", "{\"progress\":", "NaN", "{\"progress\":{}}"),
                Arbitraries.integers().between(1, 100_000).map(n -> "[".repeat(n) + "]".repeat(n)),
                Arbitraries.integers().between(1, 100_000).map(n -> "{\"a\":".repeat(n) + "1" + "}".repeat(n)));
    }

    private static void edit(JsonObject root, StateEdit e, List<String> duplicated) {
        List<Map.Entry<JsonObject, String>> members = new ArrayList<>();
        collect(root, members);
        Map.Entry<JsonObject, String> target = members.get(Math.floorMod(e.target(), members.size()));
        JsonObject parent = target.getKey();
        String key = target.getValue();
        switch (e.kind()) {
            case 0 -> parent.remove(key);
            case 1 -> duplicated.add(new JsonPrimitive(key) + ":" + replacement(e.value()));
            case 2 -> parent.add(key + "_", parent.remove(key));
            default -> parent.add(key, replacement(e.value()));
        }
    }

    private static void collect(JsonObject o, List<Map.Entry<JsonObject, String>> out) {
        for (String key : o.keySet()) {
            out.add(Map.entry(o, key));
            if (o.get(key).isJsonObject()) {
                collect(o.getAsJsonObject(key), out);
            }
        }
    }

    /** Values of every JSON type, numbers that are negative, huge, fractional or beyond 64 bits, and doubles' hex. */
    private static JsonElement replacement(int pick) {
        JsonArray array = new JsonArray();
        array.add(1);
        Object[] values = {-1, -5L, 0, 1, Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, Long.MAX_VALUE, Long.MIN_VALUE,
                new BigInteger("18446744073709551617"), 1.5, -0.0, 1e30, 1e308, "1e999999999", true, false, "", "abc",
                "7ff8000000000000", "7ff0000000000000", "fff0000000000000", "3ff0000000000000", "bff0000000000000",
                "ffffffffffffffffff", JsonNull.INSTANCE, array, new JsonObject(), "x".repeat(100_000)};
        Object v = values[Math.floorMod(pick, values.length)];
        if (v instanceof JsonElement element) {
            return element;
        }
        if (v instanceof String s && s.startsWith("1e")) {
            return new JsonPrimitive(new java.math.BigDecimal(s));
        }
        return v instanceof Number n ? new JsonPrimitive(n) : v instanceof Boolean b ? new JsonPrimitive(b)
                : new JsonPrimitive((String) v);
    }

    /**
     * Writes {@code bytes} to a file and reads it as a checkpoint on a thread of its own, failing on
     * anything but a checkpoint or a refusal that names the file, and on a read that takes too long.
     */
    private static void readOrRefuse(String name, byte[] bytes) {
        Path file = dir.resolve(name);
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Future<Throwable> outcome = reader.submit(() -> {
            try {
                Checkpoint checkpoint = Checkpoint.read(file);
                restore(checkpoint);
                return null;
            } catch (CheckpointException | SafeTensorsException e) {
                assertTrue(e.getMessage().startsWith(file + ": "), "the refusal must name the file: " + e.getMessage());
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        Throwable unexpected;
        try {
            unexpected = outcome.get(SECONDS_PER_READ, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            outcome.cancel(true);
            throw new AssertionError("reading the checkpoint took over " + SECONDS_PER_READ + " s");
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError(e);
        }
        if (unexpected != null) {
            throw new AssertionError("reading the checkpoint threw " + unexpected, unexpected);
        }
    }

    /** A checkpoint that reads may still not fit the run: only an IllegalArgumentException may say so. */
    private static void restore(Checkpoint checkpoint) {
        TinyRun run = new TinyRun(7);
        try {
            run.trainer.restore(checkpoint, run.feed);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                fail("a refusal without a message", e);
            }
        }
    }
}
