package io.cnn4j.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The line an interrupted {@code cnn4j train} ends with, for each combination of its outputs. */
class StopReportTest {
    private static final StopReport MID_EPOCH = new StopReport(75, 2, 15, 60, Path.of("run.ckpt"));
    private static final StopReport NO_CHECKPOINT = new StopReport(75, 2, 15, 60, null);

    @Test
    void withACheckpointItEndsWithTheCommandThatGoesOnWritingTheSameOutputs() {
        assertEquals("interrupted after step 75 (epoch 2, batch 15 of 60): saved the checkpoint to run.ckpt and the weights"
                + " so far to m.safetensors; to go on: cnn4j train --resume run.ckpt --save m.safetensors --metrics-out m.jsonl"
                + " --plots 'my plots' --report run.html", MID_EPOCH.line(Path.of("m.safetensors"), true, Path.of("m.jsonl"),
                Path.of("my plots"), Path.of("run.html")));
        assertEquals("interrupted after step 75 (epoch 2, batch 15 of 60): saved the checkpoint to run.ckpt; to go on:"
                + " cnn4j train --resume run.ckpt", MID_EPOCH.line(null, false, null, null, null));
        assertEquals("interrupted before the first step: saved the checkpoint to run.ckpt; to go on: cnn4j train --resume"
                + " run.ckpt --save m.safetensors", new StopReport(0, 0, 60, 60, Path.of("run.ckpt"))
                .line(Path.of("m.safetensors"), false, null, null, null));
    }

    @Test
    void withoutACheckpointItSaysWhatWasSavedOrWhyNothingWas() {
        assertEquals("interrupted after step 75 (epoch 2, batch 15 of 60): saved the weights so far to m.safetensors; without"
                + " --checkpoint the run cannot be resumed", NO_CHECKPOINT.line(Path.of("m.safetensors"), true, null, null, null));
        assertEquals("interrupted after step 75 (epoch 2, batch 15 of 60): nothing saved, as neither --checkpoint nor --save"
                + " was given", NO_CHECKPOINT.line(null, false, Path.of("m.jsonl"), null, null));
        assertEquals("interrupted before the first step: nothing saved, as no step was taken",
                new StopReport(0, 0, 60, 60, null).line(Path.of("m.safetensors"), false, null, null, null));
    }

    @Test
    void pathsAShellWouldSplitAreQuoted() {
        String line = new StopReport(75, 2, 15, 60, Path.of("my runs/it's.ckpt")).line(null, false, null, null, null);
        assertTrue(line.endsWith("; to go on: cnn4j train --resume 'my runs/it'\\''s.ckpt'"), line);
        for (String plain : List.of("runs/a-1.ckpt", "/tmp/x_y.z", "C:x")) {
            assertEquals(plain, StopReport.shellWord(plain));
        }
        assertEquals("'$HOME/a b'", StopReport.shellWord("$HOME/a b"));
        assertEquals("''", StopReport.shellWord(""));
    }
}
