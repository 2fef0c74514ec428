package io.cnn4j.train;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A checkpoint file's bytes with its training state (the JSON in the header's metadata) replaced, the
 * tensors left as they are: for tests that edit a checkpoint the way a person or a damaged disk would,
 * without writing each variant through the atomic, synced writer.
 */
final class CheckpointBytes {
    private CheckpointBytes() {
    }

    /**
     * The bytes of a valid checkpoint, written in {@code dir}: {@link TinyRun} with seed 7 stopped after 9
     * steps, 2 into its second epoch, with a best epoch and AdamW's counters and moments.
     */
    static byte[] ofATinyRun(Path dir) throws IOException {
        TinyRun run = new TinyRun(7);
        run.trainer.maxSteps(9);
        run.fit();
        Path file = dir.resolve("tiny-run.ckpt");
        run.trainer.checkpoint(run.feed).write(file);
        return Files.readAllBytes(file);
    }

    /** The training state JSON held in a checkpoint file's bytes. */
    static String state(byte[] file) {
        return header(file).getAsJsonObject("__metadata__").get(Checkpoint.STATE_KEY).getAsString();
    }

    /** {@code file} with its training state replaced by {@code json}, the header padded to 8 bytes as writers do. */
    static byte[] withState(byte[] file, String json) {
        JsonObject header = header(file);
        header.getAsJsonObject("__metadata__").addProperty(Checkpoint.STATE_KEY, json);
        byte[] text = header.toString().getBytes(StandardCharsets.UTF_8);
        int length = (text.length + 7) / 8 * 8;
        byte[] padded = Arrays.copyOf(text, length);
        Arrays.fill(padded, text.length, length, (byte) ' ');
        int dataStart = 8 + (int) headerLength(file);
        ByteBuffer out = ByteBuffer.allocate(8 + length + file.length - dataStart).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(length).put(padded).put(file, dataStart, file.length - dataStart);
        return out.array();
    }

    private static long headerLength(byte[] file) {
        return ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static JsonObject header(byte[] file) {
        return JsonParser.parseString(new String(file, 8, (int) headerLength(file), StandardCharsets.UTF_8)).getAsJsonObject();
    }
}
