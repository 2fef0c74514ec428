package io.cnn4j.train;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A checkpoint edited by hand, or damaged, into a state no run can reach is refused when it is read,
 * naming the file and the field; one that is valid but does not fit the run is refused when restored.
 * The checkpoint edited is that of {@link CheckpointBytes#ofATinyRun}: 9 steps, 7 batches of 8 images
 * an epoch, 2 steps (16 images) into epoch 2.
 */
class CheckpointValidationTest {
    @TempDir
    static Path tmp;

    private static byte[] valid;

    @BeforeAll
    static void writeOne() throws IOException {
        valid = CheckpointBytes.ofATinyRun(tmp);
    }

    /** The valid checkpoint with {@code object.field} (a path such as {@code optimizer.counters}) set to a JSON value. */
    private static Path edited(String object, String field, String json) throws IOException {
        JsonObject state = JsonParser.parseString(CheckpointBytes.state(valid)).getAsJsonObject();
        JsonObject parent = state;
        for (String name : object.split("\\.")) {
            parent = parent.getAsJsonObject(name);
        }
        parent.add(field, JsonParser.parseString(json));
        Path file = tmp.resolve(object + "." + field + ".ckpt");
        Files.write(file, CheckpointBytes.withState(valid, state.toString()));
        return file;
    }

    @Test
    void checkpointWithNegativeStepIsRefused() throws IOException {
        Path file = edited("progress", "step", "-5");
        var e = assertThrows(CheckpointException.class, () -> Checkpoint.read(file));
        assertEquals(file + ": its training state ('cnn4j.checkpoint') is damaged or incomplete: 'step' must be >= 0,"
                + " got -5", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            progress           | step             | 1.5                  | 'step' is not a whole number that fits in 64 bits: 1.5
            progress           | seen             | 1e30                 | 'seen' is not a whole number that fits in 64 bits: 1e30
            data               | epoch            | 4294967297           | 'epoch' must be <= 2147483647, got 4294967297
            optimizer.counters | step             | -1                   | 'step' must be >= 0, got -1
            optimizer          | learning_rate    | '"7ff8000000000000"' | 'learning_rate' must be >= 0, got NaN
            progress           | epoch_first_step | 10                   | inconsistent training progress: the epoch's first step (10) is after the last (9)
            progress           | correct          | 1000                 | inconsistent training progress: 1000 correct answers out of 16 images
            progress           | best_epoch       | 5                    | inconsistent training progress: the best epoch (5) has not begun (epoch 2)
            progress           | epoch            | 0                    | inconsistent training progress: no epoch has begun, so there can be no steps and no open epoch
            data               | position         | 99                   | DataLoader state: position 99 (batches served) is beyond the 7 batches of epoch 2 (56 images in batches of 8)
            """)
    void aValueNoRunCanReachIsRefusedNamingTheFileAndField(String object, String field, String json, String problem)
            throws IOException {
        Path file = edited(object, field, json);
        var e = assertThrows(CheckpointException.class, () -> Checkpoint.read(file));
        assertEquals(file + ": its training state ('cnn4j.checkpoint') is damaged or incomplete: " + problem, e.getMessage());
    }

    @Test
    void checkpointAtEpoch99OfAThreeEpochRunIsRefused() throws IOException {
        Path file = edited("progress", "epoch", "99");
        TinyRun run = new TinyRun(7);
        run.trainer.restore(Checkpoint.read(file), run.feed);
        var e = assertThrows(IllegalArgumentException.class, () -> run.trainer.fit(run.feed, run.test, 3));
        assertEquals("training already stands at epoch 99 (restored from a checkpoint?), beyond the 3 epoch(s) asked for",
                e.getMessage());
    }

    @Test
    void theCheckpointRewrittenUneditedIsRead() throws IOException {
        Path file = tmp.resolve("again.ckpt");
        Files.write(file, CheckpointBytes.withState(valid, CheckpointBytes.state(valid)));
        assertEquals(9, Checkpoint.read(file).progress().step());
    }
}
